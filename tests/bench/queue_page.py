"""The triage queue page (/triage) beside the same service's JSON API for the same page, through the front door.

100,000 triage items of one unit, each with an open 期限 due on a spread of dates; 50 rows a page.
Both variants run the same query (services/review/triage/queue.py) in the same gunicorn behind
the same nginx, in the same run, alternating request by request; the page adds the template.
Measured: the app's own time (its Server-Timing header) and the time the client sees through
the proxy, for the first page and for a page deep in the queue (a keyset cursor at row ~50,000).

    python -m tests.bench.queue_page [--items 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from tempfile import mkdtemp
from typing import TYPE_CHECKING

import requests
from sqlalchemy import create_engine, text

from tests.bench.stats import summary_ms
from tests.support.auth import AuthKeys
from tests.support.infra import Databases, infrastructure
from tests.support.stack import Stack, free_port, wait_for

if TYPE_CHECKING:
    from deploy.local import nginx_conf

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian puts it in sbin

REPO = Path(__file__).resolve().parents[2]
UNIT = "NY-JCY-KS"
OFFICER = "demo-triage"
DEMO_PASSWORD = "Demo!2026huhang"


def _copy(url: str, table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """COPY rows in (a benchmark's data, loaded in seconds; not how the platform writes)."""
    engine = create_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def load_queue(url: str, items: int, today: date) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        rule_id, title = conn.execute(text(
            "SELECT id, title FROM deadline_rules WHERE code = '12309.procedural_reply' "
            "ORDER BY effective_from DESC LIMIT 1")).one()
    engine.dispose()
    now = datetime.now(timezone.utc)
    triage, deadlines = [], []
    for i in range(items):
        petition_id = str(uuid.uuid4())
        received = today - timedelta(days=i % 40)
        case_number = f"宛检12309〔{received.year}〕{i + 1}号"  # services/intake/numbering
        triage.append((str(uuid.uuid4()), petition_id, case_number, "12309", "网访信电"[i % 4], "控告",
                       i % 3 == 0, "王*国", "南阳市示例机械有限公司" if i % 3 == 0 else None,
                       f"请求依法处理第 {i} 号涉企事项", received, "pending", str(uuid.uuid4()), UNIT, now, now))
        due = today + timedelta(days=(i * 7919) % 60 - 10)  # a spread: overdue, today, soon, later
        deadlines.append((str(uuid.uuid4()), petition_id, case_number, UNIT, rule_id,
                          "12309.procedural_reply", title, 7, "days", False, 2, received, due, due,
                          due - timedelta(days=2), False, "open", now, now))
    _copy(url, "triage_items", ["id", "petition_id", "case_number", "line", "channel", "petition_type",
                                "is_enterprise", "petitioner_masked", "enterprise_name", "summary", "received_on",
                                "status", "source_event_id", "unit_code", "created_at", "updated_at"], triage)
    _copy(url, "deadlines", ["id", "subject", "case_number", "unit_code", "rule_id", "rule_code", "title", "amount",
                             "unit", "custody", "warn_before", "start_on", "base_due_on", "due_on", "warn_on",
                             "provisional", "status", "created_at", "updated_at"], deadlines)
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()


def deep_cursor(url: str, row: int) -> str:
    engine = create_engine(url)
    with engine.connect() as conn:
        due, item_id = conn.execute(text(
            "SELECT d.due_on, t.id FROM triage_items t JOIN deadlines d ON d.subject = t.petition_id "
            "ORDER BY d.due_on, t.id OFFSET :n LIMIT 1"), {"n": row}).one()
    engine.dispose()
    return f"{due.isoformat()}~{item_id}"


def _server_ms(response: requests.Response) -> float:
    timing = response.headers.get("Server-Timing", "")
    return float(timing.split("dur=", 1)[1]) if "dur=" in timing else float("nan")


def measure(base: str, token: str, cursor: str, count: int) -> dict[str, dict[str, object]]:
    headers = {"Authorization": f"Bearer {token}"}
    variants = {
        "page_first": ("/triage", {}),
        "api_first": ("/api/v1/triage/queue", {"limit": "50"}),
        "page_deep": ("/triage", {"after": cursor}),
        "api_deep": ("/api/v1/triage/queue", {"limit": "50", "after": cursor}),
    }
    server: dict[str, list[float]] = {k: [] for k in variants}
    client: dict[str, list[float]] = {k: [] for k in variants}
    with requests.Session() as http:
        for name, (path, params) in variants.items():  # warm-up: plans cached, templates compiled
            for _ in range(5):
                http.get(base + path, params=params, headers=headers, timeout=30).raise_for_status()
        for _ in range(count):
            for name, (path, params) in variants.items():
                started = time.perf_counter()
                answer = http.get(base + path, params=params, headers=headers, timeout=30)
                client[name].append(time.perf_counter() - started)
                answer.raise_for_status()
                if name.startswith("api"):
                    assert len(answer.json()["rows"]) == 50
                else:
                    assert answer.text.count('data-label="案件编号"') == 50
                server[name].append(_server_ms(answer) / 1000)
    return {name: {"server_ms": summary_ms(server[name]), "client_ms": summary_ms(client[name])} for name in variants}


def start_door(stack: Stack, var: Path) -> nginx_conf.Door:
    """nginx in front of the stack, rendered from the route table exactly as proxy.sh renders it for up.sh."""
    from deploy.local import nginx_conf
    from shared import registry

    var.chmod(0o755)  # started as root, nginx's workers are nobody: they must reach var/proxy
    table = registry.route_table()
    # Only review runs here (every path the queue needs is review's); the other services' paths
    # would answer the door's 502, and nothing asks for them.
    upstreams = {s: f"127.0.0.1:{stack.ports.get(s) or free_port()}" for s in table.services()}
    door = nginx_conf.Door(directory=var / "proxy", http_port=free_port(), upstreams=upstreams,
                           worker_user=nginx_conf.worker_user())
    nginx_conf.write(door, table)
    subprocess.run(nginx_conf.nginx_command(door, NGINX), check=True)
    wait_for(lambda: requests.get(door.url + "healthz/review", timeout=1).ok, what="the front door")
    return door


def stop_door(door: nginx_conf.Door | None) -> None:
    from deploy.local import nginx_conf

    if door is not None and door.pid_path.exists():
        subprocess.run([*nginx_conf.nginx_command(door, NGINX), "-s", "quit"], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per variant")
    args = parser.parse_args()
    today = date.today()
    with infrastructure() as infra:
        dbs = Databases(infra)
        var = Path(mkdtemp(prefix="huhang-bench-queue-"))
        stack = Stack(kafka_bootstrap=infra.kafka_bootstrap, database_urls={"review": dbs.fresh("review")},
                      topic_prefix=f"benchq{uuid.uuid4().hex[:6]}", log_dir=var)
        os.environ.update(AuthKeys.create(var).env())
        url = stack.database_urls["review"]
        door = None
        try:
            subprocess.run([sys.executable, "-m", "services.cli", "db", "seed", "--service", "review"],
                           env=stack.env("review"), check=True, stdout=subprocess.DEVNULL)
            started = time.perf_counter()
            load_queue(url, args.items, today)
            loaded_s = time.perf_counter() - started
            cursor = deep_cursor(url, args.items // 2)
            stack.start_api("review", workers=2)
            door = start_door(stack, var)
            base = door.url.rstrip("/")
            token = requests.post(base + "/api/v1/auth/token", json={"username": OFFICER, "password": DEMO_PASSWORD},
                                  timeout=10).json()["access_token"]
            figures = measure(base, token, cursor, args.requests)
        finally:
            stop_door(door)
            stack.stop_all()
            dbs.drop_all()
    ratio = {where: {k: round(figures[f"page_{where}"]["server_ms"][k] / figures[f"api_{where}"]["server_ms"][k], 2)  # type: ignore[index]
                     for k in ("p50", "p95")} for where in ("first", "deep")}
    result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "items": args.items,
              "per_page": 50, "requests_per_variant": args.requests, "load_seconds": round(loaded_s, 1),
              "figures": figures, "ratio_page_to_api_server_time": ratio}
    print(f"\ntriage queue, {args.items} items, 50 a page, {args.requests} requests per variant, through nginx (ms)")
    print(f"{'':26}{'server p50':>12}{'server p95':>12}{'client p50':>12}{'client p95':>12}")
    for name, fig in figures.items():
        s, c = fig["server_ms"], fig["client_ms"]
        print(f"{name:26}{s['p50']:>12}{s['p95']:>12}{c['p50']:>12}{c['p95']:>12}")  # type: ignore[index]
    print(f"page / API (server time): first page p50 {ratio['first']['p50']}×, deep page p50 {ratio['deep']['p50']}×")
    out = REPO / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "queue_page.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written to {out / 'queue_page.json'}")


if __name__ == "__main__":
    main()
