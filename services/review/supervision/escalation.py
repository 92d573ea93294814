"""逾期升级: an overdue 期限 of a 事项 escalates the item one level up the unit tree, once per deadline.

Which deadlines: those of an item still being worked (triage/states.py ``ACTIVE``) that are open
past their due date, or were met late (``missed``).  When: on the first working day after the due
date (a due date in a holiday has already been moved by the engine to the next working day; the
unit above learns of it the working day after that, never on a rest day for a Friday's deadline).
Equivalently, the due date is before the latest working day on or before today.

Where to: the parent of the deadline's owning unit (``deadlines.unit_code``, else the item's
handling unit, else its receiving unit) in the unit tree: 基层院 → 市院, 部门 → 院领导 (its
院), 基层法院 → 中院.  A unit with no unit above (市院, 中院) records the escalation with no target
and opens nothing.  The escalation opens a 督办 of the unit above (kind ``escalated``) with the
rule's report period (``supervision.report``), shown on that unit's 督办 list.

Once: ``supervision_escalations`` has a unique key on ``deadline_id``; the job claims deadlines with
``SELECT … FOR UPDATE SKIP LOCKED`` and inserts the row with ``ON CONFLICT DO NOTHING``, so a
second scheduler replica neither waits for nor repeats the first one's work.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.review.deadlines.models import MISSED, OPEN, Deadline
from services.review.holidays.service import holiday_table
from services.review.identity.units.models import Unit as UnitRow
from services.review.identity.units.tree import by_code
from services.review.supervision.models import ESCALATED, Supervision, SupervisionEscalation
from services.review.supervision.models import OPEN as SUPERVISION_OPEN
from services.review.supervision.service import emit, refresh_supervised, snapshot, start_clock, supervised_unit_of
from services.review.triage import states
from services.review.triage.models import TriageItem
from shared.audit.service import record
from shared.calendar import HolidayTable
from shared.db.base import new_uuid, utcnow
from shared.db.engine import is_postgres

ACTOR = "system:scheduler"


@dataclass(frozen=True)
class Escalated:
    deadline_id: str
    petition_id: str
    from_unit: str | None
    to_unit: str | None  # None: no unit above
    supervision_id: str | None


def cutoff(today: _dt.date, table: HolidayTable) -> _dt.date:
    """The latest working day on or before ``today``: a deadline due before it is escalated today."""
    day = today
    while not table.is_working_day(day):
        day -= _dt.timedelta(days=1)
    return day


def parent_of(session: Session, unit_code: str) -> str | None:
    """The unit above ``unit_code``, from the units table (the seed file where the table lacks it)."""
    row = session.get(UnitRow, unit_code)
    if row is not None:
        return row.parent_code
    seed = by_code(unit_code)
    return seed.parent if seed is not None else None


def _claim(session: Session, before: _dt.date, limit: int) -> list[tuple[Deadline, TriageItem]]:
    query = (
        select(Deadline, TriageItem).join(TriageItem, TriageItem.petition_id == Deadline.subject)
        .where(Deadline.status.in_((OPEN, MISSED)), Deadline.due_on.is_not(None), Deadline.due_on < before,
               TriageItem.status.in_(states.ACTIVE),
               ~exists().where(SupervisionEscalation.deadline_id == Deadline.id))
        .order_by(Deadline.due_on, Deadline.id).limit(limit)
    )
    if is_postgres(str(session.get_bind().engine.url)):
        query = query.with_for_update(of=Deadline, skip_locked=True)
    return [(d, i) for d, i in session.execute(query).all()]


def _mark(session: Session, deadline: Deadline, item: TriageItem, *, from_unit: str | None, to_unit: str | None,
          today: _dt.date) -> str | None:
    """Insert the deadline's escalation row; None if another scheduler already did (the unique key)."""
    assert deadline.due_on is not None
    values = {"id": new_uuid(), "deadline_id": deadline.id, "petition_id": item.petition_id,
              "from_unit_code": from_unit, "to_unit_code": to_unit, "deadline_due_on": deadline.due_on,
              "escalated_on": today, "created_at": utcnow()}
    table = SupervisionEscalation.__table__
    dialect = postgresql if is_postgres(str(session.get_bind().engine.url)) else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=["deadline_id"])
    inserted = session.execute(statement.returning(table.c.id)).scalar()
    return str(inserted) if inserted is not None else None


def escalate(session: Session, deadline: Deadline, item: TriageItem, *, today: _dt.date) -> Escalated | None:
    """Escalate one overdue deadline of ``item`` (claimed by the caller); None if it already was."""
    assert deadline.due_on is not None
    from_unit = deadline.unit_code or supervised_unit_of(item)
    to_unit = parent_of(session, from_unit) if from_unit else None
    escalation_id = _mark(session, deadline, item, from_unit=from_unit, to_unit=to_unit, today=today)
    if escalation_id is None:
        return None
    if to_unit is None or from_unit is None:
        record(session, action="supervision.escalate", outcome="failure", actor=ACTOR, subject_type="deadline",
               subject_id=deadline.id, detail={"reason": "no_unit_above", "from_unit": from_unit,
                                               "petition_id": item.petition_id})
        return Escalated(deadline.id, item.petition_id, from_unit, None, None)
    supervision = Supervision(
        petition_id=item.petition_id, kind=ESCALATED, state=SUPERVISION_OPEN, supervising_unit_code=to_unit,
        supervised_unit_code=from_unit, escalated_deadline_id=deadline.id,
        instructions=f"{deadline.title}已于{deadline.due_on.isoformat()}届满未按期办结，逾期升级督办：请报告办理情况及超期原因。",
        # The rule's period, set with its clock (start_clock).
        period_amount=0, period_unit="day", opened_by=ACTOR, opened_on=today, reports=0,
    )
    session.add(supervision)
    session.flush()
    start_clock(session, supervision, item, start_on=today, period=None, actor=ACTOR)
    session.get(SupervisionEscalation, escalation_id).supervision_id = supervision.id  # type: ignore[union-attr]
    refresh_supervised(session, item)
    record(session, action="supervision.escalate", actor=ACTOR, subject_type="supervision", subject_id=supervision.id,
           after={**snapshot(supervision), "deadline_id": deadline.id, "from_unit": from_unit, "to_unit": to_unit},
           detail={"case_number": item.case_number, "rule_code": deadline.rule_code,
                   "deadline_due_on": deadline.due_on.isoformat()})
    emit(session, "supervision.escalated", item, supervision, actor=ACTOR, deadline_id=deadline.id,
         deadline_rule_code=deadline.rule_code, deadline_due_on=deadline.due_on, from_unit=from_unit,
         to_unit=to_unit)
    return Escalated(deadline.id, item.petition_id, from_unit, to_unit, supervision.id)


def escalate_batch(session: Session, *, today: _dt.date, limit: int) -> tuple[int, list[Escalated]]:
    """Claim up to ``limit`` overdue deadlines and escalate each; (claimed, escalated). The caller commits."""
    before = cutoff(today, holiday_table(session))
    claimed = _claim(session, before, limit)
    done = [e for e in (escalate(session, d, i, today=today) for d, i in claimed) if e is not None]
    return len(claimed), done

