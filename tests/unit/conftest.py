"""Unit-test fixtures: migrated SQLite databases (copied from a template) and app clients."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.config import KafkaSettings, Settings
from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import upgrade
from tests.support.auth import AuthKeys


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One migrated SQLite file per service, built once: tests copy it instead of migrating."""
    root = tmp_path_factory.mktemp("templates")
    paths = {}
    for service in ("intake", "review", "notify"):
        path = root / f"{service}.db"
        upgrade(service, f"sqlite:///{path}")
        paths[service] = path
    return paths


def _db(service: str, templates: dict[str, Path], tmp_path: Path) -> str:
    path = tmp_path / f"{service}.db"
    shutil.copy(templates[service], path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings_for(migrated_templates: dict[str, Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(service: str) -> Settings:
        return Settings(
            service=service,
            database_url=_db(service, migrated_templates, tmp_path),
            kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="unit"),
        )

    return make


@pytest.fixture
def engine_for(settings_for):  # type: ignore[no-untyped-def]
    engines: list[Engine] = []

    def make(service: str) -> tuple[Engine, sessionmaker[Session]]:
        engine = make_engine(settings_for(service).database_url)
        engines.append(engine)
        return engine, make_session_factory(engine)

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def intake_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.intake import create_app

    app = create_app({"TESTING": True}, settings=settings_for("intake"))
    yield app
    app.extensions["huhang"].engine.dispose()


@pytest.fixture
def intake_client(intake_app: Flask, test_keys: AuthKeys) -> FlaskClient:
    """A client signed in as a 12309 intake clerk of 市院控告申诉检察部 (tests/support/auth.py)."""
    client = intake_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = test_keys.headers("intake_clerk")["Authorization"]
    return client
