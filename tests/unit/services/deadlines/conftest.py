"""Fixtures of the deadline tests: a migrated review database and the review app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker


@pytest.fixture
def review_sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("review")
    return sessions


@pytest.fixture
def review_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.review import create_app

    app = create_app({"TESTING": True}, settings=settings_for("review"))
    yield app
    app.extensions["huhang"].engine.dispose()
