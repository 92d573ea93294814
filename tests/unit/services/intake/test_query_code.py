"""The query code (查询码): random from an unambiguous alphabet, encrypted at rest, in the registration answer only."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from services.intake.petitions import query_code
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.db.migrate import alembic_config, upgrade
from shared.pii.crypto import decrypt

_DISPLAY = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def test_codes_use_no_look_alike_characters() -> None:
    codes = {query_code.new_code() for _ in range(500)}
    assert len(codes) == 500  # random, not a sequence
    assert all(len(c) == query_code.LENGTH for c in codes)
    assert not set("".join(codes)) & set("01OIL"), "0/O and 1/I/L are too easily mistaken"
    assert set("".join(codes)) <= set(query_code.ALPHABET)


def test_what_a_person_types_is_normalised() -> None:
    assert query_code.matches("7KQ3XM9T", "7kq3-xm9t")
    assert query_code.matches("7KQ3XM9T", " 7KQ3 XM9T ")
    assert query_code.matches("7KQ3XM9T", "７ＫＱ３－ＸＭ９Ｔ")  # full-width, as an IME may type it
    assert not query_code.matches("7KQ3XM9T", "7KQ3XM9")
    assert not query_code.matches("7KQ3XM9T", "7KQ3XM9U")


def test_no_stored_code_never_matches() -> None:
    assert not query_code.matches(None, "ZZZZZZZZ")  # the constant compared against for an unknown case
    assert not query_code.matches(None, "")


def test_registration_answers_with_the_code_and_reading_does_not(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE)
    assert created.status_code == 201
    code = created.json["query_code"]
    assert _DISPLAY.match(code), code
    again = intake_client.get(f"/api/v1/petitions/{created.json['id']}")
    assert "query_code" not in again.json
    listed = intake_client.get("/api/v1/petitions")
    assert all("query_code" not in p for p in listed.json)
    with intake_app.extensions["huhang"].session_factory() as session:
        (stored,) = session.execute(text("SELECT query_code_enc FROM petitions")).one()
    assert code.replace("-", "") not in stored and stored.startswith("v1:")
    assert decrypt(stored, purpose="petition.query_code") == code.replace("-", "")


def test_an_idempotent_replay_gives_the_same_code(intake_client: FlaskClient) -> None:
    headers = {"Idempotency-Key": "qc-1"}
    first = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers)
    second = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers)
    assert first.json["query_code"] == second.json["query_code"]


def test_every_petition_gets_its_own_code(intake_client: FlaskClient) -> None:
    codes = {intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE).json["query_code"] for _ in range(5)}
    assert len(codes) == 5


def test_the_openapi_document_shows_the_code_in_the_registration_answer(intake_client: FlaskClient) -> None:
    spec = intake_client.get("/openapi.json").json
    answer = spec["paths"]["/api/v1/petitions"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    name = answer["$ref"].rsplit("/", 1)[-1]
    assert "query_code" in spec["components"]["schemas"][name]["properties"]


def test_migration_gives_earlier_petitions_a_code_and_downgrade_drops_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url, revision="petitions_0003_personal_data")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO petitions (id, case_number, line, channel, petition_type, status, petitioner_name, "
            "is_enterprise, claim, received_at, received_on, registered_by, created_at, updated_at) VALUES "
            "('p1', '12309-2026-000001', '12309', '信', '控告', 'registered', '张三', 0, '诉求', '2026-01-05 01:00:00', "
            "'2026-01-05', 'system', '2026-01-05 01:00:00', '2026-01-05 01:00:00')"
        ))
    upgrade("intake", url)
    with engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT query_code_enc FROM petitions WHERE id = 'p1'")).one()
    plain = decrypt(stored, purpose="petition.query_code")
    assert len(plain) == 8 and set(plain) <= set(query_code.ALPHABET)

    command.downgrade(alembic_config("intake", url), "petitions_0003_personal_data")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(petitions)"))}
    assert "query_code_enc" not in columns
    engine.dispose()
