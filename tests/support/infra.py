"""The real broker and database for integration tests, through one door.

Order of choice:
1. `KAFKA_BOOTSTRAP_SERVERS` and `TEST_DATABASE_URL` already set (make test, CI): use them;
2. a Docker engine answers: testcontainers (apache/kafka in KRaft mode, postgres);
3. otherwise: the local processes of `deploy/local/` (a real Kafka from its jars, Debian's
   PostgreSQL), started here if they are not running.
Tests never see which: they get a bootstrap address and a PostgreSQL admin URL.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
LOCAL_PG_URL = "postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_test"


@dataclass(frozen=True)
class Infrastructure:
    kafka_bootstrap: str
    pg_admin_url: str  # a database on the server where test databases can be created
    how: str

    def database_url(self, name: str) -> str:
        base, _, _ = self.pg_admin_url.rpartition("/")
        return f"{base}/{name}"


def docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - no engine, no socket, no permission: all mean "no Docker"
        return False


@contextmanager
def _containers() -> Iterator[Infrastructure]:
    # Runs where a Docker engine answers (not on the project's own CI machine, which has none).
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    with ExitStack() as stack:
        kafka = stack.enter_context(KafkaContainer("apache/kafka:4.1.1").with_kraft())
        pg = stack.enter_context(
            PostgresContainer("postgres:16", username="huhang", password="huhang", dbname="huhang_test", driver="psycopg")
        )
        yield Infrastructure(kafka.get_bootstrap_server(), pg.get_connection_url(), "testcontainers")


def _run(script: str, *args: str) -> None:
    subprocess.run(["bash", str(REPO / "deploy" / "local" / script), *args], check=True)


@contextmanager
def _local_processes() -> Iterator[Infrastructure]:
    # The scripts are idempotent: a broker or server already running is reused, not restarted.
    _run("kafka.sh", "start")
    _run("postgres.sh", "start")
    yield Infrastructure("127.0.0.1:9092", LOCAL_PG_URL, "local processes")


@contextmanager
def infrastructure() -> Iterator[Infrastructure]:
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    pg = os.environ.get("TEST_DATABASE_URL")
    if kafka and pg:
        yield Infrastructure(kafka, pg, "environment")
    elif docker_available():
        with _containers() as infra:
            yield infra
    else:
        with _local_processes() as infra:
            yield infra


class Databases:
    """Creates a fresh PostgreSQL database per test from a migrated template, and drops it after."""

    def __init__(self, infra: Infrastructure) -> None:
        self.infra = infra
        self.admin = create_engine(infra.pg_admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        self.templates: dict[str, str] = {}
        self.created: list[str] = []

    def template(self, service: str) -> str:
        if service not in self.templates:
            from shared.db.migrate import upgrade

            name = f"tpl_{service}_{uuid.uuid4().hex[:8]}"
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            upgrade(service, self.infra.database_url(name))
            engine = create_engine(self.infra.database_url(name))
            engine.dispose()  # a template must have no open connections
            self.templates[service] = name
            self.created.append(name)
        return self.templates[service]

    def fresh(self, service: str) -> str:
        """A new, migrated database for one service; returns its URL."""
        template = self.template(service)
        name = f"t_{service}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        self.created.append(name)
        return self.infra.database_url(name)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.clear()
        self.admin.dispose()
