"""Accepted petitions per second through intake, beside a bare Flask + SQLAlchemy insert of the same rows.

Both are served by the same gunicorn command (`huhang serve`'s: sync workers, one per core by
default) on the same PostgreSQL server, each against a fresh migrated intake database, and
driven by the same closed-loop clients (N threads, each posting as soon as its previous answer
came back) with the same varied, valid petitions.

- **huhang**: `POST /api/v1/petitions` with a clerk's bearer token: token check, validation,
  encryption and blind indexes of personal numbers, the 查询码 drawn and hashed (argon2id), the
  case number allocated under its counter's row lock, the petition, its outbox row
  (`petition.received`), the audit rows and the duplicate check, in one transaction.  intake's
  workers process (relay to Kafka, audit sequencer) runs beside it, as in production: it costs
  CPU on the same cores, and the outbox rows are published while the load runs.
- **baseline**: a Flask app written here, served the same way, that inserts the same columns into
  the same `petitions` table (same indexes) with SQLAlchemy and nothing else: no token, no
  validation, no audit, outbox, hashing, encryption or numbering.

Settings measured in one run, each on its own fresh database, in rounds (every setting once a
round, the baseline first and last); a ratio is a setting's rate over its round's baseline (the
mean of the two bare runs around it), and the table gives medians over the rounds:
- huhang, the default hash cost, clerks of several organs (each organ has its own counter);
- huhang, the default hash cost, every clerk of one organ (one counter row, one lock);
- huhang, a cheap hash cost (argon2id t=1, 64 KiB: the least that is still argon2), several organs,
  to show how much of the gap is the hash;
- huhang without its workers process (nothing publishes or seals while the load runs);
- with `--compare-ref REF`: the API of an earlier commit (exported with `git archive`), several
  organs, the default hash: before/after a change in the same run.

    python -m tests.bench.intake_throughput [--rounds 3] [--seconds 5] [--clients 8] [--workers 2] [--compare-ref main]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

from sqlalchemy import create_engine, text

from shared.pii.validators import credit_code_check_char, id_check_digit
from tests.bench.stats import summary_ms, write_result
from tests.support.auth import AuthKeys
from tests.support.infra import Databases, infrastructure
from tests.support.stack import Stack, free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
# Clerks of distinct organs (services/intake/petitions/receiving_units.py DAIZI): one counter each.
SEVERAL_UNITS = ("NY-JCY-KS", "NY-JCY-WC", "NY-JCY-WL", "NY-JCY-NZ", "NY-JCY-FC", "NY-JCY-XX", "NY-JCY-ZP", "NY-JCY-NX")
ONE_UNIT = ("NY-JCY-KS",)
CHEAP_HASH = {"HUHANG_QUERY_CODE_HASH_TIME": "1", "HUHANG_QUERY_CODE_HASH_MEMORY_KIB": "64"}

# ---------------------------------------------------------------------------------------------
# The petitions: valid and varied, so no two share a petitioner, an enterprise or a matter (the
# duplicate check looks, finds no candidate, and links nothing, as for most real registrations).

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国"
_MATTERS = ("企业账户被冻结未解除", "工程款拖欠三年未付", "查封厂房超出标的范围", "执行款迟迟未发放",
            "行政处罚程序违法", "合同纠纷判决未执行", "股权被违法冻结", "涉案财物未依法返还")
_CLAIMS = ("请求依法解除冻结措施", "请求督促依法执行", "请求依法监督纠正", "请求返还涉案财物",
           "请求依法撤销处罚决定", "请求依法审查立案")
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _id_number(i: int) -> str:
    born = date(1960, 1, 1) + timedelta(days=(i * 37) % 14000)
    first17 = f"411302{born:%Y%m%d}{i % 1000:03d}"
    return first17 + id_check_digit(first17)


def _credit_code(i: int) -> str:
    rng = random.Random(i)
    first17 = "91411302" + "".join(rng.choice(_ORG_CHARS) for _ in range(9))
    return first17 + credit_code_check_char(first17)


def petition(i: int) -> dict[str, Any]:
    """The i-th petition of a run: a person (and every other one an enterprise) of its own."""
    rng = random.Random(i)
    name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
    matter, claim = rng.choice(_MATTERS), rng.choice(_CLAIMS)
    body: dict[str, Any] = {
        "line": "12309", "channel": "网信访电"[i % 4], "petition_type": ("控告", "举报", "求助")[i % 3],
        "subject": f"{matter}（第{i}号）", "claim": f"{claim}，涉及第{i}号事项{rng.randint(1, 10**6)}",
        "facts": f"{2020 + i % 5}年{1 + i % 12}月起，{matter}，至今未解决。",
        "petitioner": {"name": name, "id_number": _id_number(i), "phone": f"13{rng.randint(0, 10**9 - 1):09d}",
                       "address": f"南阳市宛城区示例路{i % 999 + 1}号"},
    }
    if body["channel"] == "访":
        body["visit"] = {"visitor_count": 1}
    if i % 2:
        body["petitioner"] |= {"kind": "enterprise_representative", "relation": "法定代表人"}
        body["enterprise"] = {"name": f"南阳市示例{i}号机械有限公司", "credit_code": _credit_code(i), "size": "小",
                              "industry": "C", "ownership": "民营"}
    return body


# ---------------------------------------------------------------------------------------------
# The baseline app: `gunicorn 'tests.bench.intake_throughput:bare_app()'`.

def bare_app() -> Any:
    """Flask + SQLAlchemy, one INSERT of the petition's columns per POST, nothing else."""
    from flask import Flask, request
    from sqlalchemy import MetaData, Table, insert
    from sqlalchemy.orm import Session

    engine = create_engine(os.environ["BENCH_BARE_DATABASE_URL"], pool_size=5)
    petitions = Table("petitions", MetaData(), autoload_with=engine)
    app = Flask("bare_intake")

    @app.post("/petitions")
    def create() -> tuple[dict[str, str], int]:
        body = request.get_json()
        person, enterprise = body["petitioner"], body.get("enterprise") or {}
        now = datetime.now(timezone.utc)
        row = {
            "id": str(uuid.uuid4()), "case_number": f"bare-{uuid.uuid4().hex[:20]}", "line": body["line"],
            "channel": body["channel"], "petition_type": body["petition_type"], "status": "registered",
            "petitioner_name": person["name"], "petitioner_id_number_enc": person.get("id_number"),
            "petitioner_phone_enc": person.get("phone"), "petitioner_kind": person.get("kind", "natural"),
            "petitioner_relation": person.get("relation"), "is_enterprise": bool(enterprise),
            "enterprise_name": enterprise.get("name"), "enterprise_credit_code": enterprise.get("credit_code"),
            "enterprise_size": enterprise.get("size"), "enterprise_industry": enterprise.get("industry"),
            "enterprise_ownership": enterprise.get("ownership"), "subject": body.get("subject"),
            "claim": body["claim"], "facts": body.get("facts"), "received_at": now, "received_on": now.date(),
            "registered_by": "bench", "unit_code": "NY-JCY-KS", "created_at": now, "updated_at": now,
        }
        with Session(engine) as session, session.begin():
            session.execute(insert(petitions).values(**row))
        return {"id": row["id"], "case_number": row["case_number"]}, 201

    return app


# ---------------------------------------------------------------------------------------------
# The load: N closed-loop clients on keep-alive-capable connections (gunicorn's sync workers close
# each one after the answer; http.client reconnects, as a browser or a desk's app would).

@dataclass
class Load:
    accepted: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def drive(port: int, path: str, headers_of: list[dict[str, str]], *, clients: int, seconds: float,
          warmup: float, first: int) -> tuple[Load, float]:
    """Post petitions first, first+1, … from `clients` threads; count what is accepted in the window."""
    load = Load()
    counter = iter(range(first, first + 10**9))
    counter_lock = threading.Lock()
    start = time.perf_counter() + warmup
    stop = start + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/json", **headers_of[k % len(headers_of)]}
        while (now := time.perf_counter()) < stop:
            with counter_lock:
                i = next(counter)
            body = json.dumps(petition(i), ensure_ascii=False).encode()
            conn.request("POST", path, body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            done = time.perf_counter()
            if answer.getheader("Connection", "").lower() == "close":
                conn.close()
            if now < start or done > stop:
                continue  # warm-up, or finished after the window closed
            with load.lock:
                if answer.status == 201:
                    load.accepted += 1
                    load.latencies.append(done - now)
                else:
                    load.refused[str(answer.status)] = load.refused.get(str(answer.status), 0) + 1
        conn.close()

    before = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return load, client_cpu / (seconds + warmup)


def _gunicorn(app: str, port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # The arguments of `huhang serve` (services/cli.py), for an app that is not a huhang service.
    args = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "60", "--name", "bench-bare"]
    out = open(log, "ab")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text(sql)).scalar_one())
    engine.dispose()
    return n


@dataclass(frozen=True)
class Setting:
    name: str
    units: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    bare: bool = False
    relay: bool = True  # intake's workers process (relay, audit sequencer) beside the API
    source: Path = REPO  # the tree the API runs from (--compare-ref: an earlier commit's)


def settings(compare: tuple[str, Path] | None) -> list[Setting]:
    chosen = [
        Setting("baseline: bare Flask + SQLAlchemy insert", bare=True),
        Setting("huhang, several organs, default hash", SEVERAL_UNITS),
        Setting("huhang, one organ, default hash", ONE_UNIT),
        Setting("huhang, several organs, cheap hash", SEVERAL_UNITS, CHEAP_HASH),
        Setting("huhang, several organs, no workers process", SEVERAL_UNITS, relay=False),
    ]
    if compare is not None:
        chosen.append(Setting(f"huhang at {compare[0]}, several organs", SEVERAL_UNITS, source=compare[1]))
    return [*chosen, Setting("baseline again", bare=True)]


def run_setting(setting: Setting, *, dbs: Databases, infra_kafka: str, keys: AuthKeys, log_dir: Path,
                args: argparse.Namespace, first: int) -> dict[str, Any]:
    url = dbs.fresh("intake")
    if setting.bare:
        port = free_port()
        env = dict(os.environ, BENCH_BARE_DATABASE_URL=url, PYTHONUNBUFFERED="1")
        proc = _gunicorn("tests.bench.intake_throughput:bare_app()", port, args.workers, env, log_dir / "bare.log")
        try:
            wait_for(lambda: _reachable(port), what="the bare app")
            load, client_cpu = drive(port, "/petitions", [{}], clients=args.clients, seconds=args.seconds,
                                     warmup=args.warmup, first=first)
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=20)
        outbox = 0
    else:
        stack = Stack(kafka_bootstrap=infra_kafka, database_urls={"intake": url},
                      topic_prefix=f"benchtp{uuid.uuid4().hex[:6]}", log_dir=log_dir, source=setting.source)
        try:
            base = stack.start_api("intake", workers=args.workers, **setting.env)
            if setting.relay:
                stack.start_workers("intake", **setting.env)
            port = int(base.rsplit(":", 1)[1])
            headers = [keys.headers("intake_clerk", unit, ttl=3600) for unit in setting.units]
            load, client_cpu = drive(port, "/api/v1/petitions", headers, clients=args.clients,
                                     seconds=args.seconds, warmup=args.warmup, first=first)
        finally:
            stack.stop_all()
        outbox = _count(url, "SELECT count(*) FROM outbox WHERE event_type = 'petition.received'")
    stored = _count(url, "SELECT count(*) FROM petitions")
    _drop(dbs, url)
    return {"setting": setting.name, "bare": setting.bare, "accepted_per_s": round(load.accepted / args.seconds, 1),
            "accepted": load.accepted, "refused": load.refused, "rows_stored": stored, "outbox_rows": outbox,
            "latency_ms": summary_ms(load.latencies) if load.latencies else {},
            "client_cpu_share": round(client_cpu, 2)}


def _drop(dbs: Databases, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with dbs.admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    dbs.created.remove(name)


def export_ref(ref: str, into: Path) -> Path:
    """The tree of `ref` (a commit, a branch) as files, to run the API of an earlier version from."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _reachable(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
        return True
    finally:
        conn.close()


def summarise(rounds: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per setting: the median over rounds of its rate and of its ratio to its own round's baseline
    (the mean of the round's bare runs, which bracket it), so a machine that drifts between rounds
    moves both sides of a ratio together."""
    summary = []
    for k, first in enumerate(rounds[0]):
        runs = [r[k] for r in rounds]
        ratios = []
        for r in rounds:
            bare = [x["accepted_per_s"] for x in r if x["bare"]]
            if bare and sum(bare):
                ratios.append(r[k]["accepted_per_s"] / (sum(bare) / len(bare)))
        refused: dict[str, int] = {}
        for run in runs:
            for status, n in run["refused"].items():
                refused[status] = refused.get(status, 0) + n
        summary.append({
            "setting": first["setting"], "bare": first["bare"],
            "accepted_per_s": round(statistics.median(x["accepted_per_s"] for x in runs), 1),
            "ratio": round(statistics.median(ratios), 2) if ratios else None,
            "p50_ms": round(statistics.median(x["latency_ms"].get("p50", 0) for x in runs), 1),
            "p99_ms": round(statistics.median(x["latency_ms"].get("p99", 0) for x in runs), 1),
            "client_cpu_share": round(statistics.median(x["client_cpu_share"] for x in runs), 2),
            "accepted": sum(x["accepted"] for x in runs), "refused": refused,
            "rows_stored": sum(x["rows_stored"] for x in runs), "outbox_rows": sum(x["outbox_rows"] for x in runs),
        })
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per setting and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every setting, interleaved")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before the window opens")
    parser.add_argument("--clients", type=int, default=8, help="concurrent closed-loop clients")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (both apps)")
    parser.add_argument("--compare-ref", default=None,
                        help="also run the API of this git ref (e.g. main), before/after in one run")
    parser.add_argument("--only", default="", help="comma-separated setting numbers (1-based) to run")
    args = parser.parse_args()
    log_dir = Path(mkdtemp(prefix="huhang-bench-tp-"))
    compare = (args.compare_ref, export_ref(args.compare_ref, log_dir / "ref")) if args.compare_ref else None
    chosen = [s for k, s in enumerate(settings(compare), 1) if not args.only or str(k) in args.only.split(",")]

    rounds: list[list[dict[str, Any]]] = []
    with infrastructure() as infra:
        dbs = Databases(infra)
        keys = AuthKeys.create(log_dir)
        os.environ.update(keys.env())  # the services verify the tokens minted here
        try:
            for n in range(args.rounds):
                rounds.append([])
                for k, setting in enumerate(chosen):
                    rounds[-1].append(run_setting(setting, dbs=dbs, infra_kafka=infra.kafka_bootstrap, keys=keys,
                                                  log_dir=log_dir, args=args, first=(n * len(chosen) + k) * 10**5))
                    print(f"  round {n + 1}, {setting.name}: {rounds[-1][-1]['accepted_per_s']}/s", flush=True)
        finally:
            dbs.drop_all()
    summary = summarise(rounds)
    print(f"\naccepted petitions per second: {args.clients} clients, gunicorn {args.workers} workers, "
          f"{args.rounds} rounds of {args.seconds:g} s per setting (medians; ratio: to the baseline of its round)")
    print(f"{'':46}{'/s':>8}{'ratio':>7}{'p50 ms':>9}{'p99 ms':>9}{'client CPU':>11}  refused")
    for r in summary:
        print(f"{r['setting']:46}{r['accepted_per_s']:>8}{r['ratio']!s:>7}{r['p50_ms']!s:>9}"
              f"{r['p99_ms']!s:>9}{r['client_cpu_share']:>11}  {r['refused'] or ''}")
    result = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "clients": args.clients,
              "workers": args.workers, "seconds": args.seconds, "rounds_run": args.rounds,
              "compare_ref": args.compare_ref, "settings": summary, "rounds": rounds}
    write_result("intake_throughput", result)


if __name__ == "__main__":
    main()
