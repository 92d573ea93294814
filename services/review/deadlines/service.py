"""Rules of the deadline engine, as plain functions over a session.

A deadline is attached with its rule (the row in force on the start date), and its due date is
always :func:`services.review.deadlines.counting.compute` over its stored inputs: start date,
rule snapshot, suspensions and extensions. Every change appends a ``deadline_events`` row; a
change of the due date or of the provisional flag is also announced as ``deadline.recomputed``
through the outbox, in the same transaction.

Unit scoping: every deadline belongs to a unit (``unit_code``; for a petition's deadlines, the
unit of its triage item). The functions a staff member reaches through the API take the
request's ``principal`` (keyword, no default, so no caller can forget it) and load the deadline
through :func:`shared.auth.scope`: another unit's deadline is a 404, exactly like one that does
not exist. ``principal=None`` is a system caller (the scheduler, a calendar import, an event
handler), which sees every unit. A deadline with no unit is seen only by the task force.

12309 "then monthly": the result reply (3 months) that is missed (its overdue notice) or met
with a *progress* reply rather than the final answer is followed by a ``12309.progress_followup``
deadline, counted from the closed deadline's due date; each follow-up is followed the same way,
until a final reply closes the chain (see docs/deadlines.md).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from services.review.holidays.service import holiday_table
from services.review.deadlines import counting
from services.review.deadlines.models import (
    MET,
    MISSED,
    OPEN,
    Deadline,
    DeadlineEvent,
    DeadlineExtension,
    DeadlineSuspension,
)
from services.review.deadlines.rules import rule_in_force
from shared.auth import Principal, scope
from shared.calendar import HolidayTable, Unit, beijing_date
from shared.db.base import utcnow
from shared.errors import Conflict, DomainError, NotFound
from shared.events import new_event
from shared.outbox import enqueue

SUSPENSION_REASONS = ("supplementary_investigation", "appraisal", "awaiting_materials", "rule_excluded", "other")

#: How a reply closes a deadline: the final answer, or a report of progress (the case goes on).
FINAL = "final"
PROGRESS = "progress"
OUTCOMES = (FINAL, PROGRESS)

#: 12309 "3 months, then monthly": the deadlines a progress reply (or a miss) is followed by.
FOLLOWUP_RULE = "12309.progress_followup"
FOLLOWED_BY = {"12309.result_reply": FOLLOWUP_RULE, FOLLOWUP_RULE: FOLLOWUP_RULE}


class DeadlineNotFound(NotFound):
    code = "deadline_not_found"
    message_en = "No such deadline"
    message_zh = "未找到该期限"


class SuspensionNotFound(NotFound):
    code = "suspension_not_found"
    message_en = "No such suspension of this deadline"
    message_zh = "未找到该期限的中止记录"


class DeadlineClosed(Conflict):
    code = "deadline_closed"
    message_en = "The deadline is already met or closed"
    message_zh = "该期限已办结"


class SuspensionAlreadyLifted(Conflict):
    code = "suspension_already_lifted"
    message_en = "The suspension was already lifted"
    message_zh = "该中止已解除"


class InvalidOutcome(DomainError):
    code = "invalid_outcome"
    message_en = "Only a 12309 result or progress reply can be a progress reply"
    message_zh = "仅12309办理结果答复或进展答复可作为进展答复"


class InvalidSuspension(DomainError):
    code = "invalid_suspension"
    message_en = "The suspension does not fit the deadline"
    message_zh = "中止期间与期限不符"


# --- reading -----------------------------------------------------------------------------------


def _scoped(principal: Principal | None) -> Select[tuple[Deadline]]:
    return scope(select(Deadline), Deadline.unit_code, principal)


def get_or_raise(
    session: Session, deadline_id: str, *, principal: Principal | None, for_update: bool = False,
) -> Deadline:
    """The deadline, if ``principal`` may see it (``None``: a system caller); else DeadlineNotFound."""
    query = _scoped(principal).where(Deadline.id == deadline_id)
    if for_update:
        query = query.with_for_update()
    deadline = session.scalar(query)
    if deadline is None:
        raise DeadlineNotFound(deadline_id=deadline_id)
    return deadline


def list_(
    session: Session, *, principal: Principal | None, subject: str | None = None, status: str | None = None,
    rule_code: str | None = None, limit: int = 50, offset: int = 0,
) -> list[Deadline]:
    query = _scoped(principal).order_by(Deadline.start_on, Deadline.created_at, Deadline.id)
    if subject is not None:
        query = query.where(Deadline.subject == subject)
    if status is not None:
        query = query.where(Deadline.status == status)
    if rule_code is not None:
        query = query.where(Deadline.rule_code == rule_code)
    return list(session.scalars(query.limit(limit).offset(offset)))


def detail(session: Session, deadline_id: str, *, principal: Principal | None) -> dict[str, Any]:
    """One deadline (scoped) with its suspensions, extensions and history."""
    deadline = get_or_raise(session, deadline_id, principal=principal)
    return {
        "deadline": deadline,
        "suspensions": suspensions(session, deadline.id),
        "extensions": extensions(session, deadline.id),
        "history": history(session, deadline.id),
    }


# The three below read the parts of a deadline already loaded through get_or_raise (by key).


def history(session: Session, deadline_id: str) -> list[DeadlineEvent]:
    return list(session.scalars(
        select(DeadlineEvent).where(DeadlineEvent.deadline_id == deadline_id).order_by(DeadlineEvent.id)
    ))


def suspensions(session: Session, deadline_id: str) -> list[DeadlineSuspension]:
    return list(session.scalars(
        select(DeadlineSuspension)
        .where(DeadlineSuspension.deadline_id == deadline_id)
        .order_by(DeadlineSuspension.start_on, DeadlineSuspension.created_at)
    ))


def extensions(session: Session, deadline_id: str) -> list[DeadlineExtension]:
    return list(session.scalars(
        select(DeadlineExtension)
        .where(DeadlineExtension.deadline_id == deadline_id)
        .order_by(DeadlineExtension.created_at, DeadlineExtension.id)
    ))


# --- deriving ----------------------------------------------------------------------------------


def derive(session: Session, deadline: Deadline, *, table: HolidayTable | None = None) -> counting.Computed:
    """The due date ``deadline``'s stored inputs give today (nothing is written)."""
    return counting.compute(
        start_on=deadline.start_on,
        amount=deadline.amount,
        unit=Unit(deadline.unit),
        custody=deadline.custody,
        warn_before=deadline.warn_before,
        table=table or holiday_table(session),
        pauses=[counting.Pause(s.start_on, s.resumed_on) for s in suspensions(session, deadline.id)],
        extensions=[counting.Extension(e.amount, Unit(e.unit)) for e in extensions(session, deadline.id)],
    )


def _record(
    session: Session, deadline: Deadline, kind: str, *, actor: str, **data: Any
) -> DeadlineEvent:
    event = DeadlineEvent(
        deadline_id=deadline.id, kind=kind, actor=actor, due_on=deadline.due_on,
        provisional=deadline.provisional, data={k: _jsonable(v) for k, v in data.items()},
    )
    session.add(event)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _apply(
    session: Session, deadline: Deadline, *, reason: str, actor: str,
    table: HolidayTable | None = None, history_kind: str | None = None, trace_id: str | None = None,
    **details: Any,
) -> bool:
    """Recompute and store; write the history row ``history_kind`` (or ``recomputed`` when the date
    changed) and, on a change, a ``deadline.recomputed`` event. Returns whether anything changed."""
    before_due, before_prov = deadline.due_on, deadline.provisional
    computed = derive(session, deadline, table=table)
    deadline.base_due_on = computed.base_due_on
    deadline.due_on = computed.due_on
    deadline.warn_on = computed.warn_on
    deadline.provisional = computed.provisional
    changed = (before_due, before_prov) != (deadline.due_on, deadline.provisional)
    kind = history_kind or ("recomputed" if changed else None)
    if kind is not None:
        _record(session, deadline, kind, actor=actor, reason=reason, previous_due_on=before_due,
                previous_provisional=before_prov, **details)
    if changed:
        enqueue(session, new_event(
            "deadline.recomputed", subject=deadline.subject, source="review", actor=actor, trace_id=trace_id,
            data={**_payload(deadline), "reason": reason, "previous_due_on": before_due,
                  "previous_provisional": before_prov},
        ))
    session.flush()
    return changed


def _payload(deadline: Deadline) -> dict[str, Any]:
    return {
        "deadline_id": deadline.id, "subject": deadline.subject, "case_number": deadline.case_number,
        "unit_code": deadline.unit_code, "rule_code": deadline.rule_code, "title": deadline.title,
        "due_on": deadline.due_on,
        "warn_on": deadline.warn_on, "provisional": deadline.provisional,
    }


def notice_payload(deadline: Deadline) -> dict[str, Any]:
    """The data of a deadline.due_soon / deadline.overdue event."""
    return {**_payload(deadline), "start_on": deadline.start_on}


# --- changing ----------------------------------------------------------------------------------


def attach(
    session: Session, *, subject: str, rule_code: str, start_on: _dt.date, unit_code: str | None,
    case_number: str | None = None, actor: str = "system", table: HolidayTable | None = None,
    follows_id: str | None = None,
) -> Deadline:
    """Start a deadline of ``rule_code`` on ``subject`` from ``start_on`` (the day not counted),
    owned by ``unit_code`` (``None``: seen only by the task force). A system action: unscoped.

    Idempotent: the same subject, rule and start date give the existing deadline.
    """
    existing = session.scalar(select(Deadline).where(
        Deadline.subject == subject, Deadline.rule_code == rule_code, Deadline.start_on == start_on
    ))
    if existing is not None:
        return existing
    rule = rule_in_force(session, code=rule_code, on=start_on)
    deadline = Deadline(
        subject=subject, case_number=case_number, unit_code=unit_code, follows_id=follows_id,
        rule_id=rule.id, rule_code=rule.code, title=rule.title,
        amount=rule.amount, unit=rule.unit, custody=rule.custody, warn_before=rule.warn_before,
        start_on=start_on, status=OPEN,
    )
    computed = counting.compute(
        start_on=start_on, amount=rule.amount, unit=Unit(rule.unit), custody=rule.custody,
        warn_before=rule.warn_before, table=table or holiday_table(session),
    )
    deadline.base_due_on = computed.base_due_on
    deadline.due_on = computed.due_on
    deadline.warn_on = computed.warn_on
    deadline.provisional = computed.provisional
    session.add(deadline)
    session.flush()
    _record(session, deadline, "set", actor=actor, rule_id=rule.id, amount=rule.amount, unit=rule.unit,
            basis=rule.basis, start_on=start_on, unit_code=unit_code,
            **({"follows_id": follows_id} if follows_id else {}))
    return deadline


def _require_open(deadline: Deadline) -> None:
    if deadline.status != OPEN:
        raise DeadlineClosed(deadline_id=deadline.id, status=deadline.status)


def suspend(
    session: Session, *, deadline_id: str, reason: str, basis: str, start_on: _dt.date, actor: str,
    principal: Principal | None,
) -> DeadlineSuspension:
    """Pause the clock from ``start_on`` (the first day not counted) until the suspension is lifted."""
    deadline = get_or_raise(session, deadline_id, principal=principal, for_update=True)
    _require_open(deadline)
    existing = suspensions(session, deadline.id)
    if any(s.resumed_on is None for s in existing):
        raise InvalidSuspension("The deadline is already suspended", "该期限已处于中止状态")
    if start_on < deadline.start_on:
        raise InvalidSuspension("A suspension cannot start before the deadline", "中止不能早于期限起算日")
    if deadline.due_on is not None and start_on > deadline.due_on:
        raise InvalidSuspension("The deadline had already expired on that date", "该日期期限已届满")
    if any(s.resumed_on is not None and start_on < s.resumed_on for s in existing):
        raise InvalidSuspension("Suspensions may not overlap", "中止期间不能重叠")
    suspension = DeadlineSuspension(
        deadline_id=deadline.id, reason=reason, basis=basis, start_on=start_on, created_by=actor
    )
    session.add(suspension)
    session.flush()
    _apply(session, deadline, reason="suspended", actor=actor, history_kind="suspended",
           suspension_id=suspension.id, suspension_reason=reason, basis=basis, start_on=start_on)
    return suspension


def lift(
    session: Session, *, deadline_id: str, suspension_id: str, resumed_on: _dt.date, actor: str,
    principal: Principal | None,
) -> DeadlineSuspension:
    """End a suspension: the clock counts again from ``resumed_on``; the due date is recomputed."""
    deadline = get_or_raise(session, deadline_id, principal=principal, for_update=True)
    _require_open(deadline)
    suspension = session.get(DeadlineSuspension, suspension_id)
    if suspension is None or suspension.deadline_id != deadline.id:
        raise SuspensionNotFound(suspension_id=suspension_id)
    if suspension.resumed_on is not None:
        raise SuspensionAlreadyLifted(suspension_id=suspension.id)
    if resumed_on < suspension.start_on:
        raise InvalidSuspension("A suspension cannot end before it starts", "中止结束日不能早于开始日")
    suspension.resumed_on = resumed_on
    suspension.lifted_by = actor
    session.flush()
    _apply(session, deadline, reason="resumed", actor=actor, history_kind="resumed",
           suspension_id=suspension.id, resumed_on=resumed_on,
           days_paused=(resumed_on - suspension.start_on).days)
    return suspension


def extend(
    session: Session, *, deadline_id: str, amount: int, unit: Unit, basis: str, approved_by: str, actor: str,
    principal: Principal | None,
) -> DeadlineExtension:
    """Record an approved extension (延长) and recompute."""
    deadline = get_or_raise(session, deadline_id, principal=principal, for_update=True)
    _require_open(deadline)
    if deadline.due_on is None:
        raise InvalidSuspension("Lift the suspension before extending", "请先解除中止再延长期限")
    extension = DeadlineExtension(
        deadline_id=deadline.id, amount=amount, unit=unit.value, basis=basis, approved_by=approved_by,
        created_by=actor,
    )
    session.add(extension)
    session.flush()
    _apply(session, deadline, reason="extended", actor=actor, history_kind="extended",
           extension_id=extension.id, amount=amount, unit=unit.value, basis=basis, approved_by=approved_by)
    return extension


def meet(session: Session, *, deadline_id: str, met_at: _dt.datetime | None = None, actor: str,
         note: str | None = None, outcome: str = FINAL, principal: Principal | None) -> Deadline:
    """The duty was performed (reply sent, review decided): close the timer, record if on time.

    On time means on or before the due date, in Beijing time. While paused it is on time.
    ``outcome``: ``final`` (the default), or ``progress`` for a 12309 result or follow-up reply
    that reports progress only: the next monthly follow-up is attached. A final reply also closes
    the subject's open follow-ups.
    """
    if outcome not in OUTCOMES:
        raise InvalidOutcome(outcome=outcome)
    deadline = get_or_raise(session, deadline_id, principal=principal, for_update=True)
    _require_open(deadline)
    if outcome == PROGRESS and deadline.rule_code not in FOLLOWED_BY:
        raise InvalidOutcome(rule_code=deadline.rule_code)
    at = met_at or utcnow()
    day = beijing_date(at)
    _close(session, deadline, at=at, actor=actor, note=note, outcome=outcome)
    if outcome == PROGRESS:
        attach_followup(session, deadline, actor=actor, start_on=deadline.due_on or day)
    elif deadline.rule_code in FOLLOWED_BY:
        open_followups = session.scalars(
            select(Deadline).where(Deadline.subject == deadline.subject, Deadline.rule_code == FOLLOWUP_RULE,
                                   Deadline.status == OPEN).order_by(Deadline.start_on).with_for_update()
        ).all()
        for followup in open_followups:
            _close(session, followup, at=at, actor=actor, note=note, outcome=FINAL, closed_by=deadline.id)
    return deadline


def _close(
    session: Session, deadline: Deadline, *, at: _dt.datetime, actor: str, note: str | None, outcome: str,
    closed_by: str | None = None,
) -> None:
    day = beijing_date(at)
    on_time = deadline.due_on is None or day <= deadline.due_on
    deadline.status = MET if on_time else MISSED
    deadline.met_at = at
    deadline.met_on_time = on_time
    # An open suspension ends with the duty.
    for s in suspensions(session, deadline.id):
        if s.resumed_on is None:
            s.resumed_on = max(day, s.start_on)
            s.lifted_by = actor
    session.flush()
    extra: dict[str, Any] = {"outcome": outcome} if deadline.rule_code in FOLLOWED_BY else {}
    if closed_by is not None:
        extra["closed_by"] = closed_by
    _record(session, deadline, "met" if on_time else "missed", actor=actor, met_at=at,
            met_on=day, note=note, **extra)


def attach_followup(session: Session, deadline: Deadline, *, actor: str, start_on: _dt.date) -> Deadline | None:
    """The monthly follow-up of a 12309 result or follow-up deadline, counted from ``start_on``
    (its due date); at most one per deadline. ``None`` for a rule that has no follow-up."""
    code = FOLLOWED_BY.get(deadline.rule_code)
    if code is None:
        return None
    existing = session.scalar(select(Deadline).where(Deadline.follows_id == deadline.id))
    if existing is not None:
        return existing
    followup = attach(session, subject=deadline.subject, rule_code=code, start_on=start_on,
                      unit_code=deadline.unit_code, case_number=deadline.case_number, actor=actor,
                      follows_id=deadline.id)
    _record(session, deadline, "followup_attached", actor=actor, followup_id=followup.id,
            followup_due_on=followup.due_on)
    return followup


def on_overdue(session: Session, deadline: Deadline, *, actor: str) -> Deadline | None:
    """A deadline's overdue notice went out (the scheduler, system: unscoped). A missed 12309
    result or follow-up reply is followed by the next monthly follow-up, from its due date."""
    if deadline.rule_code not in FOLLOWED_BY or deadline.due_on is None:
        return None
    return attach_followup(session, deadline, actor=actor, start_on=deadline.due_on)


def recompute_open(
    session: Session, *, table: HolidayTable, actor: str, reason: str, year: int | None = None,
) -> list[str]:
    """Recompute open deadlines with ``table``; returns the ids that changed.

    With ``year``: the provisional ones and any whose span touches that year or the December
    before it (a re-imported, corrected year). Without: the provisional ones only.
    """
    query = select(Deadline).where(Deadline.status == OPEN)
    if year is None:
        query = query.where(Deadline.provisional.is_(True))
    else:
        first, last = _dt.date(year - 1, 12, 1), _dt.date(year, 12, 31)
        query = query.where(or_(
            Deadline.provisional.is_(True),
            and_(Deadline.start_on <= last, or_(Deadline.due_on.is_(None), Deadline.due_on >= first)),
        ))
    changed = []
    for deadline in session.scalars(query.order_by(Deadline.id).with_for_update()).all():
        if _apply(session, deadline, reason=reason, actor=actor, table=table):
            changed.append(deadline.id)
    return changed


# --- wiring from other domains -----------------------------------------------------------------

#: Which deadlines a petition's line starts (received_on is the start day, not counted).
PETITION_RULES = {
    "12309": ("12309.procedural_reply", "12309.result_reply"),
    "12368": ("court_12368.work_order",),
}


def attach_for_petition(
    session: Session, *, petition_id: str, case_number: str, line: str, received_on: _dt.date,
    unit_code: str | None,
) -> list[Deadline]:
    """The 12309 reply deadlines, or the 12368 work-order deadline, of a newly triaged petition,
    owned by the triage item's unit."""
    return [
        attach(session, subject=petition_id, case_number=case_number, rule_code=code, start_on=received_on,
               unit_code=unit_code)
        for code in PETITION_RULES.get(line, ())
    ]
