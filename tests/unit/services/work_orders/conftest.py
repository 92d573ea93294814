"""Fixtures of the work-order tests: a migrated review database, the review app, the court's people."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from tests.support.auth import AuthKeys
from tests.support.work_orders import Court


@pytest.fixture
def review_sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("review")
    return sessions


@pytest.fixture
def court(review_sessions: sessionmaker[Session], test_keys: AuthKeys) -> Court:
    return Court(review_sessions, test_keys)


@pytest.fixture
def review_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.review import create_app

    app = create_app({"TESTING": True}, settings=settings_for("review"))
    yield app
    app.extensions["huhang"].engine.dispose()
