"""Triage items with their 期限, put into review's database through the real service functions.

`create_from_petition` attaches the deadlines a petition's line starts (12309: the 7-day and
3-month replies; 12368: the work order), so every due date here is the engine's own, computed
with the holiday calendar.  Tests read the due dates back instead of assuming them.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import closing, extensions, queries, suspensions
from services.review.deadlines.models import OPEN, Deadline
from services.review.triage.inputs import PetitionReceived
from services.review.triage.models import TriageItem
from services.review.triage.service import create_from_petition
from shared.calendar import BEIJING, Unit


@dataclass(frozen=True)
class Made:
    """What a made item looks like from outside: enough to predict the queue."""

    item_id: str
    petition_id: str
    case_number: str
    unit_code: str
    line: str
    channel: str
    is_enterprise: bool
    status: str
    next_due_on: _dt.date | None


def petition(*, number: int, unit_code: str, received_on: _dt.date, line: str = "12309", channel: str = "网",
             is_enterprise: bool = True, prefix: str | None = None) -> PetitionReceived:
    """A received petition as intake's event describes it (the PII already masked)."""
    at = _dt.datetime.combine(received_on, _dt.time(10, 0), tzinfo=BEIJING).astimezone(_dt.timezone.utc)
    return PetitionReceived(
        petition_id=str(uuid.uuid4()), case_number=f"{prefix or line}-{received_on.year}-{number:06d}", line=line,
        channel=channel, petition_type="控告", is_enterprise=is_enterprise, petitioner_masked="张*",
        summary=f"某企业反映账户被冻结（第 {number} 件）", received_at=at, received_on=received_on,
        enterprise_name="南阳某机械有限公司" if is_enterprise else None, unit_code=unit_code,
    )


def add(sessions: sessionmaker[Session], petitions: list[PetitionReceived], *, statuses: dict[str, str] | None = None) -> list[Made]:
    """Triage the petitions (one transaction), then set the given item statuses (no service routes yet)."""
    statuses = statuses or {}
    with sessions() as session, session.begin():
        for p in petitions:
            item = create_from_petition(session, p, event_id=str(uuid.uuid4()), trace_id=None)
            if p.petition_id in statuses:
                item.status = statuses[p.petition_id]
    return made(sessions)


def made(sessions: sessionmaker[Session]) -> list[Made]:
    """Every triage item with its nearest open due date, as the database holds them."""
    with sessions() as session:
        nearest = dict(session.execute(
            select(Deadline.subject, func.min(Deadline.due_on)).where(Deadline.status == OPEN)
            .group_by(Deadline.subject)).all())
        return [
            Made(i.id, i.petition_id, i.case_number, i.unit_code or "", i.line, i.channel, i.is_enterprise, i.status,
                 nearest.get(i.petition_id))
            for i in session.scalars(select(TriageItem))
        ]


def pause(sessions: sessionmaker[Session], petition_id: str, *, reason: str = "awaiting_materials") -> None:
    """中止 every open 期限 of the petition from the day after it started (its clock then has no due date)."""
    with sessions() as session, session.begin():
        for d in queries.list_(session, principal=None, subject=petition_id, status=OPEN):
            suspensions.suspend(session, deadline_id=d.id, reason=reason, basis="当事人补充证据材料",
                                start_on=d.start_on + _dt.timedelta(days=1), actor="test", principal=None)


def extend(sessions: sessionmaker[Session], petition_id: str, *, days: int) -> None:
    """延长 the petition's first 期限 by `days` days."""
    with sessions() as session, session.begin():
        first = queries.list_(session, principal=None, subject=petition_id, status=OPEN)[0]
        extensions.extend(session, deadline_id=first.id, amount=days, unit=Unit.DAY, basis="经检察长批准延长",
                          approved_by="检察长", actor="test", principal=None)


def meet(sessions: sessionmaker[Session], petition_id: str, *, at: _dt.datetime) -> None:
    """Every open 期限 of the petition met at `at` (the replies were sent)."""
    with sessions() as session, session.begin():
        for d in queries.list_(session, principal=None, subject=petition_id, status=OPEN):
            closing.meet(session, deadline_id=d.id, met_at=at, actor="test", principal=None)
