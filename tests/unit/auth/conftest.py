"""Fixtures of the auth tests: a seeded review app with a clock the test moves."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.review.identity.accounts import admin
from services.review.identity.units import service as units
from shared.auth.config import DEV_SECRET
from shared.config import KafkaSettings, Settings
from shared.db.engine import make_engine, make_session_factory


class Clock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def seeded_review_db(migrated_templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """review's database with units and demo accounts, built once (argon2 hashing is slow on purpose)."""
    path = tmp_path_factory.mktemp("seeded") / "review.db"
    shutil.copy(migrated_templates["review"], path)
    engine = make_engine(f"sqlite:///{path}")
    with make_session_factory(engine)() as session:
        units.seed(session)
        admin.seed_demo(session, now=Clock()(), secret_key=DEV_SECRET, production=False)
        session.commit()
    engine.dispose()
    return path


@contextmanager
def review_app_on(source: Path, tmp_path: Path, clock: Clock) -> Iterator[Flask]:
    """review's app over a copy of the database file `source`, on the test's clock."""
    from services.review import create_app

    path = tmp_path / "review-seeded.db"
    shutil.copy(source, path)
    settings = Settings(service="review", database_url=f"sqlite:///{path}",
                        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="unit"))
    app = create_app({"TESTING": True}, settings=settings)
    ctx = app.extensions["huhang"]
    ctx.extras["clock"] = clock
    yield app
    ctx.engine.dispose()


@pytest.fixture
def review_app(seeded_review_db: Path, tmp_path: Path, clock: Clock) -> Iterator[Flask]:
    with review_app_on(seeded_review_db, tmp_path, clock) as app:
        yield app


@pytest.fixture
def review_client(review_app: Flask) -> FlaskClient:
    return review_app.test_client()


@pytest.fixture(params=["intake", "notify"])
def app(request: pytest.FixtureRequest, settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """intake or notify: the services that verify review's tokens (and its access cookie)."""
    import importlib

    service = request.param
    built: Flask = importlib.import_module(f"services.{service}").create_app({"TESTING": True}, settings=settings_for(service))
    yield built
    built.extensions["huhang"].engine.dispose()


def api_path(app: Flask) -> str:
    """A list endpoint of `app` that any signed-in member of staff may call."""
    return "/api/v1/petitions" if app.name == "intake" else "/api/v1/deliveries"
