"""Who changes a deadline: the history label and the unit scope, both from one :class:`Actor`.

A view hands the request's ``Actor`` (``shared.context.request_actor()``) to a change
(suspend, lift, extend, meet): its principal scopes the deadline by unit, its name labels the
history row (``user:<username>``), its trace id goes on ``deadline.recomputed``.

A caller without an ``Actor`` (a job, a script, the existing tests) may still pass a label and
the principal separately, ``actor="system:x", principal=None``; the principal must then be given
(``None``: a system caller, unscoped), so no caller drops the scope by forgetting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from shared.actor import Actor
from shared.auth import Principal


class FromActor:
    def __repr__(self) -> str:
        return "FROM_ACTOR"


#: The default of ``principal=``: take it from the ``Actor``.
FROM_ACTOR: Final = FromActor()


@dataclass(frozen=True)
class Author:
    """The resolved caller of a change."""

    label: str
    principal: Principal | None
    trace_id: str | None = None


def label(actor: Actor) -> str:
    """How a history row names ``actor``: ``user:<username>`` for staff, the name for the system."""
    return f"user:{actor.name}" if actor.principal is not None else actor.name


def resolve(actor: Actor | str, principal: Principal | None | FromActor) -> Author:
    """One ``Actor`` (principal taken from it), or a label with an explicit principal."""
    if isinstance(actor, Actor):
        if not isinstance(principal, FromActor):
            raise TypeError("an Actor carries its principal; do not pass principal= as well")
        return Author(label(actor), actor.principal, actor.trace_id)
    if isinstance(principal, FromActor):
        raise TypeError(f"actor={actor!r} needs principal= (None: a system caller, unscoped)")
    return Author(actor, principal)
