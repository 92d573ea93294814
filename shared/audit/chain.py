"""The hash chain of the audit log, and its verification.

A row is sealed when it is written and linked after its transaction committed:

- `row_mac` = HMAC-SHA256(audit key, "huhang-audit-row-v2\\n" + canonical JSON of the row's content,
  its random `nonce` and the id of the transaction that wrote it, `txid`).  Written by `record` in
  the caller's transaction, without reading any other row: writers never wait for each other.
- `hash` = HMAC-SHA256(audit key, "huhang-audit-link-v2\\n" + `prev_hash` + `row_mac`), with `seq`
  (the position) and `prev_hash` (the previous row's `hash`; `GENESIS` for the first row ever, or
  the anchor written by a purge).  Written by the sequencer (shared/audit/sequencer.py) in commit
  order, once no transaction still running can commit a row that belongs before it.

Rows written before the sequencer existed (`row_mac` NULL) keep their one hash, HMAC over
"huhang-audit-v1\\n" + their content + `prev_hash`; migration platform_0003 gave them `seq` = id.

Keyed, not a bare SHA-256: someone with write access to the database but not the key cannot
recompute a seal or a link after changing a row.  Neither the row id nor `seq` is covered: order
is fixed by the links, so a renumbering to make room for a forged row shows up as that row being
skipped by its successor's link ("inserted").

What verification can see (`verify`): in the chain, an altered, removed, inserted or copied row
(as before), and a row linked out of commit order ("misplaced": held back, or taken out of the
chain and put back); in the not-yet-chained tail, an altered or forged row (its seal), a copy (a
repeated seal), and a row that should have been chained already ("misplaced": older than the
chain's head, or below the horizon the sequencer just linked up to).  What it cannot see: rows
cut off the *end* of the chain, and a tail row deleted before the sequencer reached it (it left no
link behind).  `verify` reports the head (seq, id and hash); an operator who keeps that elsewhere
closes the first gap; the sequencer's lag bounds the second (docs/audit.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Protocol

from shared.keyring import KeyringError, keyring

GENESIS = "0" * 64
PURGE_ACTION = "audit.purge"
_DOMAIN_V1 = b"huhang-audit-v1\n"
_DOMAIN_ROW = b"huhang-audit-row-v2\n"
_DOMAIN_LINK = b"huhang-audit-link-v2\n"


class ChainRow(Protocol):
    # Read-only attributes, so both the mapped model and plain test rows satisfy it.
    @property
    def id(self) -> int: ...
    @property
    def occurred_at(self) -> Any: ...
    @property
    def actor(self) -> str: ...
    @property
    def actor_unit(self) -> str | None: ...
    @property
    def action(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def subject_type(self) -> str | None: ...
    @property
    def subject_id(self) -> str | None: ...
    @property
    def before(self) -> Any: ...
    @property
    def after(self) -> Any: ...
    @property
    def client_addr(self) -> str | None: ...
    @property
    def trace_id(self) -> str | None: ...
    @property
    def detail(self) -> Any: ...
    @property
    def key_id(self) -> str: ...
    @property
    def txid(self) -> int: ...
    @property
    def nonce(self) -> str | None: ...
    @property
    def row_mac(self) -> str | None: ...
    @property
    def seq(self) -> int | None: ...
    @property
    def prev_hash(self) -> str | None: ...
    @property
    def hash(self) -> str | None: ...


def _content(row: ChainRow) -> dict[str, Any]:
    return {
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
    }


def _json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _mac(key_id: str, domain: bytes, message: bytes) -> str:
    return hmac.new(keyring("audit").get(key_id), domain + message, hashlib.sha256).hexdigest()


def compute_hash_v1(row: ChainRow) -> str:
    """The single hash of a row written before the sequencer: content and prev_hash together."""
    return _mac(row.key_id, _DOMAIN_V1, _json(_content(row) | {"prev_hash": row.prev_hash}))


def compute_row_mac(row: ChainRow) -> str:
    """The seal `record` puts on a row: its content, nonce and writing transaction."""
    return _mac(row.key_id, _DOMAIN_ROW, _json(_content(row) | {"nonce": row.nonce, "txid": row.txid}))


def compute_link(row: ChainRow, prev_hash: str, *, key_id: str | None = None) -> str:
    """The chain hash the sequencer gives a sealed row that follows `prev_hash` (under the row's key)."""
    return _mac(key_id or row.key_id, _DOMAIN_LINK, _json({"prev_hash": prev_hash, "row_mac": row.row_mac}))


def seal_ok(row: ChainRow) -> bool:
    """Whether a (v2) row's content, nonce and txid still match its `row_mac`."""
    try:
        return row.row_mac is not None and hmac.compare_digest(compute_row_mac(row), row.row_mac)
    except KeyringError:
        return False


def _link_ok(row: ChainRow) -> bool:
    if row.hash is None or row.prev_hash is None:
        return False
    try:
        if row.row_mac is None:  # written before the sequencer: one hash over everything
            return hmac.compare_digest(compute_hash_v1(row), row.hash)
        return seal_ok(row) and hmac.compare_digest(compute_link(row, row.prev_hash), row.hash)
    except KeyringError:
        return False


def position(row: ChainRow) -> tuple[int, int]:
    """Commit-safe order: the writing transaction, then the id (the order within it)."""
    return (row.txid, row.id)


@dataclass(frozen=True)
class Problem:
    """One finding: `altered` (content, seal or hash changed), `inserted` (a row the chain does not
    link through, or a copy of another row), `removed` (a link points at a row that is gone),
    `misplaced` (a row out of commit order: linked after a younger row, or still unchained although
    the chain has passed it)."""

    kind: str
    row_id: int
    message: str


@dataclass(frozen=True)
class Report:
    rows: int
    problems: list[Problem]
    head_id: int | None
    head_hash: str | None
    chained: int = 0
    head_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unchained(self) -> int:
        """Rows committed but not yet linked by the sequencer (the tail)."""
        return self.rows - self.chained


def _anchors(rows: Iterable[ChainRow]) -> set[str]:
    """Hashes a purge checkpoint vouches for as the end of what it removed."""
    found = {GENESIS}
    for row in rows:
        if row.action == PURGE_ACTION and isinstance(row.detail, dict) and row.detail.get("through_hash"):
            found.add(str(row.detail["through_hash"]))
    return found


def verify(rows: Iterable[ChainRow], *, horizon: int | None = None) -> Report:
    """Walk the chain in `seq` order, then the unchained tail, and report every problem found.

    `horizon`: the sequencer has just linked every row whose transaction id is below it (see
    `sequencer.link_all`), so an unchained row below it was held back or taken out of the chain.
    """
    everything = list(rows)
    chain = sorted((r for r in everything if r.seq is not None), key=lambda r: r.seq or 0)
    tail = sorted((r for r in everything if r.seq is None), key=position)
    problems: list[Problem] = []
    valid = [_link_ok(r) for r in chain]
    tail_valid = [seal_ok(r) and r.hash is None and r.prev_hash is None for r in tail]
    # A forged checkpoint vouches for nothing; a genuine one may still wait in the tail.
    anchors = _anchors([r for r, ok in zip(chain, valid) if ok] + [r for r, ok in zip(tail, tail_valid) if ok])
    linked_from: set[str] = set()  # prev_hash values already used by a row: a second use is a replay
    sealed: set[str] = set()  # row_mac values seen: a second one is a copied row
    previous: ChainRow | None = None
    previous_trusted = True  # an altered row's hash proves nothing about the next link
    for i, row in enumerate(chain):
        expected = previous.hash if previous is not None else None
        following = chain[i + 1] if i + 1 < len(chain) else None
        if not valid[i]:
            if following is not None and following.prev_hash != row.hash and (
                following.prev_hash == expected if expected is not None else following.prev_hash in anchors
            ):
                problems.append(Problem("inserted", row.id, f"row {row.id} is not part of the chain (its successor links past it)"))
                continue  # the successor is judged against the row before this one
            problems.append(Problem("altered", row.id, f"row {row.id}: content does not match its hash"))
        elif row.prev_hash in linked_from or (row.row_mac is not None and row.row_mac in sealed):
            problems.append(Problem("inserted", row.id, f"row {row.id} repeats a link already used (a copied row)"))
            continue
        elif previous is None and row.prev_hash not in anchors:
            problems.append(Problem("removed", row.id, f"rows before {row.id} are missing (no purge checkpoint covers them)"))
        elif previous is not None and previous_trusted and row.prev_hash != expected:
            problems.append(Problem("removed", row.id, f"rows between {previous.id} and {row.id} are missing"))
        elif previous is not None and previous_trusted and position(row) <= position(previous):
            problems.append(Problem(
                "misplaced", row.id,
                f"row {row.id} was linked after row {previous.id} though it was written before it "
                "(held back from the chain, or taken out and put back)",
            ))
        if row.prev_hash is not None:
            linked_from.add(row.prev_hash)
        if row.row_mac is not None:
            sealed.add(row.row_mac)
        previous, previous_trusted = row, valid[i]
    head = previous
    for row, ok in zip(tail, tail_valid):
        if not ok:
            problems.append(Problem("altered", row.id, f"unchained row {row.id}: content does not match its row_mac"))
            continue
        assert row.row_mac is not None  # a valid seal is a seal
        if row.row_mac in sealed:
            problems.append(Problem("inserted", row.id, f"unchained row {row.id} is a copy of another row"))
            continue
        sealed.add(row.row_mac)
        if head is not None and position(row) <= position(head):
            problems.append(Problem(
                "misplaced", row.id,
                f"unchained row {row.id} was written before the chain's head {head.id}: it should be in the chain",
            ))
        elif horizon is not None and row.txid < horizon:
            problems.append(Problem(
                "misplaced", row.id,
                f"unchained row {row.id}: its transaction ended before the sequencer's horizon, yet it is not chained",
            ))
    last = chain[-1] if chain else None
    return Report(
        rows=len(chain) + len(tail), problems=problems, head_id=last.id if last else None,
        head_hash=last.hash if last else None, chained=len(chain), head_seq=last.seq if last else None,
    )
