"""Fixtures of the clearance unit tests: review's seeded app over SQLite (the local stack's database) with
挂案 written straight into hanging's tables, and clients signed in by token as any role of any unit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from tests.unit.auth.conftest import Clock, clock, review_app_on, seeded_review_db  # noqa: F401
from tests.unit.portal.conftest import today  # noqa: F401
from tests.unit.services.handling.conftest import client  # noqa: F401


@pytest.fixture
def review_app(seeded_review_db: Path, tmp_path: Path, clock: Clock) -> Iterator[Flask]:  # noqa: F811
    with review_app_on(seeded_review_db, tmp_path, clock) as app:
        yield app


@pytest.fixture
def sessions(review_app: Flask) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = review_app.extensions["huhang"].session_factory
    return factory
