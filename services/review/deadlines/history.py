"""The deadline's history (``deadline_events``): one append-only row per change or notice.

Each row names its actor (``user:<username>``, ``system``, ``system:scheduler``, ``cli:<user>``)
and the due date and provisional flag *after* the change, so the history alone shows how a 期限
moved.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy.orm import Session

from services.review.deadlines import observers
from services.review.deadlines.models import Deadline, DeadlineEvent


# Notices change nothing a subject's copy of its due dates holds.
_NOTICES = frozenset({"due_soon_emitted", "overdue_emitted"})


def record(session: Session, deadline: Deadline, kind: str, *, actor: str, **data: Any) -> DeadlineEvent:
    """Append a ``kind`` row to ``deadline``'s history, with ``data`` stored as JSON."""
    event = DeadlineEvent(
        deadline_id=deadline.id, kind=kind, actor=actor, due_on=deadline.due_on,
        provisional=deadline.provisional, data={k: _jsonable(v) for k, v in data.items()},
    )
    session.add(event)
    if kind not in _NOTICES:
        observers.changed(session, deadline.subject)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value
