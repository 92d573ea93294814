"""The audit sequencer: links committed audit rows into the hash chain, in commit-safe order.

`record` only seals a row (shared/audit/chain.py) and notes the id of the transaction writing it
(`txid`); it reads no other row and takes no lock, so auditing transactions never wait for each
other.  The chain is built afterwards, here, the way the outbox is relayed: a loop in `huhang
workers <service>` takes the next unchained rows and gives each its `seq`, `prev_hash` and `hash`.

Which rows, in which order: only rows whose `txid` is below the horizon
`pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still running.  Every
transaction below it has ended, so no row can still commit that would belong before the rows
linked now: the chain is only ever appended to, and it is sorted by (txid, id) — which is what
`verify` checks.  The price is lag: a row is chained only once every transaction that began
before it on the server has ended (docs/adr/0008-audit-chain-sequencer.md).

One sequencer at a time per database: each batch is one short transaction that first takes
`pg_try_advisory_xact_lock`; a replica that does not get it skips the round.  The lock is held for
the milliseconds of linking, never across a business transaction.  On SQLite every write
transaction holds the database's single write lock (`BEGIN IMMEDIATE`), writers are serialised,
id order is commit order and every committed row may be linked: `txid` is 0 and the horizon 1.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from shared.audit.chain import GENESIS, compute_link, seal_ok
from shared.audit.models import AuditEntry
from shared.keyring import KeyringError, keyring

log = logging.getLogger(__name__)

# Any fixed 64-bit number, the same in every process: the key of the sequencer's advisory lock.
# Not the old chain lock's (…01): a writer of the old release still takes that one.
_SEQUENCER_LOCK = 0x68_75_68_61_6E_67_02  # "huhang" + 2
_SQLITE_HORIZON = 1  # every SQLite row has txid 0 and is safe to link once committed
_TXID_KEY = "huhang.audit.txid"


@dataclass(frozen=True)
class Linked:
    """What one call linked: how many rows, and the horizon it linked up to (None: not elected)."""

    rows: int
    horizon: int | None

    @property
    def elected(self) -> bool:
        return self.horizon is not None


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def transaction_id(session: Session) -> int:
    """The id of the caller's (top-level) transaction: what orders its audit rows; 0 on SQLite.

    Asked once per transaction (cached on the session against the transaction object, which the
    cache keeps alive, so a later transaction never matches it).
    """
    if not _postgres(session):
        return 0
    current = session.get_transaction()
    cached = session.info.get(_TXID_KEY)
    if cached is not None and current is not None and cached[0] is current:
        return int(cached[1])
    # Assigns the transaction an id if it has none yet: it is about to write the row anyway.
    txid = int(session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar_one())
    session.info[_TXID_KEY] = (current, txid)
    return txid


def horizon(session: Session) -> int:
    """Rows whose txid is below this may be linked now: every transaction below it has ended."""
    if not _postgres(session):
        return _SQLITE_HORIZON
    return int(session.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")).scalar_one())


def _elect(session: Session, *, wait: bool) -> bool:
    if not _postgres(session):
        return True  # SQLite: this transaction holds the write lock already (BEGIN IMMEDIATE)
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SEQUENCER_LOCK})
        return True
    return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _SEQUENCER_LOCK}).scalar_one())


def link_batch(session: Session, *, limit: int = 500, wait: bool = False) -> Linked:
    """Link up to `limit` committed rows after the chain's head, in the caller's transaction.

    Commit soon after: the sequencer's lock is held until then.  With `wait=False` another
    sequencer holding the lock means nothing is done (`Linked(0, None)`); with `wait=True` this
    waits for it.  Idempotent: a row is linked once, and linking nothing is harmless.  A row whose
    seal does not match is linked all the same (holding it back would stall the chain for every
    row after it) and logged; `verify` reports it as altered.
    """
    if not _elect(session, wait=wait):
        return Linked(0, None)
    below = horizon(session)
    rows = list(session.scalars(
        select(AuditEntry)
        .where(AuditEntry.seq.is_(None), AuditEntry.txid < below)
        .order_by(AuditEntry.txid, AuditEntry.id)
        .limit(limit)
    ))
    if not rows:
        return Linked(0, below)
    # Read with the lock held: in READ COMMITTED this statement sees every link the previous
    # sequencer committed.  Were it stale, the unique seq would refuse the fork, not record it.
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).where(AuditEntry.seq.is_not(None)).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (int(head.seq), str(head.hash)) if head is not None else (0, GENESIS)
    for row in rows:
        if not seal_ok(row):
            log.error("audit row %s does not match its seal; linked as found (verify reports it)", row.id)
        seq += 1
        row.seq, row.prev_hash = seq, prev
        try:
            row.hash = compute_link(row, prev)
        except KeyringError:
            # A key id nobody holds (forged, or a retired key not configured): link it under the
            # current key so the chain goes on; verify, using the row's key id, reports it.
            row.hash = compute_link(row, prev, key_id=keyring("audit").current_id)
        prev = row.hash
    session.flush()
    return Linked(len(rows), below)


def link_pending(session: Session, *, batch: int = 500) -> Linked:
    """Link every row that may be linked now, in the caller's transaction (waits for the lock)."""
    total = 0
    while True:
        linked = link_batch(session, limit=batch, wait=True)
        total += linked.rows
        if linked.rows < batch:
            return Linked(total, linked.horizon)


def link_all(session_factory: sessionmaker[Session], *, batch: int = 500) -> Linked:
    """Link every row that may be linked now, one transaction per batch (waits for the lock).

    Run before `verify` and `purge`: afterwards an unchained row below the returned horizon is
    one that was held back or taken out of the chain.
    """
    total = 0
    while True:
        with session_factory() as session, session.begin():
            linked = link_batch(session, limit=batch, wait=True)
        total += linked.rows
        if linked.rows < batch:
            return Linked(total, linked.horizon)


class AuditSequencer:
    """The sequencer as a worker loop (shared.manifest.Loop); several replicas may run one each."""

    def __init__(
        self, session_factory: sessionmaker[Session], *, batch_size: int = 500, poll_interval_s: float = 0.2
    ) -> None:
        self.session_factory = session_factory
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self._stop = threading.Event()

    def link_once(self) -> Linked:
        """One batch in a transaction of its own; skipped when another sequencer holds the lock."""
        with self.session_factory() as session, session.begin():
            return link_batch(session, limit=self.batch_size, wait=False)

    def run(self) -> None:
        """Link until stop() is called; waits only when a batch was not full (or not elected)."""
        while not self._stop.is_set():
            try:
                linked = self.link_once()
            except Exception:  # noqa: BLE001 - a database outage must not kill the loop
                log.exception("audit sequencer iteration failed; retrying")
                self._stop.wait(1.0)
                continue
            if linked.rows < self.batch_size:
                self._stop.wait(self.poll_interval_s)

    def stop(self) -> None:
        self._stop.set()
