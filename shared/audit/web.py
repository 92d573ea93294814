"""Auditing from inside a Flask request: who (the signed-in principal), from where, under which trace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from shared.audit.models import AuditEntry
from shared.audit.service import record
from shared.context import request_actor


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
