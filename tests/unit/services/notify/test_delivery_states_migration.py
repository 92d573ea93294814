"""Migration deliveries_0003_delivery_states: delivered rows become sent, and back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from shared.db.migrate import alembic_config, upgrade

LEGACY_ROW = (
    "INSERT INTO deliveries (id, subject, channel, recipient, template, title, body, status, source_event_id, "
    "source_event_type, unit_code, created_at, updated_at) VALUES ('d1', 'pid-1', 'staff_inbox', "
    "'unit:triage-officers', 'triage.item_created', '新信访件待分流 X', 'X', 'delivered', 'e1', "
    "'triage.item_created', NULL, '2026-12-01 01:00:00', '2026-12-01 01:00:00')"
)


def check_round_trip(url: str) -> None:
    """Shared by the SQLite test here and the PostgreSQL one in tests/integration."""
    # The state before it: the deliveries branch at its units revision, the platform branch at the audit log.
    upgrade("notify", url, revision="deliveries_0002_units")
    upgrade("notify", url, revision="platform_0002_audit")
    engine: Engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(LEGACY_ROW))
        # Exactly this revision: later ones (and other branches) have their own tests.
        upgrade("notify", url, revision="deliveries_0003_delivery_states")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT status, attempts, sent_at, next_attempt_at FROM deliveries")).one()
            heads = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version_notify"))}
        assert (row.status, row.attempts, row.next_attempt_at) == ("sent", 1, None) and row.sent_at is not None
        assert heads == {"deliveries_0003_delivery_states", "platform_0002_audit"}
        assert "delivery_attempts" in inspect(engine).get_table_names()
        columns = {c["name"] for c in inspect(engine).get_columns("deliveries")}
        assert {"attempts", "next_attempt_at", "sent_at", "last_error", "trace_id"} <= columns

        # Down one step on the deliveries branch.
        command.downgrade(alembic_config("notify", url), "deliveries@-1")
        engine.dispose()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM deliveries")).scalar() == "delivered"
            heads = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version_notify"))}
        assert heads == {"deliveries_0002_units", "platform_0002_audit"}
        assert "delivery_attempts" not in inspect(engine).get_table_names()
        assert "attempts" not in {c["name"] for c in inspect(engine).get_columns("deliveries")}
        upgrade("notify", url)  # and up again
    finally:
        engine.dispose()


def test_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    check_round_trip(f"sqlite:///{tmp_path / 'notify.db'}")
