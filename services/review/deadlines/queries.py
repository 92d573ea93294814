"""Reading deadlines, scoped by unit: one deadline, a filtered list, the detail with its history.

Every deadline belongs to a unit (``unit_code``; for a petition's deadlines, the unit of its
triage item). A caller reaching a deadline through the API passes its ``principal`` (keyword, no
default, so no caller can forget it), and the deadline is loaded through
:func:`shared.auth.scope`: another unit's deadline is a 404, exactly like one that does not exist.
``principal=None`` is a system caller (a job, a calendar import, an event handler), which sees
every unit. A deadline with no unit is seen only by the task force.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN, Deadline, DeadlineEvent, DeadlineExtension, DeadlineSuspension
from shared.auth import Principal, scope
from shared.errors import Conflict, NotFound


class DeadlineNotFound(NotFound):
    code = "deadline_not_found"
    message_en = "No such deadline"
    message_zh = "未找到该期限"


class DeadlineClosed(Conflict):
    code = "deadline_closed"
    message_en = "The deadline is already met or closed"
    message_zh = "该期限已办结"


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


def get_open_for_update(session: Session, deadline_id: str, *, principal: Principal | None) -> Deadline:
    """The deadline, locked for a change; DeadlineNotFound as :func:`get_or_raise`, DeadlineClosed
    once it was met or missed (a closed 期限 is not suspended, extended or met again)."""
    deadline = get_or_raise(session, deadline_id, principal=principal, for_update=True)
    if deadline.status != OPEN:
        raise DeadlineClosed(deadline_id=deadline.id, status=deadline.status)
    return deadline


def list_(
    session: Session, *, principal: Principal | None, subject: str | None = None, status: str | None = None,
    rule_code: str | None = None, limit: int = 50, offset: int = 0,
) -> list[Deadline]:
    """The deadlines ``principal`` may see, oldest start first, filtered by subject, status or rule."""
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


# The three below read the parts of a deadline already loaded through get_or_raise (by key), so
# they are not scoped again.


def history(session: Session, deadline_id: str) -> list[DeadlineEvent]:
    """The deadline's history rows, oldest first."""
    return list(session.scalars(
        select(DeadlineEvent).where(DeadlineEvent.deadline_id == deadline_id).order_by(DeadlineEvent.id)
    ))


def suspensions(session: Session, deadline_id: str) -> list[DeadlineSuspension]:
    """The deadline's suspensions (中止), in the order they started."""
    return list(session.scalars(
        select(DeadlineSuspension)
        .where(DeadlineSuspension.deadline_id == deadline_id)
        .order_by(DeadlineSuspension.start_on, DeadlineSuspension.created_at)
    ))


def extensions(session: Session, deadline_id: str) -> list[DeadlineExtension]:
    """The deadline's approved extensions (延长), in the order they were recorded."""
    return list(session.scalars(
        select(DeadlineExtension)
        .where(DeadlineExtension.deadline_id == deadline_id)
        .order_by(DeadlineExtension.created_at, DeadlineExtension.id)
    ))
