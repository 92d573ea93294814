"""The hash chain of the audit log, and its verification.

Each row's `hash` = HMAC-SHA256(audit key, "huhang-audit-v1\\n" + canonical JSON of the row's
content + its `prev_hash`); `prev_hash` is the previous row's `hash` (`GENESIS` for the first row
ever, or the anchor written by a purge).  Keyed, not a bare SHA-256: someone with write access to
the database but not the key cannot recompute the chain after changing a row.

The row id is deliberately *not* hashed: order is fixed by the links, so a renumbering to make room
for a forged row shows up as that row being skipped by its successor's link ("inserted").

What verification cannot see on its own: rows cut off the *end* of the chain.  `verify` reports
the head (last id and hash); an operator who keeps that elsewhere (or compares with a backup)
closes the gap.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from shared.keyring import keyring

GENESIS = "0" * 64
PURGE_ACTION = "audit.purge"
_DOMAIN = b"huhang-audit-v1\n"


class ChainRow(Protocol):
    id: int
    occurred_at: datetime
    actor: str
    actor_unit: str | None
    action: str
    outcome: str
    subject_type: str | None
    subject_id: str | None
    before: Any
    after: Any
    client_addr: str | None
    trace_id: str | None
    detail: Any
    key_id: str
    prev_hash: str
    hash: str


def canonical(row: ChainRow) -> bytes:
    """The bytes the hash covers: every column but id and hash, in a fixed JSON form."""
    content = {
        "occurred_at": row.occurred_at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "actor": row.actor,
        "actor_unit": row.actor_unit,
        "action": row.action,
        "outcome": row.outcome,
        "subject_type": row.subject_type,
        "subject_id": row.subject_id,
        "before": row.before,
        "after": row.after,
        "client_addr": row.client_addr,
        "trace_id": row.trace_id,
        "detail": row.detail,
        "key_id": row.key_id,
        "prev_hash": row.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute_hash(row: ChainRow) -> str:
    key = keyring("audit").get(row.key_id)
    return hmac.new(key, _DOMAIN + canonical(row), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One finding: `altered` (content or hash changed), `inserted` (a row the chain does not
    link through), `removed` (a link points at a row that is gone)."""

    kind: str
    row_id: int
    message: str


@dataclass(frozen=True)
class Report:
    rows: int
    problems: list[Problem]
    head_id: int | None
    head_hash: str | None

    @property
    def ok(self) -> bool:
        return not self.problems


def _anchors(rows: list[ChainRow]) -> set[str]:
    """Hashes a purge checkpoint vouches for as the end of what it removed."""
    found = {GENESIS}
    for row in rows:
        if row.action == PURGE_ACTION and isinstance(row.detail, dict) and row.detail.get("through_hash"):
            found.add(str(row.detail["through_hash"]))
    return found


def verify(rows: Iterable[ChainRow]) -> Report:
    """Walk the rows in id order and report every altered, inserted and removed row."""
    ordered = sorted(rows, key=lambda r: r.id)
    problems: list[Problem] = []
    valid = [hmac.compare_digest(compute_hash(r), r.hash) for r in ordered]
    anchors = _anchors([r for r, ok in zip(ordered, valid) if ok])  # a forged checkpoint vouches for nothing
    linked_from: set[str] = set()  # prev_hash values already used by a row: a second use is a replay
    previous: ChainRow | None = None
    previous_trusted = True  # an altered row's hash proves nothing about the next link
    for i, row in enumerate(ordered):
        expected = previous.hash if previous is not None else None
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if not valid[i]:
            if following is not None and following.prev_hash != row.hash and (
                following.prev_hash == expected if expected is not None else following.prev_hash in anchors
            ):
                problems.append(Problem("inserted", row.id, f"row {row.id} is not part of the chain (its successor links past it)"))
                continue  # the successor is judged against the row before this one
            problems.append(Problem("altered", row.id, f"row {row.id}: content does not match its hash"))
        elif row.prev_hash in linked_from:
            problems.append(Problem("inserted", row.id, f"row {row.id} repeats a link already used (a copied row)"))
            continue
        elif previous is None and row.prev_hash not in anchors:
            problems.append(Problem("removed", row.id, f"rows before {row.id} are missing (no purge checkpoint covers them)"))
        elif previous is not None and previous_trusted and row.prev_hash != expected:
            problems.append(Problem("removed", row.id, f"rows between {previous.id} and {row.id} are missing"))
        linked_from.add(row.prev_hash)
        previous, previous_trusted = row, valid[i]
    head = ordered[-1] if ordered else None
    return Report(len(ordered), problems, head.id if head else None, head.hash if head else None)
