"""Fixtures of the handling tests: review's seeded app (units, demo accounts) with a blob folder, a
frozen "today", items 交办 to a unit through the real triage and handling functions, and clients
signed in by token as any role of any unit."""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.models import Deadline
from services.review.handling import service
from services.review.identity.accounts.models import StaffAccount
from services.review.triage import states
from services.review.triage.service import create_from_petition
from shared.outbox.models import OutboxMessage
from shared.storage import LocalFolderStore
from tests.support.auth import AuthKeys
from tests.unit.auth.conftest import Clock, clock, review_app_on, seeded_review_db  # noqa: F401
from tests.unit.portal import factories
from tests.unit.portal.conftest import today  # noqa: F401

HANDLING_UNIT = "NY-JCY-WC"  # 宛城区人民检察院: demo-handler's unit
RECEIVING_UNIT = "NY-JCY-KS"  # 市院控告申诉检察部


@pytest.fixture
def review_app(seeded_review_db: Path, tmp_path: Path, clock: Clock) -> Iterator[Flask]:  # noqa: F811
    with review_app_on(seeded_review_db, tmp_path, clock) as app:
        app.extensions["huhang"].extras["blob_store"] = LocalFolderStore(str(tmp_path / "blobs"))
        yield app


@pytest.fixture
def sessions(review_app: Flask) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = review_app.extensions["huhang"].session_factory
    return factory


def route_item(sessions: sessionmaker[Session], *, received_on: _dt.date, unit: str = HANDLING_UNIT,
               line: str = "12309", routed_on: _dt.date | None = None, status: str = states.ROUTED) -> str:
    """A petition received at 控申 (or 中院诉服 for 12368), 交办 to ``unit``: the acceptance 期限 attached by
    :func:`service.on_routed` as triage's route will.  Returns the petition id."""
    receiving = "NY-FY-SF" if line == "12368" else RECEIVING_UNIT
    petition = factories.petition(number=uuid.uuid4().int % 999999, unit_code=receiving, received_on=received_on,
                                  line=line)
    with sessions() as session, session.begin():
        item = create_from_petition(session, petition, event_id=str(uuid.uuid4()), trace_id=None)
        item.status = status
        item.handling_unit_code = unit
        if status == states.ROUTED:
            service.on_routed(session, item, actor="user:t-triage_officer", routed_on=routed_on or received_on)
    return petition.petition_id


def client(app: Flask, keys: AuthKeys, role: str, unit: str | None = None, **claims: Any) -> FlaskClient:
    c = app.test_client()
    c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {keys.token(role, unit, **claims)}"
    return c


def account_id(sessions: sessionmaker[Session], username: str) -> str:
    with sessions() as session:
        return session.scalars(select(StaffAccount.id).where(StaffAccount.username == username)).one()


def add_account(sessions: sessionmaker[Session], *, username: str, unit: str, roles: list[str],
                name: str | None = None, disabled: bool = False) -> str:
    """A staff account straight into the table (no password is ever used: tests sign in by token)."""
    with sessions() as session, session.begin():
        row = StaffAccount(username=username, display_name=name or username, unit_code=unit, roles=roles,
                           password_hash="!unused", password_changed_at=_dt.datetime.now(_dt.timezone.utc),
                           disabled=disabled)
        session.add(row)
        session.flush()
        return row.id


def deadlines(sessions: sessionmaker[Session], petition_id: str) -> dict[str, Deadline]:
    """The petition's deadlines by rule code (the latest of each)."""
    with sessions() as session:
        rows = session.scalars(select(Deadline).where(Deadline.subject == petition_id)
                               .order_by(Deadline.start_on, Deadline.created_at)).all()
        session.expunge_all()
    return {d.rule_code: d for d in rows}


def events(sessions: sessionmaker[Session], prefix: str = "handling.") -> list[OutboxMessage]:
    with sessions() as session:
        rows = [m for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                if m.event_type.startswith(prefix)]
        session.expunge_all()
    return rows
