"""Extensions (延长): an approved extension of a running deadline, counted from the due date in force."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.deadlines.authors import FROM_ACTOR, FromActor, resolve
from services.review.deadlines.models import DeadlineExtension
from services.review.deadlines.queries import get_open_for_update
from services.review.deadlines.recompute import apply
from services.review.deadlines.suspensions import InvalidSuspension
from shared.actor import Actor
from shared.auth import Principal
from shared.calendar import Unit


def extend(
    session: Session, *, deadline_id: str, amount: int, unit: Unit, basis: str, approved_by: str,
    actor: Actor | str, principal: Principal | None | FromActor = FROM_ACTOR,
) -> DeadlineExtension:
    """Record an approved extension (延长) and recompute."""
    who = resolve(actor, principal)
    deadline = get_open_for_update(session, deadline_id, principal=who.principal)
    if deadline.due_on is None:
        # Counted from the due date in force, which a 中止 leaves unknown.
        raise InvalidSuspension("Lift the suspension before extending", "请先解除中止再延长期限")
    extension = DeadlineExtension(
        deadline_id=deadline.id, amount=amount, unit=unit.value, basis=basis, approved_by=approved_by,
        created_by=who.label,
    )
    session.add(extension)
    session.flush()
    apply(session, deadline, reason="extended", actor=who.label, trace_id=who.trace_id, history_kind="extended",
          extension_id=extension.id, amount=amount, unit=unit.value, basis=basis, approved_by=approved_by)
    return extension
