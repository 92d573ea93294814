"""The audit row of an account event (sign-in, lock, password change, unlock), in the caller's transaction.

The author of a row is an `Actor`.  A credential check is made by a caller who is not signed in
yet, so its rows are written under the account the caller claims (`claimant`), from the caller's
address and under the caller's trace.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.review.identity.accounts.models import StaffAccount
from shared.actor import Actor
from shared.audit import record as record_entry


def claimant(actor: Actor, *, username: str, account: StaffAccount | None) -> Actor:
    """The caller named as the account it claims: the username sent, that account's unit (None if unknown)."""
    name = account.username if account is not None else username[:64]
    return Actor(name, account.unit_code if account else None, actor.client_addr, actor.trace_id)


def record(session: Session, *, action: str, outcome: str, account: StaffAccount | None, actor: Actor,
           detail: dict[str, Any] | None = None) -> None:
    """Append one audit row about `account` (None: an unknown username) by `actor`; no flush, no commit."""
    record_entry(
        session, action=action, outcome=outcome, subject_type="staff_account",
        subject_id=account.id if account else None, detail=detail, **actor.fields(),
    )
