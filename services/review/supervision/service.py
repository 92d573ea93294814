"""The rules of 跟踪督办 (挂牌督办 and its reports), as plain functions over a session.

* 挂牌督办 (:func:`open_`): a unit strictly above the item's handling unit (or the task force)
  puts the item under supervision with its own period and instructions; the 督办 gets its own
  期限 (``supervision.report``, subject = the 督办) owned by the supervised unit, and the item is
  ``supervised`` while any 督办 of it is open.  督办 never changes the item's status.
* 报告 (:func:`report`): only the supervised unit's own people report back.
* 审核 (:func:`accept` / :func:`reject`): only the supervising unit's own people decide; an
  accepted report closes the 督办 and meets its 期限 on the day the report came; a rejected one
  (with reasons) sends it back for another report, the 期限 still running.
* A supervising unit never answers the item for the unit below (that is handling's
  ``require_acts_for``); here it only supervises.

The escalation of overdue 期限 (the other way a 督办 opens) is escalation.py.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from services.review.deadlines import closing
from services.review.deadlines.attaching import attach
from services.review.supervision.models import (
    ACCEPTED,
    AWAITING_REPORT,
    CLOSED,
    DECLINED,
    LISTED,
    OPEN,
    REJECTED,
    REPORTED,
    UNCLOSED,
    Supervision,
    SupervisionReport,
)
from services.review.triage import states
from services.review.triage.access import get_item, require_acts_for, require_state, require_supervises, WrongState
from services.review.triage.models import TriageItem
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.calendar import Unit, beijing_date, clock
from shared.errors import ErrorKind, NotFound, DomainError
from shared.events import new_event
from shared.outbox import enqueue

RULE = "supervision.report"
#: The states of an item a 督办 may be opened on: it is still being worked.
SUPERVISABLE = states.ACTIVE


class SupervisionNotFound(NotFound):
    code = "supervision_not_found"
    message_zh = "未找到该督办"
    message_en = "No such supervision"


class AlreadySupervised(DomainError):
    """The supervising unit has already put this item under 挂牌督办 and it is not closed."""

    kind = ErrorKind.CONFLICT
    code = "already_supervised"
    message_zh = "本单位对该事项的挂牌督办尚未办结，不能重复挂牌"
    message_en = "Your unit's supervision of this matter is still open"


def supervised_unit_of(item: TriageItem) -> str | None:
    """Who answers the item, hence who is supervised: its handling unit, else its receiving unit."""
    return item.handling_unit_code or item.unit_code


def payload(item: TriageItem, supervision: Supervision, **extra: Any) -> dict[str, Any]:
    """The data of every supervision.* event: the item's workflow fields and the 督办's."""
    return {
        "petition_id": item.petition_id, "case_number": item.case_number, "unit_code": item.unit_code,
        "handling_unit_code": item.handling_unit_code, "status": item.status, "round": item.round,
        "supervision_id": supervision.id, "kind": supervision.kind, "state": supervision.state,
        "supervising_unit_code": supervision.supervising_unit_code,
        "supervised_unit_code": supervision.supervised_unit_code, "due_on": supervision.due_on, **extra,
    }


def snapshot(supervision: Supervision) -> dict[str, Any]:
    """The audit row's before/after of a 督办."""
    return {
        "state": supervision.state, "kind": supervision.kind, "petition_id": supervision.petition_id,
        "supervising_unit_code": supervision.supervising_unit_code,
        "supervised_unit_code": supervision.supervised_unit_code, "due_on": supervision.due_on,
        "reports": supervision.reports,
    }


def emit(session: Session, event_type: str, item: TriageItem, supervision: Supervision, *, actor: Actor | str,
         **extra: Any) -> None:
    name = actor if isinstance(actor, str) else actor.name
    trace = None if isinstance(actor, str) else actor.trace_id
    enqueue(session, new_event(event_type, subject=item.petition_id, source="review", actor=name, trace_id=trace,
                               data=payload(item, supervision, **extra)))


def start_clock(session: Session, supervision: Supervision, item: TriageItem, *, start_on: _dt.date,
                period: tuple[int, Unit] | None, actor: str) -> None:
    """Attach the 督办's own 期限 (owned by the supervised unit) and copy its due date."""
    deadline = attach(session, subject=supervision.id, rule_code=RULE, start_on=start_on,
                      unit_code=supervision.supervised_unit_code, case_number=item.case_number, actor=actor,
                      period=period)
    supervision.deadline_id = deadline.id
    supervision.set_due(deadline.due_on)
    supervision.period_amount = deadline.amount
    supervision.period_unit = deadline.unit


def refresh_supervised(session: Session, item: TriageItem) -> bool:
    """``item.supervised``: whether any 督办 of it is still open; returns the new value."""
    session.flush()
    item.supervised = bool(session.scalar(select(exists().where(
        Supervision.petition_id == item.petition_id, Supervision.state.in_(UNCLOSED)))))
    return item.supervised


def open_(
    session: Session, *, petition_id: str, amount: int, unit: Unit, instructions: str, actor: Actor,
    now: _dt.datetime | None = None,
) -> Supervision:
    """挂牌督办: the actor's unit puts the item under supervision, reporting within ``amount`` ``unit``.

    :raise ItemNotFound: the actor does not see the item (404).
    :raise NotYourUnit: the actor's unit is not strictly above the supervised unit, nor the task force (403).
    :raise WrongState: the item is no longer being worked (409).
    :raise AlreadySupervised: the actor's unit already has an open 挂牌督办 of it (409).
    """
    principal = _principal(actor)
    item = get_item(session, petition_id, principal=principal, for_update=True)
    supervised_unit = supervised_unit_of(item)
    require_supervises(principal, supervised_unit)
    require_state(item, *SUPERVISABLE)
    assert supervised_unit is not None  # require_supervises refuses None for all but the task force
    if session.scalar(select(exists().where(
            Supervision.petition_id == item.petition_id, Supervision.kind == LISTED,
            Supervision.supervising_unit_code == principal.unit_code, Supervision.state.in_(UNCLOSED)))):
        raise AlreadySupervised(petition_id=petition_id)
    at = now or clock.utcnow()
    today = beijing_date(at)
    supervision = Supervision(
        petition_id=item.petition_id, kind=LISTED, state=OPEN, supervising_unit_code=principal.unit_code,
        supervised_unit_code=supervised_unit, instructions=instructions, period_amount=amount,
        period_unit=unit.value, opened_by=actor.name, opened_on=today, reports=0,
    )
    session.add(supervision)
    session.flush()
    start_clock(session, supervision, item, start_on=today, period=(amount, unit), actor=actor.name)
    refresh_supervised(session, item)
    record(session, action="supervision.open", subject_type="supervision", subject_id=supervision.id,
           after={**snapshot(supervision), "instructions": instructions, "period": f"{amount} {unit.value}"},
           detail={"case_number": item.case_number}, **actor.fields())
    emit(session, "supervision.opened", item, supervision, actor=actor, instructions=instructions)
    return supervision


def report(
    session: Session, *, supervision_id: str, text: str, actor: Actor, now: _dt.datetime | None = None,
) -> SupervisionReport:
    """The supervised unit reports back on the 督办 (first time, or again after a rejection).

    :raise SupervisionNotFound: not seen (404). :raise NotYourUnit: not the supervised unit's own people (403).
    :raise WrongState: a report is already waiting for a decision, or the 督办 is closed (409).
    """
    principal = _principal(actor)
    supervision, item = _locked(session, supervision_id, principal)
    require_acts_for(principal, supervision.supervised_unit_code)
    _require_state(supervision, *AWAITING_REPORT)
    at = now or clock.utcnow()
    before = snapshot(supervision)
    filed = SupervisionReport(supervision_id=supervision.id, text=text, reported_by=actor.name, reported_at=at,
                              reported_on=beijing_date(at))
    session.add(filed)
    supervision.state = REPORTED
    supervision.reports += 1
    session.flush()
    record(session, action="supervision.report", subject_type="supervision", subject_id=supervision.id,
           before=before, after={**snapshot(supervision), "report_id": filed.id, "text": text}, **actor.fields())
    emit(session, "supervision.reported", item, supervision, actor=actor, report_id=filed.id,
         reported_on=filed.reported_on)
    return filed


def accept(session: Session, *, supervision_id: str, actor: Actor, now: _dt.datetime | None = None) -> Supervision:
    """The supervising unit accepts the waiting report: the 督办 closes, its 期限 is met on the report's day.

    :raise NotYourUnit: not the supervising unit's own people (403). :raise WrongState: no report waiting (409).
    """
    principal = _principal(actor)
    supervision, item = _locked(session, supervision_id, principal)
    require_acts_for(principal, supervision.supervising_unit_code)
    _require_state(supervision, REPORTED)
    filed = _waiting_report(session, supervision)
    at = now or clock.utcnow()
    before = snapshot(supervision)
    filed.decision, filed.decided_by, filed.decided_at = ACCEPTED, actor.name, at
    supervision.state = CLOSED
    supervision.closed_at, supervision.closed_by = at, actor.name
    supervision.closed_on_time = supervision.due_on is None or filed.reported_on <= supervision.due_on
    if supervision.deadline_id is not None:
        # A system act of the 督办's own clock: the acceptance performs the report duty as of its day.
        closing.meet(session, deadline_id=supervision.deadline_id, met_at=at, met_on=filed.reported_on,
                     actor=actor.name, principal=None, note="督办报告经审核通过")
    still = refresh_supervised(session, item)
    record(session, action="supervision.accept", subject_type="supervision", subject_id=supervision.id,
           before=before, after={**snapshot(supervision), "report_id": filed.id}, **actor.fields())
    emit(session, "supervision.report_accepted", item, supervision, actor=actor, report_id=filed.id, reasons=None)
    emit(session, "supervision.closed", item, supervision, actor=actor, closed_on=beijing_date(at),
         on_time=bool(supervision.closed_on_time), still_supervised=still)
    return supervision


def reject(
    session: Session, *, supervision_id: str, reasons: str, actor: Actor, now: _dt.datetime | None = None,
) -> Supervision:
    """The supervising unit rejects the waiting report with reasons: the supervised unit reports again.

    :raise NotYourUnit: not the supervising unit's own people (403). :raise WrongState: no report waiting (409).
    """
    principal = _principal(actor)
    supervision, item = _locked(session, supervision_id, principal)
    require_acts_for(principal, supervision.supervising_unit_code)
    _require_state(supervision, REPORTED)
    filed = _waiting_report(session, supervision)
    at = now or clock.utcnow()
    before = snapshot(supervision)
    filed.decision, filed.reasons, filed.decided_by, filed.decided_at = DECLINED, reasons, actor.name, at
    supervision.state = REJECTED
    session.flush()
    record(session, action="supervision.reject", subject_type="supervision", subject_id=supervision.id,
           before=before, after={**snapshot(supervision), "report_id": filed.id, "reasons": reasons},
           **actor.fields())
    emit(session, "supervision.report_rejected", item, supervision, actor=actor, report_id=filed.id,
         reasons=reasons)
    return supervision


# --- reading ------------------------------------------------------------------------------------

def get(session: Session, supervision_id: str, *, principal: Principal | None) -> Supervision:
    """The 督办 if the principal sees its supervised unit (a unit above sees it too); else 404."""
    supervision = session.get(Supervision, supervision_id) if len(supervision_id) <= 36 else None
    if supervision is None or not can_see(principal, supervision.supervised_unit_code):
        raise SupervisionNotFound(supervision_id=supervision_id[:40])
    return supervision


def of_item(session: Session, petition_id: str, *, principal: Principal | None) -> list[Supervision]:
    """The item's 督办 the principal sees, the open ones first, then the newest."""
    query = select(Supervision).where(Supervision.petition_id == petition_id)
    rows = [s for s in session.scalars(query.order_by(Supervision.created_at.desc(), Supervision.id))
            if can_see(principal, s.supervised_unit_code)]
    return sorted(rows, key=lambda s: not s.is_open)


def reports_of(session: Session, supervision_id: str) -> list[SupervisionReport]:
    return list(session.scalars(select(SupervisionReport).where(SupervisionReport.supervision_id == supervision_id)
                                .order_by(SupervisionReport.reported_at, SupervisionReport.id)))


# --- helpers ------------------------------------------------------------------------------------

def _principal(actor: Actor) -> Principal:
    if actor.principal is None:
        raise RuntimeError("a 督办 action needs a signed-in member of staff")
    return actor.principal


def _locked(session: Session, supervision_id: str, principal: Principal) -> tuple[Supervision, TriageItem]:
    """The 督办 (row-locked) and its item (row-locked: its ``supervised`` flag may change)."""
    get(session, supervision_id, principal=principal)
    supervision = session.scalars(select(Supervision).where(Supervision.id == supervision_id)
                                  .with_for_update()).one()
    item = session.scalars(select(TriageItem).where(TriageItem.petition_id == supervision.petition_id)
                           .with_for_update()).one()
    return supervision, item


def _require_state(supervision: Supervision, *allowed: str) -> None:
    if supervision.state not in allowed:
        raise WrongState(status=supervision.state, allowed=list(allowed))


def _waiting_report(session: Session, supervision: Supervision) -> SupervisionReport:
    filed = session.scalar(select(SupervisionReport).where(
        SupervisionReport.supervision_id == supervision.id, SupervisionReport.decision.is_(None))
        .order_by(SupervisionReport.reported_at.desc()).limit(1))
    if filed is None:  # a REPORTED 督办 always has one; a hand-edited row might not
        raise WrongState(status=supervision.state, allowed=[REPORTED])
    return filed

