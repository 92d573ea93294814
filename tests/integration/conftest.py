"""Integration fixtures: the real broker and PostgreSQL (see tests/support/infra.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from tests.support.infra import Databases, Infrastructure, infrastructure
from tests.support.stack import Stack

pytestmark = pytest.mark.integration


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def infra() -> Iterator[Infrastructure]:
    with infrastructure() as found:
        yield found


@pytest.fixture(scope="session")
def databases(infra: Infrastructure) -> Iterator[Databases]:
    dbs = Databases(infra)
    yield dbs
    dbs.drop_all()


@pytest.fixture
def kafka_settings(infra: Infrastructure) -> KafkaSettings:
    """Topics of this test only: a unique prefix on the shared broker."""
    return KafkaSettings(bootstrap_servers=infra.kafka_bootstrap, topic_prefix=f"t{uuid.uuid4().hex[:10]}")


@pytest.fixture
def pg_session_for(databases: Databases) -> Iterator[object]:
    engines: list[Engine] = []

    def make(service: str) -> tuple[str, sessionmaker[Session]]:
        url = databases.fresh(service)
        engine = make_engine(url)
        engines.append(engine)
        return url, make_session_factory(engine)

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def stack(
    infra: Infrastructure, databases: Databases, kafka_settings: KafkaSettings, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Stack]:
    s = Stack(
        kafka_bootstrap=infra.kafka_bootstrap,
        database_urls={svc: databases.fresh(svc) for svc in ("intake", "review", "notify")},
        topic_prefix=kafka_settings.topic_prefix,
        log_dir=tmp_path,
    )
    yield s
    s.stop_all()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(s.logs())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    rep = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{rep.when}", rep)
