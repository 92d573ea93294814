"""Who acts: the one value a view, a consumer or a job hands to a domain service.

A service needs three things about its caller: whose units it may see (the `Principal`, for
`shared.auth.scope`), what the audit row says about the author (name, unit, client address,
trace id), and nothing else.  One `Actor` carries all of them, so a view never splits a principal
into arguments that the service glues back together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from shared.auth.principal import Principal


class ActorFields(TypedDict):
    """The keyword arguments of `shared.audit.record` that describe the author."""

    actor: str
    actor_unit: str | None
    client_addr: str | None
    trace_id: str | None


@dataclass(frozen=True)
class Actor:
    """Who acts, from where, and under which principal (None: the system itself)."""

    name: str
    unit: str | None = None
    client_addr: str | None = None
    trace_id: str | None = None
    principal: Principal | None = None

    @classmethod
    def system(cls, trace_id: str | None = None) -> "Actor":
        """A consumer or job acting on an event: the trace id ties it to the request that caused it."""
        return cls("system", None, None, trace_id)

    @classmethod
    def of(cls, principal: Principal, *, client_addr: str | None = None, trace_id: str | None = None) -> "Actor":
        """A signed-in member of staff."""
        return cls(principal.username, principal.unit_code, client_addr, trace_id, principal)

    @property
    def is_system(self) -> bool:
        """The platform itself (a consumer, a job): not an anonymous caller, who has no principal either."""
        return self.name == "system" and self.principal is None

    def fields(self) -> ActorFields:
        return {"actor": self.name, "actor_unit": self.unit, "client_addr": self.client_addr, "trace_id": self.trace_id}
