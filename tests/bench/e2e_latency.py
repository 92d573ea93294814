"""End-to-end latency: `POST /api/v1/petitions` → the notify delivery row, over the real broker.

Path measured: intake API (gunicorn) → PostgreSQL (petition + outbox) → relay → Kafka →
review consumer (triage item + outbox) → relay → Kafka → notify consumer (delivery row).
Latency of one petition = the delivery's `created_at` minus the moment the client sent the POST
(one clock: everything runs on this machine).

Baseline, same run, same broker, same rate: a bare kafka-python produce → consume round trip.
Requests are sent open-loop at a fixed rate (each at its scheduled time, whatever the previous
answer did), so a slow system cannot hide its queueing (no coordinated omission).

    python -m tests.bench.e2e_latency [--count 2000] [--rate 20]
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from tempfile import mkdtemp

import requests
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, text

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.config import KafkaSettings
from tests.bench.stats import summary_ms
from tests.support.auth import AuthKeys
from tests.support.infra import Databases, infrastructure
from tests.support.kafka import create_topics
from tests.support.stack import Stack, wait_for

REPO = Path(__file__).resolve().parents[2]


def _open_loop(count: int, rate: float, send: "callable[[int], None]", threads: int = 16) -> float:  # type: ignore[valid-type]
    """Call send(i) at t0 + i/rate for i in 0..count-1; returns the achieved rate."""
    t0 = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for i in range(count):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, i)
    return count / (time.perf_counter() - t0)


def baseline(kafka: KafkaSettings, count: int, rate: float) -> dict[str, float]:
    """Bare produce → consume round trip with kafka-python (acks=all), same broker and rate."""
    topic = f"{kafka.topic_prefix}.baseline"
    create_topics(kafka, topic)
    received: dict[int, float] = {}
    ready = threading.Event()
    done = threading.Event()

    def consume() -> None:
        consumer = KafkaConsumer(
            topic, bootstrap_servers=kafka.bootstrap_servers.split(","), group_id=f"{topic}.g",
            auto_offset_reset="earliest", enable_auto_commit=False, fetch_max_wait_ms=5,
        )
        while not consumer.assignment():
            consumer.poll(timeout_ms=100)
        ready.set()
        while len(received) < count and not done.is_set():
            for batch in consumer.poll(timeout_ms=100).values():
                now = time.time()
                for r in batch:
                    received[int(r.key)] = now
        consumer.close()

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    ready.wait(30)
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers.split(","), acks="all", enable_idempotence=True, linger_ms=0)
    sent_at: dict[int, float] = {}
    payload = json.dumps(PETITION_EXAMPLE, ensure_ascii=False).encode()

    def send(i: int) -> None:
        sent_at[i] = time.time()
        producer.send(topic, key=str(i).encode(), value=payload)

    achieved = _open_loop(count, rate, send, threads=1)
    producer.flush()
    wait_for(lambda: len(received) >= count, timeout=60, what="baseline consumer")
    done.set()
    producer.close()
    lat = [received[i] - sent_at[i] for i in range(count)]
    return summary_ms(lat) | {"rate": round(achieved, 1)}


def huhang(stack: Stack, count: int, rate: float) -> dict[str, float]:
    intake = stack.start_api("intake", workers=3)
    for svc in ("intake", "review", "notify"):
        stack.start_workers(svc)
    session = requests.Session()
    # Signed in as the 12309 intake clerk, with a token from the stack's key (tests/support/auth.py).
    session.headers.update(AuthKeys.create(stack.log_dir).headers("intake_clerk", ttl=3600))
    adapter = requests.adapters.HTTPAdapter(pool_connections=32, pool_maxsize=32)
    session.mount("http://", adapter)
    # Warm-up: the path end to end once, so consumers have joined their groups.
    warm = session.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, timeout=10).json()["id"]
    notify_db = create_engine(stack.database_urls["notify"])

    def delivered(ids: list[str]) -> int:
        with notify_db.connect() as conn:
            return int(conn.execute(text("select count(*) from deliveries where subject = any(:ids)"), {"ids": ids}).scalar())

    wait_for(lambda: delivered([warm]) == 1, timeout=60, what="warm-up delivery")

    sent_at: dict[str, float] = {}
    errors: list[str] = []
    lock = threading.Lock()

    answered: list[float] = []

    def send(i: int) -> None:
        t = time.time()
        resp = session.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers={"Idempotency-Key": f"bench-{i}"}, timeout=30)
        if resp.status_code != 201:
            errors.append(f"{resp.status_code} {resp.text[:200]}")
            return
        with lock:
            sent_at[resp.json()["id"]] = t
            answered.append(time.time() - t)

    achieved = _open_loop(count, rate, send)
    if errors:
        raise RuntimeError(f"{len(errors)} failed POSTs, first: {errors[0]}")
    ids = list(sent_at)
    wait_for(lambda: delivered(ids) == len(ids), timeout=120, interval=0.5, what="all deliveries")
    def stamps(service: str, sql: str) -> dict[str, float]:
        engine = create_engine(stack.database_urls[service])
        with engine.connect() as conn:
            found = {key: ts.timestamp() for key, ts in conn.execute(text(sql), {"ids": ids}).all()}
        engine.dispose()
        return found

    delivered_at = stamps("notify", "select subject, created_at from deliveries where subject = any(:ids)")
    triaged_at = stamps("review", "select petition_id, created_at from triage_items where petition_id = any(:ids)")
    notify_db.dispose()
    lat = [delivered_at[i] - sent_at[i] for i in ids]
    # Where the time goes: the HTTP answer, intake → review (relay + broker + consumer), review → notify.
    stages = {
        "post_answered": summary_ms(answered),
        "to_triage_item": summary_ms([triaged_at[i] - sent_at[i] for i in ids]),
        "triage_to_delivery": summary_ms([delivered_at[i] - triaged_at[i] for i in ids]),
    }
    return summary_ms(lat) | {"rate": round(achieved, 1), "stages": stages}  # type: ignore[dict-item]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (steady; 2 cores sustain about 40)")
    args = parser.parse_args()

    with infrastructure() as infra:
        dbs = Databases(infra)
        kafka = KafkaSettings(bootstrap_servers=infra.kafka_bootstrap, topic_prefix=f"bench{uuid.uuid4().hex[:8]}")
        stack = Stack(
            kafka_bootstrap=infra.kafka_bootstrap,
            database_urls={svc: dbs.fresh(svc) for svc in ("intake", "review", "notify")},
            topic_prefix=kafka.topic_prefix,
            log_dir=Path(mkdtemp(prefix="huhang-bench-")),
        )
        # The services sign and verify with a key of this run (inherited through the environment).
        os.environ.update(AuthKeys.create(stack.log_dir).env())
        try:
            base = baseline(kafka, args.count, args.rate)
            full = huhang(stack, args.count, args.rate)
        finally:
            stack.stop_all()
            dbs.drop_all()

    ratio = {k: round(full[k] / base[k], 1) if base[k] else None for k in ("p50", "p95", "p99")}
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "count": args.count, "target_rate": args.rate,
        "baseline_kafka_roundtrip_ms": base, "huhang_post_to_delivery_ms": full, "ratio": ratio,
    }
    print()
    print(f"end-to-end latency, {args.count} petitions at {args.rate}/s (ms)")
    print(f"{'':38}{'p50':>9}{'p95':>9}{'p99':>9}")
    print(f"{'baseline: kafka-python produce→consume':38}{base['p50']:>9}{base['p95']:>9}{base['p99']:>9}")
    print(f"{'huhang: POST → notify delivery':38}{full['p50']:>9}{full['p95']:>9}{full['p99']:>9}")
    print(f"{'ratio (huhang / baseline)':38}{ratio['p50']:>9}{ratio['p95']:>9}{ratio['p99']:>9}")
    print("stages of the huhang path (ms):")
    for name, st in full["stages"].items():  # type: ignore[union-attr]
        print(f"  {name:36}{st['p50']:>9}{st['p95']:>9}{st['p99']:>9}")
    out = REPO / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "e2e_latency.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"\nwritten to {out / 'e2e_latency.json'}")


if __name__ == "__main__":
    main()
