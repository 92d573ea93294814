"""What other steps do when 分流 moves an item: subscribers called in the same transaction.

Triage comes first in the workflow and imports none of the later steps; a step that must act
when an item is 交办 (审查办理 starts its acceptance clock) subscribes here, from a module every
process imports (its models), instead of triage importing it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from services.review.triage.models import TriageItem
from shared.actor import Actor

AssignedHook = Callable[[Session, TriageItem, Actor, _dt.date], None]
_ON_ASSIGNED: list[AssignedHook] = []


def on_assigned(hook: AssignedHook) -> AssignedHook:
    """Call ``hook(session, item, actor, routed_on)`` after an item is 交办 (now ``routed``)."""
    if hook not in _ON_ASSIGNED:
        _ON_ASSIGNED.append(hook)
    return hook


def assigned(session: Session, item: TriageItem, actor: Actor, routed_on: _dt.date) -> None:
    for hook in _ON_ASSIGNED:
        hook(session, item, actor, routed_on)
