"""The query code (查询码): random from an unambiguous alphabet, kept only as a slow hash, in the registration answer only."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from services.intake.credentials import codes, hashing
from services.intake.credentials import service as credentials
from services.intake.credentials.models import PublicCredential
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.actor import Actor
from shared.db.migrate import alembic_config, upgrade
from shared.pii.crypto import encrypt

_DISPLAY = re.compile(r"^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$")
_CLERK = Actor(name="clerk", unit="NY-JCY-KS")


def test_codes_use_no_look_alike_characters() -> None:
    drawn = {codes.new_code() for _ in range(500)}
    assert len(drawn) == 500  # random, not a sequence
    assert all(len(c) == codes.LENGTH for c in drawn)
    assert not set("".join(drawn)) & set("01OIL"), "0/O and 1/I/L are too easily mistaken"
    assert set("".join(drawn)) <= set(codes.ALPHABET)
    assert len(codes.new_code(codes.ENTERPRISE_LENGTH)) == 10
    # Issue 9: at least 40 bits (31⁸ would be 2^39.6, just under).
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2 ** 40
    assert codes.display("7KQ3XM9TA") == "7KQ-3XM-9TA" and codes.display("7KQ3XM9TAB") == "7KQ3-XM9T-AB"


def test_what_a_person_types_is_normalised() -> None:
    stored = hashing.hash_code("7KQ3XM9T")
    assert hashing.verify(stored, "7kq3-xm9t")
    assert hashing.verify(stored, " 7KQ3 XM9T ")
    assert hashing.verify(stored, "７ＫＱ３－ＸＭ９Ｔ")  # full-width, as an IME may type it
    assert not hashing.verify(stored, "7KQ3XM9")
    assert not hashing.verify(stored, "7KQ3XM9U")
    assert not hashing.verify(stored, "")


def test_the_stored_form_is_an_argon2id_hash_of_a_keyed_digest() -> None:
    stored = hashing.hash_code("7KQ3XM9T")
    assert stored.startswith("$argon2id$") and "7KQ3XM9T" not in stored
    assert hashing.hash_code("7KQ3XM9T") != stored  # salted
    assert not hashing.verify(None, "7KQ3XM9T")  # nothing stored: the dummy hash never opens anything


def test_reissuing_revokes_the_old_code(intake_app: Flask) -> None:
    with intake_app.extensions["huhang"].session_factory() as session:
        first = credentials.issue(session, kind="petition", subject_id="p1", lookup_key="N-1", actor=_CLERK,
                                  subject_type="petition")
        assert credentials.check(session, kind="petition", lookup_key="N-1", entered=first.code) == "p1"
        second = credentials.issue(session, kind="petition", subject_id="p1", lookup_key="N-1", actor=_CLERK,
                                   subject_type="petition", reason="遗失回执")
        assert credentials.check(session, kind="petition", lookup_key="N-1", entered=first.code) is None
        assert credentials.check(session, kind="petition", lookup_key="N-1", entered=second.code) == "p1"
        assert credentials.check(session, kind="petition", lookup_key="N-2", entered=second.code) is None
        rows = session.scalars(select(PublicCredential).where(PublicCredential.subject_id == "p1")).all()
        assert sorted(r.revoked_at is None for r in rows) == [False, True]
        session.rollback()


def test_a_court_case_holds_a_code_per_enterprise_party_up_to_its_cap(intake_app: Flask) -> None:
    with intake_app.extensions["huhang"].session_factory() as session:
        issued = [credentials.issue(session, kind="court_party", subject_id=f"party-{i}", lookup_key="（2022）豫13民初1234号",
                                    actor=_CLERK, subject_type="court_case") for i in range(4)]
        for i, one in enumerate(issued):
            assert credentials.check(session, kind="court_party", lookup_key="（2022）豫13民初1234号",
                                     entered=one.code) == f"party-{i}"
        try:
            credentials.issue(session, kind="court_party", subject_id="party-5", lookup_key="（2022）豫13民初1234号",
                              actor=_CLERK, subject_type="court_case")
        except credentials.TooManyCodes:
            pass
        else:
            raise AssertionError("a fifth active code for one 案号 was issued")
        session.rollback()


def test_registration_answers_with_the_code_and_only_a_hash_is_kept(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE)
    assert created.status_code == 201
    code = created.json["query_code"]
    assert _DISPLAY.match(code), code
    again = intake_client.get(f"/api/v1/petitions/{created.json['id']}")
    assert "query_code" not in again.json
    listed = intake_client.get("/api/v1/petitions")
    assert all("query_code" not in p for p in listed.json)
    with intake_app.extensions["huhang"].session_factory() as session:
        columns = {r[1] for r in session.execute(text("PRAGMA table_info(petitions)"))}
        (stored,) = session.execute(text("SELECT code_hash FROM public_credentials")).one()
    assert not any("query_code" in c for c in columns)
    assert stored.startswith("$argon2id$") and hashing.verify(stored, code)


def test_an_idempotent_replay_does_not_show_the_code_again(intake_client: FlaskClient) -> None:
    headers = {"Idempotency-Key": "qc-1"}
    first = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers)
    second = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers)
    assert first.json["id"] == second.json["id"]
    assert first.json["query_code"] and second.json["query_code"] is None


def test_the_reissue_endpoint_gives_a_new_code_and_the_old_one_stops(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE).json
    reissued = intake_client.post(f"/api/v1/petitions/{created['id']}/query-code", json={"reason": "遗失受理回执"})
    assert reissued.status_code == 201, reissued.json
    assert reissued.json["case_number"] == created["case_number"] and reissued.json["query_code"] != created["query_code"]
    with intake_app.extensions["huhang"].session_factory() as session:
        assert credentials.check(session, kind="petition", lookup_key=created["case_number"],
                                 entered=created["query_code"]) is None
        assert credentials.check(session, kind="petition", lookup_key=created["case_number"],
                                 entered=reissued.json["query_code"]) == created["id"]
        actions = session.execute(text("SELECT action, detail FROM audit_log WHERE action LIKE 'credential.%'")).all()
    assert [a for a, _ in actions] == ["credential.issue", "credential.reissue"]
    assert created["query_code"].replace("-", "") not in str(actions)
    missing = intake_client.post(f"/api/v1/petitions/{created['id']}/query-code", json={})
    assert missing.status_code == 422


def test_every_petition_gets_its_own_code(intake_client: FlaskClient) -> None:
    drawn = {intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE).json["query_code"] for _ in range(5)}
    assert len(drawn) == 5


def test_the_openapi_document_shows_the_code_in_the_registration_answer(intake_client: FlaskClient) -> None:
    spec = intake_client.get("/openapi.json").json
    answer = spec["paths"]["/api/v1/petitions"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    name = answer["$ref"].rsplit("/", 1)[-1]
    assert "query_code" in spec["components"]["schemas"][name]["properties"]


def test_migration_hashes_the_codes_of_earlier_petitions_and_drops_the_encrypted_copies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url, revision="petitions_0004_query_code")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO petitions (id, case_number, line, channel, petition_type, status, petitioner_name, "
            "is_enterprise, claim, received_at, received_on, registered_by, created_at, updated_at, query_code_enc) VALUES "
            "('p1', '12309-2026-000001', '12309', '信', '控告', 'registered', '张三', 0, '诉求', '2026-01-05 01:00:00', "
            "'2026-01-05', 'system', '2026-01-05 01:00:00', '2026-01-05 01:00:00', :code)"
        ), {"code": encrypt("7KQ3XM9T", purpose="petition.query_code")})
    upgrade("intake", url)
    with engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(petitions)"))}
        (kind, key, stored) = conn.execute(text("SELECT kind, lookup_key, code_hash FROM public_credentials")).one()
    assert "query_code_enc" not in columns
    assert (kind, key) == ("petition", "12309-2026-000001") and hashing.verify(stored, "7KQ3-XM9T")

    command.downgrade(alembic_config("intake", url), "petitions_0004_query_code")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(petitions)"))}
        left = conn.execute(text("SELECT count(*) FROM public_credentials")).scalar()
    assert "query_code_enc" in columns and left == 0
    engine.dispose()
