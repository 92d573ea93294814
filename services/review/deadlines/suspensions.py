"""Suspensions (中止, 不计入): pausing a deadline's clock and lifting the pause.

A suspension covers the Beijing dates ``[start_on, resumed_on)``; while one is open the due date
is unknown (``due_on`` is ``None``). Each change recomputes the deadline (``recompute.apply``)
and writes its history row. Callers reach these through the API: the deadline is loaded scoped
by the actor's unit (``queries.get_open_for_update``).
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy.orm import Session

from services.review.deadlines.authors import FROM_ACTOR, FromActor, resolve
from services.review.deadlines.models import DeadlineSuspension
from services.review.deadlines.queries import get_open_for_update, suspensions
from services.review.deadlines.recompute import apply
from shared.actor import Actor
from shared.auth import Principal
from shared.errors import Conflict, DomainError, NotFound

SUSPENSION_REASONS = ("supplementary_investigation", "appraisal", "awaiting_materials", "rule_excluded", "other")


class SuspensionNotFound(NotFound):
    code = "suspension_not_found"
    message_en = "No such suspension of this deadline"
    message_zh = "未找到该期限的中止记录"


class SuspensionAlreadyLifted(Conflict):
    code = "suspension_already_lifted"
    message_en = "The suspension was already lifted"
    message_zh = "该中止已解除"


class InvalidSuspension(DomainError):
    code = "invalid_suspension"
    message_en = "The suspension does not fit the deadline"
    message_zh = "中止期间与期限不符"


def suspend(
    session: Session, *, deadline_id: str, reason: str, basis: str, start_on: _dt.date, actor: Actor | str,
    principal: Principal | None | FromActor = FROM_ACTOR,
) -> DeadlineSuspension:
    """Pause the clock from ``start_on`` (the first day not counted) until the suspension is lifted."""
    who = resolve(actor, principal)
    deadline = get_open_for_update(session, deadline_id, principal=who.principal)
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
        deadline_id=deadline.id, reason=reason, basis=basis, start_on=start_on, created_by=who.label
    )
    session.add(suspension)
    session.flush()
    apply(session, deadline, reason="suspended", actor=who.label, trace_id=who.trace_id, history_kind="suspended",
          suspension_id=suspension.id, suspension_reason=reason, basis=basis, start_on=start_on)
    return suspension


def lift(
    session: Session, *, deadline_id: str, suspension_id: str, resumed_on: _dt.date, actor: Actor | str,
    principal: Principal | None | FromActor = FROM_ACTOR,
) -> DeadlineSuspension:
    """End a suspension: the clock counts again from ``resumed_on``; the due date is recomputed."""
    who = resolve(actor, principal)
    deadline = get_open_for_update(session, deadline_id, principal=who.principal)
    suspension = session.get(DeadlineSuspension, suspension_id)
    if suspension is None or suspension.deadline_id != deadline.id:
        raise SuspensionNotFound(suspension_id=suspension_id)
    if suspension.resumed_on is not None:
        raise SuspensionAlreadyLifted(suspension_id=suspension.id)
    if resumed_on < suspension.start_on:
        raise InvalidSuspension("A suspension cannot end before it starts", "中止结束日不能早于开始日")
    suspension.resumed_on = resumed_on
    suspension.lifted_by = who.label
    session.flush()
    apply(session, deadline, reason="resumed", actor=who.label, trace_id=who.trace_id, history_kind="resumed",
          suspension_id=suspension.id, resumed_on=resumed_on, days_paused=(resumed_on - suspension.start_on).days)
    return suspension
