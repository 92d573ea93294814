"""Fixtures of the 失信 tests: the review app on a migrated database and the courts' people."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.auth import AuthKeys
from tests.support.dishonesty import Courts


@pytest.fixture
def review_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.review import create_app

    from services.review.identity.units.seed import seed_units

    app = create_app({"TESTING": True}, settings=settings_for("review"))
    with app.extensions["huhang"].session_factory() as session, session.begin():
        seed_units(session, production=False)  # the court tree: 执行局 lists in 南阳中院's name
    yield app
    app.extensions["huhang"].engine.dispose()


@pytest.fixture
def client(review_app: Flask) -> FlaskClient:
    return review_app.test_client()


@pytest.fixture
def courts(test_keys: AuthKeys) -> Courts:
    return Courts(test_keys)
