"""Waiting for the audit sequencer in tests.

On PostgreSQL a row is linked only once every transaction that began before it *on the server*
has ended (the horizon is cluster-wide), and the test server is shared: another test's open
transaction may hold the chain back for a while.  Tests that need their rows chained wait for
it, bounded, instead of assuming one `link_all` is enough.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from shared.audit.models import AuditEntry
from shared.audit.sequencer import Linked, link_all


def link_until_chained(sessions: sessionmaker[Session], *, timeout_s: float = 60.0) -> Linked:
    """Run the sequencer until no committed row is left unchained; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    delay = 0.02
    while True:
        linked = link_all(sessions)
        with sessions() as s:
            left = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None)))
            if not left:
                return linked
            if time.monotonic() > deadline:
                oldest = None
                if s.get_bind().dialect.name == "postgresql":
                    oldest = s.execute(text(
                        "SELECT datname, state, now() - xact_start AS age, left(query, 80) AS query FROM pg_stat_activity "
                        "WHERE backend_xid IS NOT NULL ORDER BY xact_start LIMIT 1"
                    )).first()
                raise AssertionError(f"{left} audit row(s) still unchained after {timeout_s} s; oldest writer: {oldest}")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
