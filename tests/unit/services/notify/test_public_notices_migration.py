"""Migration deliveries_0005_public_notices: the notice table and the delivery columns, up and down,
existing deliveries kept (not mandatory, no notice)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect, text

from shared.db.migrate import alembic_config, upgrade
from tests.unit.services.notify.test_delivery_states_migration import LEGACY_ROW

NEW_COLUMNS = {"notice_id", "mandatory", "opt_out_ignored", "contact_enc", "body_html", "document_sha256"}


def check_public_notices_round_trip(url: str) -> None:
    """Shared by the SQLite test here and the PostgreSQL one in tests/integration."""
    upgrade("notify", url, revision="deliveries_0004_listing")
    upgrade("notify", url, revision="platform_0002_audit")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(LEGACY_ROW.replace("'delivered'", "'sent'")))
        upgrade("notify", url, revision="deliveries_0005_public_notices")
        assert {"public_notices", "contact_opt_outs"} <= set(inspect(engine).get_table_names())
        assert NEW_COLUMNS <= {c["name"] for c in inspect(engine).get_columns("deliveries")}
        with engine.connect() as conn:
            row = conn.execute(text("SELECT status, mandatory, notice_id FROM deliveries")).one()
        assert (row.status, bool(row.mandatory), row.notice_id) == ("sent", False, None)

        command.downgrade(alembic_config("notify", url), "deliveries@-1")
        engine.dispose()
        assert not {"public_notices", "contact_opt_outs"} & set(inspect(engine).get_table_names())
        assert not NEW_COLUMNS & {c["name"] for c in inspect(engine).get_columns("deliveries")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM deliveries")).scalar() == "sent"
        upgrade("notify", url)
    finally:
        engine.dispose()


def test_upgrade_and_downgrade_on_sqlite(tmp_path: Path) -> None:
    check_public_notices_round_trip(f"sqlite:///{tmp_path / 'notify.db'}")
