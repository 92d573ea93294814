"""Writing, reading, verifying and purging the audit log, as plain functions over a session.

`record` appends one row inside the caller's transaction, so the audit row commits or rolls back
with the change it describes.  It seals the row (`row_mac`, shared/audit/chain.py) and notes the
writing transaction's id; it reads no other row and takes no lock, so auditing transactions run
side by side.  The sequencer (shared/audit/sequencer.py) links committed rows into the chain
afterwards; `verify_chain` checks the chain and the rows not yet linked; `purge` links everything
it can first, then removes a prefix of the chain.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, text
from sqlalchemy.orm import Session

from shared.audit.chain import PURGE_ACTION, Report, compute_row_mac, verify
from shared.audit.models import OUTCOMES, AuditEntry
from shared.audit.sequencer import link_pending, transaction_id
from shared.db.base import utcnow
from shared.keyring import keyring
from shared.pii.masking import mask_id_number, mask_phone, mask_text

# 网络安全法 第二十一条(三): network logs are kept no less than six months.
MIN_RETENTION_DAYS = 183
_ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_*]*)+$")
_ID_KEYS = re.compile(r"id_?number|id_?card|身份证", re.IGNORECASE)
_PHONE_KEYS = re.compile(r"phone|mobile|电话|手机", re.IGNORECASE)


class AuditError(ValueError):
    """An audit call the code got wrong (unknown outcome, malformed action, too-young purge)."""


def scrub(value: Any) -> Any:
    """A JSON-ready copy with personal numbers masked: by key name, and anywhere in free text."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            key = str(key)
            if isinstance(item, str) and _ID_KEYS.search(key):
                out[key] = mask_id_number(item)
            elif isinstance(item, str) and _PHONE_KEYS.search(key):
                out[key] = mask_phone(item)
            else:
                out[key] = scrub(item)
        return out
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return mask_text(str(value))  # dates, decimals, uuids: as text


def _jsonable(value: Any) -> Any:
    # Store exactly what is hashed: the value as it reads back from a JSON column.
    return None if value is None else json.loads(json.dumps(scrub(value), ensure_ascii=False))


def record(
    session: Session, *, action: str, outcome: str = "success", actor: str | None = None,
    actor_unit: str | None = None, subject_type: str | None = None, subject_id: str | None = None,
    before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None, client_addr: str | None = None,
    trace_id: str | None = None, detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one sealed row in the caller's transaction (which must be open and must commit); the
    sequencer links it into the chain after the commit."""
    if outcome not in OUTCOMES:
        raise AuditError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
    if not _ACTION_RE.match(action):
        raise AuditError(f"action must be a dotted name such as 'petition.create', not {action!r}")
    ring = keyring("audit")
    entry = AuditEntry(
        occurred_at=utcnow(),
        actor=(actor or "anonymous")[:100],
        actor_unit=actor_unit,
        action=action,
        outcome=outcome,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        before=_jsonable(before),
        after=_jsonable(after),
        client_addr=client_addr,
        trace_id=trace_id,
        detail=_jsonable(detail),
        key_id=ring.current_id,
        txid=transaction_id(session),
        nonce=secrets.token_hex(16),
    )
    entry.row_mac = compute_row_mac(entry)
    session.add(entry)
    session.flush()  # the id is known to the caller now (and orders rows within the transaction)
    return entry


def list_(
    session: Session, *, actor: str | None = None, action: str | None = None, subject_type: str | None = None,
    subject_id: str | None = None, outcome: str | None = None, since: datetime | None = None,
    until: datetime | None = None, limit: int = 50, offset: int = 0, before_id: int | None = None,
) -> list[AuditEntry]:
    """Rows matching every given filter, newest first; `action` may end in `.*` (a prefix).

    `before_id` pages by key (the page shows rows older than the last one it showed), so a page
    deep in a long log costs what the first one does.
    """
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if action is not None:
        if action.endswith(".*"):
            query = query.where(AuditEntry.action.startswith(action[:-1], autoescape=True))
        else:
            query = query.where(AuditEntry.action == action)
    if subject_type is not None:
        query = query.where(AuditEntry.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    if outcome is not None:
        query = query.where(AuditEntry.outcome == outcome)
    if since is not None:
        query = query.where(AuditEntry.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEntry.occurred_at < until)
    return list(session.scalars(query.limit(limit).offset(offset)))


def verify_chain(session: Session, *, horizon: int | None = None, batch: int = 5000) -> Report:
    """Recompute the whole chain and check every row not yet linked.

    `horizon`: what `sequencer.link_all` just returned, so rows it should have linked are reported.
    Read in one statement (streamed `batch` rows at a time): one snapshot, so a row the sequencer
    links meanwhile is never seen unlinked while its successor is seen linked to it.
    """
    rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch)))
    return verify(rows, horizon=horizon)


@dataclass(frozen=True)
class Purge:
    removed: int
    through_id: int | None
    checkpoint: AuditEntry | None


def purge(session: Session, *, older_than_days: int, actor: str = "system") -> Purge:
    """Delete the oldest rows past `older_than_days` (≥ 183) and write a checkpoint that anchors the rest.

    Links every row it can first (holding the sequencer's lock until the caller commits).  Only a
    prefix of the chain is removed: every row up to the last one before the first row that is
    still young, so a row with an odd clock is never taken with it, and never the chain's head, so
    the chain goes on from it.  The checkpoint row (`audit.purge`, linked like any other) records
    the hash of the last removed row, which is the `prev_hash` of the first row kept: verification
    accepts it as the chain's new start.  Runs in the caller's transaction; needs DELETE on
    audit_log (a maintenance role, not the app's).
    """
    if older_than_days < MIN_RETENTION_DAYS:
        raise AuditError(
            f"audit rows are kept at least {MIN_RETENTION_DAYS} days (网络安全法 第二十一条); refusing --older-than {older_than_days}"
        )
    cutoff = utcnow() - timedelta(days=older_than_days)
    link_pending(session)
    chained = AuditEntry.seq.is_not(None)
    head_seq = session.scalar(select(func.max(AuditEntry.seq)))
    first_young = session.scalar(select(func.min(AuditEntry.seq)).where(chained, AuditEntry.occurred_at >= cutoff))
    query = select(AuditEntry).where(chained, AuditEntry.occurred_at < cutoff, AuditEntry.seq < (head_seq or 0))
    if first_young is not None:
        query = query.where(AuditEntry.seq < first_young)
    last = session.scalars(query.order_by(AuditEntry.seq.desc()).limit(1)).first()
    if last is None or last.seq is None:
        return Purge(0, None, None)
    if session.get_bind().dialect.name == "postgresql":
        # The append-only trigger lets a DELETE through only with this flag and only for old rows.
        session.execute(text("SELECT set_config('huhang.audit_purge', 'on', true)"))
    # A bulk DELETE yields a CursorResult; Session.execute is typed with the general Result.
    result = cast(CursorResult[Any], session.execute(delete(AuditEntry).where(AuditEntry.seq <= last.seq)))
    removed = result.rowcount
    checkpoint = record(
        session, action=PURGE_ACTION, actor=actor, subject_type="audit_log",
        detail={"through_id": last.id, "through_seq": last.seq, "through_hash": last.hash, "removed": removed,
                "older_than_days": older_than_days, "cutoff": cutoff.isoformat()},
    )
    return Purge(int(removed or 0), last.id, checkpoint)
