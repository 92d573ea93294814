"""Fixtures of the 督办 tests: a migrated review database with the unit tree, items made through the
real triage service (so their 期限 are the engine's), and principals of any role and unit."""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.identity.units import service as units
from services.review.triage.models import TriageItem
from services.review.triage.service import create_from_petition
from shared.actor import Actor
from tests.support.auth import AuthKeys
from tests.unit.auth.conftest import clock, review_app_on, seeded_review_db  # noqa: F401
from tests.unit.portal import factories

MakeItem = Callable[..., str]
ActorOf = Callable[..., Actor]


@pytest.fixture
def sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    factory: sessionmaker[Session] = engine_for("review")[1]
    with factory() as session, session.begin():
        units.seed(session)
    return factory


@pytest.fixture
def make_item(sessions: sessionmaker[Session]) -> MakeItem:
    """An item received at ``unit`` on ``received_on`` (its 12309 deadlines attached), handled by ``handling``."""
    counter = iter(range(1, 10_000))

    def make(*, unit: str = "NY-JCY-KS", handling: str | None = "NY-JCY-WC", status: str = "handling",
             received_on: _dt.date = _dt.date(2026, 11, 2)) -> str:
        line = "12368" if unit.startswith("NY-FY") else "12309"
        petition = factories.petition(number=next(counter), unit_code=unit, received_on=received_on, line=line)
        with sessions() as session, session.begin():
            item = create_from_petition(session, petition, event_id=str(uuid.uuid4()), trace_id=None)
            item.handling_unit_code = handling
            item.status = status
        return petition.petition_id

    return make


@pytest.fixture
def actor(test_keys: AuthKeys) -> ActorOf:
    """A signed-in member of staff: ``actor("unit_leader")`` is 市院's leader; ``unit=`` for another unit."""
    def make(role: str, unit: str | None = None) -> Actor:
        return Actor.of(test_keys.principal(role, unit))

    return make


def item_of(sessions: sessionmaker[Session], petition_id: str) -> TriageItem:
    with sessions() as session:
        item = session.scalars(select(TriageItem).where(TriageItem.petition_id == petition_id)).one()
        session.expunge(item)
        return item


@pytest.fixture
def review_app(seeded_review_db, tmp_path, clock):  # type: ignore[no-untyped-def]
    """review's app over the seeded database (units, demo accounts), on the test clock (2026-11-27)."""
    with review_app_on(seeded_review_db, tmp_path, clock) as app:
        yield app


@pytest.fixture
def app_item(review_app) -> MakeItem:  # type: ignore[no-untyped-def]
    """Items in the app's database: received at 控申 (NY-JCY-KS), handled by 宛城区院 unless told."""
    factory = review_app.extensions["huhang"].session_factory
    counter = iter(range(1, 10_000))

    def make(*, unit: str = "NY-JCY-KS", handling: str | None = "NY-JCY-WC", status: str = "handling",
             received_on: _dt.date = _dt.date(2026, 11, 20)) -> str:
        petition = factories.petition(number=next(counter), unit_code=unit, received_on=received_on)
        with factory() as session, session.begin():
            item = create_from_petition(session, petition, event_id=str(uuid.uuid4()), trace_id=None)
            item.handling_unit_code, item.status = handling, status
        return petition.petition_id

    return make
