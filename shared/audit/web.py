"""Auditing from inside a Flask request: who (the signed-in principal), from where, under which trace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from shared import logs
from shared.audit.models import AuditEntry
from shared.audit.service import Actor, record


def request_actor() -> Actor:
    """The principal of this request (`g.principal`, set by the token check) or `anonymous`."""
    if not has_request_context():
        return Actor.system(logs.current_trace_id())
    principal = g.get("principal")
    return Actor(
        name=getattr(principal, "username", None) or "anonymous",
        unit=getattr(principal, "unit_code", None),
        client_addr=request.remote_addr,
        trace_id=logs.current_trace_id(),
    )


def record_request(
    session: Session, *, action: str, outcome: str = "success", subject_type: str | None = None,
    subject_id: str | None = None, before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """`record` with actor, unit, client address and trace id taken from the current request."""
    return record(
        session, action=action, outcome=outcome, subject_type=subject_type, subject_id=subject_id,
        before=before, after=after, detail=detail, **request_actor().fields(),
    )
