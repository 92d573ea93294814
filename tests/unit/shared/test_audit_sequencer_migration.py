"""Migration platform_0003_audit_sequencer: rows of the old chain keep verifying, new rows continue it, and back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from shared import audit
from shared.audit.chain import GENESIS, compute_hash_v1, verify
from shared.audit.models import AuditEntry
from tests.support.audit import link_until_chained
from shared.db.base import UTCDateTime
from shared.db.engine import make_engine, make_session_factory
from shared.db.migrate import alembic_config, upgrade

SERVICE = "notify"
_OLD_LOG = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("occurred_at", UTCDateTime(timezone=True)),
    *(sa.column(n, sa.String()) for n in ("actor", "actor_unit", "action", "outcome", "subject_type", "subject_id",
                                            "client_addr", "trace_id", "key_id", "prev_hash", "hash")),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("detail", sa.JSON()),
)


def _write_old_chain(url: str, n: int) -> list[str]:
    """Rows as the release before the sequencer wrote them: one hash over content and prev_hash, in id order."""
    engine = create_engine(url)
    hashes: list[str] = []
    prev = GENESIS
    moment = datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=timezone.utc)
    with engine.begin() as conn:
        for i in range(n):
            row: dict[str, Any] = {
                "occurred_at": moment + timedelta(minutes=i), "actor": f"old{i}", "actor_unit": None,
                "action": "petition.create", "outcome": "success", "subject_type": "petition", "subject_id": str(i),
                "before": None, "after": {"case": f"12309-2026-{i:06d}"}, "client_addr": "10.0.0.1", "trace_id": None,
                "detail": None, "key_id": "v1", "prev_hash": prev,
            }
            row["hash"] = prev = compute_hash_v1(SimpleNamespace(**row))  # type: ignore[arg-type]
            conn.execute(sa.insert(_OLD_LOG).values(**row))
            hashes.append(prev)
    engine.dispose()
    return hashes


def _old_form_verifies(url: str) -> bool:
    """What the release before would conclude: every hash in the old form, linked in id order."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [
            SimpleNamespace(**dict(r._mapping), seq=r.id, txid=0, nonce=None, row_mac=None)
            for r in conn.execute(sa.select(_OLD_LOG))
        ]
    engine.dispose()
    return verify(rows).ok  # type: ignore[arg-type]


def check_round_trip(url: str) -> None:
    """Shared by the SQLite test here and the PostgreSQL one in tests/integration."""
    upgrade(SERVICE, url, revision="platform_0002_audit")
    old = _write_old_chain(url, 3)
    upgrade(SERVICE, url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as s:
            rows = list(s.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))
            assert [(r.seq, r.txid, r.row_mac) for r in rows] == [(r.id, 0, None) for r in rows]
            report = audit.verify_chain(s)
            assert report.ok and report.chained == 3 and report.head_hash == old[-1], report.problems
        # New rows continue the old chain from its head.
        with sessions() as s, s.begin():
            new_ids = [audit.record(s, action="test.after_upgrade", actor=f"new{i}").id for i in range(2)]
        link_until_chained(sessions)
        with sessions() as s:
            first_new = s.get(AuditEntry, new_ids[0])
            assert first_new is not None and first_new.prev_hash == old[-1] and first_new.seq == rows[-1].id + 1
            assert audit.verify_chain(s).ok
        # A row not yet linked when the downgrade runs is taken along.
        with sessions() as s, s.begin():
            audit.record(s, action="test.unlinked", actor="late")
        engine.dispose()

        command.downgrade(alembic_config(SERVICE, url), "platform@-1")
        columns = {c["name"] for c in inspect(engine).get_columns("audit_log")}
        engine.dispose()
        assert not {"seq", "txid", "nonce", "row_mac"} & columns
        assert _old_form_verifies(url)
        upgrade(SERVICE, url)  # and up again: every row is in the old form once more
        with sessions() as s:
            assert audit.verify_chain(s).ok
    finally:
        engine.dispose()


def test_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    check_round_trip(f"sqlite:///{tmp_path / 'notify.db'}")


def test_the_downgrade_refuses_a_log_that_does_not_verify(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'notify.db'}"
    upgrade(SERVICE, url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as s, s.begin():
        audit.record(s, action="test.row", actor="a")
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'b'"))
    engine.dispose()
    with pytest.raises(RuntimeError, match="does not verify"):
        command.downgrade(alembic_config(SERVICE, url), "platform@-1")
    with Session(engine) as s:
        assert s.scalar(text("SELECT count(*) FROM audit_log WHERE row_mac IS NOT NULL")) == 1  # untouched
    engine.dispose()
