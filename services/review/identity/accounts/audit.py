"""The audit row of an account event (sign-in, lock, password change, unlock), in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.review.identity.accounts.models import StaffAccount
from shared import logs
from shared.audit import record as record_entry


def record(session: Session, *, action: str, outcome: str, account: StaffAccount | None, username: str,
           client_addr: str | None, detail: dict[str, Any] | None = None) -> None:
    """Append one audit row about `account` (None: an unknown username) without flushing or committing."""
    record_entry(
        session, action=action, outcome=outcome, actor=username[:64],
        actor_unit=account.unit_code if account else None,
        subject_type="staff_account", subject_id=account.id if account else None,
        client_addr=client_addr, trace_id=logs.current_trace_id(), detail=detail,
    )
