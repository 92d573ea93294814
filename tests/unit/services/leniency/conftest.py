"""Fixtures of the 首违不罚 tests: a migrated review database with the unit tree and the repository's
lists loaded, the review app over it, and the facts of a check that succeeds unless a test changes one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from services.review.identity.units import service as units
from services.review.leniency import catalogue
from shared.actor import Actor
from tests.support.auth import AuthKeys
from tests.unit.auth.conftest import clock, review_app_on, seeded_review_db  # noqa: F401

#: A valid 统一社会信用代码 (GB 32100 check character) and another.
CREDIT = "91411300MA44XK6U4Q"
OTHER_CREDIT = "91411302MA9F4T7N06"

#: A 6号 item 3 violation that meets every condition (art. 33 ¶1 first sentence: no harm).
GOOD: dict[str, Any] = {
    "credit_code": CREDIT, "enterprise_name": "南阳市宛城区示例商贸有限公司",
    "authority": "国家税务总局南阳市宛城区税务局", "act": "2026年第三季度增值税未按期办理纳税申报",
    "list_code": "tax-2021-6", "item_code": "3", "act_on": "2026-10-16", "corrected": True,
    "corrected_on": "2026-10-20", "discovered_on": "2026-10-22", "harm": "none", "illegal_gains": False,
    "first_claimed": True,
}

ActorOf = Callable[..., Actor]


@pytest.fixture
def sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    factory: sessionmaker[Session] = engine_for("review")[1]
    with factory() as session, session.begin():
        units.seed(session)
        catalogue.seed(session)
    return factory


@pytest.fixture
def actor(test_keys: AuthKeys) -> ActorOf:
    def make(role: str = "penalty_reviewer", unit: str | None = None) -> Actor:
        return Actor.of(test_keys.principal(role, unit))
    return make


@pytest.fixture
def review_app(seeded_review_db, tmp_path, clock) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """review's app over the seeded database (units, demo accounts) with the lists loaded; clock 2026-11-27."""
    with review_app_on(seeded_review_db, tmp_path, clock) as app:
        with app.extensions["huhang"].session_factory() as session, session.begin():
            catalogue.seed(session)
        yield app


@pytest.fixture
def api(review_app: Flask, test_keys: AuthKeys) -> Any:
    client: FlaskClient = review_app.test_client()

    def call(method: str, path: str, role: str = "penalty_reviewer", unit: str | None = None,
             body: dict[str, Any] | None = None) -> Any:
        return client.open(path, method=method, json=body, headers=test_keys.headers(role, unit))

    return call
