"""Migration petitions_0003_personal_data encrypts the numbers of petitions registered before it, and back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from shared.db.migrate import alembic_config, upgrade
from shared.pii.crypto import blind_index, decrypt

ID, PHONE = "41130219900101121x", "13800138000"


def test_existing_rows_are_encrypted_and_downgrade_restores_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url, revision="petitions_0001_petitions")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO petitions (id, case_number, line, channel, petition_type, status, petitioner_name, "
            "petitioner_id_number, petitioner_phone, is_enterprise, claim, received_at, received_on, registered_by, "
            "created_at, updated_at) VALUES ('p1', '12309-2026-000001', '12309', '网', '控告', 'registered', '张三', "
            ":id, :phone, 0, '诉求', '2026-01-05 01:00:00', '2026-01-05', 'system', '2026-01-05 01:00:00', "
            "'2026-01-05 01:00:00')"
        ), {"id": ID, "phone": PHONE})

    upgrade("intake", url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM petitions WHERE id = 'p1'")).one()._mapping
    assert "petitioner_id_number" not in row and ID not in str(dict(row)) and PHONE not in str(dict(row))
    assert decrypt(row["petitioner_id_number_enc"], purpose="petition.id_number") == ID.upper()
    assert decrypt(row["petitioner_phone_enc"], purpose="petition.phone") == PHONE
    assert row["petitioner_id_number_bidx"] == blind_index(ID, kind="id_number")

    # Back to before the audit log and what depends on it (the encryption came with it).
    command.downgrade(alembic_config("intake", url), "platform_0002_audit-1")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT petitioner_id_number, petitioner_phone FROM petitions")).one()
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert tuple(back) == (ID.upper(), PHONE)
    assert "audit_log" not in tables
    engine.dispose()
