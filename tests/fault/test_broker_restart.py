"""F4 of the fault plan: the broker is killed (-9) under load and restarted.

Runs its own broker (other ports, other data directory), so killing it disturbs no other test.
Invariants: every acknowledged petition reaches notify exactly once (no loss, no duplicate
effect), and intake keeps answering 201 while the broker is down (the outbox absorbs it).
"""

from __future__ import annotations

import os
import subprocess
import threading
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.support.infra import Databases
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, free_port, wait_for

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.integration]


class PrivateBroker:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.env = dict(os.environ, HUHANG_VAR=str(root), KAFKA_PORT=str(self.port), KAFKA_CONTROLLER_PORT=str(free_port()))

    def run(self, action: str) -> None:
        subprocess.run(["bash", str(REPO / "deploy/local/kafka.sh"), action], env=self.env, check=True, timeout=180)

    def kill9(self) -> None:
        pid = Path(self.env["HUHANG_VAR"], "kafka", "kafka.pid").read_text().strip()
        os.kill(int(pid), 9)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"


def test_broker_killed_and_restarted_under_load(databases: Databases, tmp_path: Path, test_keys: AuthKeys) -> None:
    broker = PrivateBroker(tmp_path / "var")
    broker.run("start")
    stack = Stack(
        kafka_bootstrap=broker.bootstrap,
        database_urls={svc: databases.fresh(svc) for svc in ("intake", "review", "notify")},
        topic_prefix=f"f4{uuid.uuid4().hex[:6]}",
        log_dir=tmp_path,
    )
    acknowledged: list[str] = []
    stop = threading.Event()
    try:
        intake = stack.start_api("intake")
        for svc in ("intake", "review", "notify"):
            stack.start_workers(svc)

        clerk = test_keys.headers("intake_clerk", ttl=3600)  # tests/support/auth.py

        def load() -> None:
            n = 0
            while not stop.is_set():
                key = f"f4-{n}"
                resp = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers={"Idempotency-Key": key, **clerk}, timeout=30)
                if resp.status_code == 201:
                    acknowledged.append(resp.json()["id"])
                n += 1
                stop.wait(0.05)

        notify = create_engine(stack.database_urls["notify"])

        def delivered() -> int:
            with notify.connect() as conn:
                return int(conn.execute(text("select count(distinct subject) from deliveries")).scalar())

        loader = threading.Thread(target=load)
        loader.start()
        # Kill the broker once the pipeline is flowing, with work in flight at every stage.
        wait_for(lambda: delivered() >= 1 and len(acknowledged) >= 20, timeout=60, what="load flowing end to end")
        broker.kill9()
        before_down = len(acknowledged)
        # Intake keeps accepting while the broker is gone.
        wait_for(lambda: len(acknowledged) >= before_down + 20, what="intake answering with the broker down")
        broker.run("start")
        wait_for(lambda: len(acknowledged) >= before_down + 60, timeout=60, what="load after restart")
        stop.set()
        loader.join(timeout=30)

        wait_for(lambda: delivered() >= len(acknowledged), timeout=180, interval=0.5, what="every petition delivered")
        with notify.connect() as conn:
            rows = conn.execute(text("select subject, count(*) from deliveries group by subject")).all()
        notify.dispose()
        assert {subject for subject, _ in rows} == set(acknowledged)  # I1 no loss, I3 no phantom
        assert all(count == 1 for _, count in rows)  # I2 no duplicate effect
    finally:
        stop.set()
        stack.stop_all()
        broker.run("stop")
