"""Petitioners' numbers in intake: encrypted at rest, found by blind index, masked in every answer,
revealed only to the roles that need them, and every such access audited."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.audit import AuditEntry
from tests.support.auth import AuthKeys

ID = PETITION_EXAMPLE["petitioner"]["id_number"]
PHONE = PETITION_EXAMPLE["petitioner"]["phone"]
_PLAIN = re.compile(rf"{ID}|{PHONE}")


def _rows(app: Flask, sql: str) -> list[Any]:
    with app.extensions["huhang"].session_factory() as session:
        return list(session.execute(text(sql)).all())


def _audit(app: Flask, action: str) -> list[AuditEntry]:
    with app.extensions["huhang"].session_factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _register(client: FlaskClient, **petitioner: Any) -> dict[str, Any]:
    body = copy.deepcopy(PETITION_EXAMPLE)
    body["petitioner"].update(petitioner)
    resp = client.post("/api/v1/petitions", json=body)
    assert resp.status_code == 201, resp.json
    return dict(resp.json)


def test_numbers_are_encrypted_at_rest_with_a_blind_index(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = _register(intake_client)
    (row,) = _rows(intake_app, "SELECT * FROM petitions")
    raw = " ".join(str(v) for v in row)
    assert ID not in raw and PHONE not in raw and ID[:6] + ID[-4:] not in raw
    mapping = row._mapping
    assert mapping["petitioner_id_number_enc"].startswith("v1:")
    assert len(mapping["petitioner_id_number_bidx"]) == 64 and len(mapping["petitioner_phone_bidx"]) == 64
    assert "petitioner_id_number" not in mapping  # the plaintext column is gone
    assert created["petitioner"]["id_number"] == "4113**********1236"


def test_registration_is_audited_with_a_masked_summary(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = _register(intake_client)
    (entry,) = _audit(intake_app, "petition.create")
    assert entry.subject_id == created["id"] and entry.outcome == "success"
    assert entry.actor == "t-intake_clerk" and entry.actor_unit == "NY-JCY-KS"
    assert entry.client_addr == "127.0.0.1" and entry.trace_id
    assert entry.after["case_number"] == created["case_number"]
    assert entry.after["petitioner"] == {"name": "张*", "id_number": "4113**********1236", "phone": "138****8000"}
    dumped = " ".join(str(v) for v in _rows(intake_app, "SELECT * FROM audit_log")[0])
    assert not _PLAIN.search(dumped)


def test_idempotent_replay_writes_no_second_audit_row(intake_app: Flask, intake_client: FlaskClient) -> None:
    for _ in range(2):
        assert intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers={"Idempotency-Key": "a-1"}).status_code == 201
    assert len(_audit(intake_app, "petition.create")) == 1


def test_the_same_matter_by_the_same_id_number_is_linked_as_a_duplicate(intake_client: FlaskClient) -> None:
    """The blind index finds the same person (services/intake/duplicates; the rule's own tests are there)."""
    first = _register(intake_client)
    second = _register(intake_client, id_number=ID.lower())  # normalised: same person
    body = copy.deepcopy(PETITION_EXAMPLE) | {"enterprise": None}
    body["petitioner"] |= {"id_number": "11010519491231002X", "kind": "natural"}
    other = intake_client.post("/api/v1/petitions", json=body).json  # another person, no enterprise in common
    assert first["possible_duplicate_of"] is None and first["duplicate_of"] is None
    assert second["possible_duplicate_of"] == first["id"]
    assert second["duplicate_of"]["basis"] == "same_person" and second["duplicate_of"]["case_number"] == first["case_number"]
    assert other["possible_duplicate_of"] is None


def test_old_petition_is_not_a_duplicate(intake_client: FlaskClient) -> None:
    old = copy.deepcopy(PETITION_EXAMPLE) | {"received_at": "2025-01-02T09:00:00+08:00"}
    assert intake_client.post("/api/v1/petitions", json=old).status_code == 201
    assert _register(intake_client)["possible_duplicate_of"] is None


def test_search_by_number_finds_masked_and_is_audited(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = _register(intake_client)
    _register(intake_client, id_number="11010519491231002X", phone="13912345678")
    resp = intake_client.post("/api/v1/petitions/search", json={"id_number": ID})
    assert resp.status_code == 200
    assert [p["id"] for p in resp.json] == [created["id"]]
    assert not _PLAIN.search(resp.get_data(as_text=True))
    by_phone = intake_client.post("/api/v1/petitions/search", json={"phone": "13912345678"}).json
    assert len(by_phone) == 1 and by_phone[0]["id"] != created["id"]
    assert intake_client.post("/api/v1/petitions/search", json={"id_number": "110105194912310021"}).json == []
    entries = _audit(intake_app, "pii.search")
    assert [e.detail["by"] for e in entries] == [["id_number"], ["phone"], ["id_number"]]
    assert entries[0].detail["petition_ids"] == [created["id"]]
    assert not _PLAIN.search(str([(e.detail, e.after) for e in entries]))


def test_search_needs_a_number(intake_client: FlaskClient) -> None:
    resp = intake_client.post("/api/v1/petitions/search", json={})
    assert resp.status_code == 422 and resp.json["code"] == "validation_failed"


def test_search_is_scoped_to_the_callers_units(intake_client: FlaskClient, intake_app: Flask, test_keys: AuthKeys) -> None:
    _register(intake_client)
    other_unit = intake_app.test_client()
    resp = other_unit.post("/api/v1/petitions/search", json={"id_number": ID}, headers=test_keys.headers("case_handler"))
    assert resp.status_code == 200 and resp.json == []


def test_reveal_gives_full_numbers_and_is_audited(intake_app: Flask, intake_client: FlaskClient) -> None:
    created = _register(intake_client)
    resp = intake_client.post(f"/api/v1/petitions/{created['id']}/reveal", json={"reason": "电话回访信访人"})
    assert resp.status_code == 200, resp.json
    assert resp.json == {"petition_id": created["id"], "case_number": created["case_number"], "id_number": ID, "phone": PHONE}
    only_phone = intake_client.post(f"/api/v1/petitions/{created['id']}/reveal", json={"fields": ["phone"], "reason": "回访"})
    assert "id_number" not in only_phone.json and only_phone.json["phone"] == PHONE
    entries = _audit(intake_app, "pii.reveal")
    assert [(e.outcome, e.detail["fields"], e.subject_id) for e in entries] == [
        ("success", ["id_number", "phone"], created["id"]),
        ("success", ["phone"], created["id"]),
    ]
    assert entries[0].detail["reason"] == "电话回访信访人" and entries[0].actor == "t-intake_clerk"


def test_reveal_is_refused_to_other_roles(intake_client: FlaskClient, intake_app: Flask, test_keys: AuthKeys) -> None:
    created = _register(intake_client)
    for role in ("auditor", "triage_officer", "admin"):
        resp = intake_app.test_client().post(
            f"/api/v1/petitions/{created['id']}/reveal", json={"reason": "想看"}, headers=test_keys.headers(role)
        )
        assert resp.status_code == 403, role
        assert not _PLAIN.search(resp.get_data(as_text=True))


def test_reveal_of_another_units_petition_is_404_and_audited_as_denied(
    intake_client: FlaskClient, intake_app: Flask, test_keys: AuthKeys
) -> None:
    created = _register(intake_client)  # unit NY-JCY-KS
    resp = intake_app.test_client().post(
        f"/api/v1/petitions/{created['id']}/reveal", json={"reason": "核实"}, headers=test_keys.headers("case_handler")
    )
    assert resp.status_code == 404
    assert not _PLAIN.search(resp.get_data(as_text=True))
    (entry,) = _audit(intake_app, "pii.reveal")
    assert entry.outcome == "denied" and entry.subject_id == created["id"] and entry.actor == "t-case_handler"


def test_reveal_needs_a_reason(intake_client: FlaskClient) -> None:
    created = _register(intake_client)
    assert intake_client.post(f"/api/v1/petitions/{created['id']}/reveal", json={}).status_code == 422


def test_every_petition_answer_is_masked(intake_client: FlaskClient) -> None:
    """Each endpoint that carries personal data, except the audited reveal, answers masked."""
    created = _register(intake_client)
    answers = {
        "POST /petitions": intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE),
        "GET /petitions": intake_client.get("/api/v1/petitions"),
        "GET /petitions/<id>": intake_client.get(f"/api/v1/petitions/{created['id']}"),
        "POST /petitions/search": intake_client.post("/api/v1/petitions/search", json={"id_number": ID}),
    }
    for name, resp in answers.items():
        assert resp.status_code in (200, 201), name
        body = resp.get_data(as_text=True)
        assert not _PLAIN.search(body), name
        assert "4113**********1236" in body and "138****8000" in body, name


def test_audit_api_is_for_auditors_only(intake_client: FlaskClient, intake_app: Flask, test_keys: AuthKeys) -> None:
    created = _register(intake_client)
    assert intake_client.get("/api/v1/audit/intake").status_code == 403
    auditor = intake_app.test_client()
    resp = auditor.get("/api/v1/audit/intake", query_string={"subject_id": created["id"]}, headers=test_keys.headers("auditor"))
    assert resp.status_code == 200
    assert sorted(e["action"] for e in resp.json) == ["credential.issue", "petition.create"]
    assert not _PLAIN.search(resp.get_data(as_text=True))
    pii = auditor.get("/api/v1/audit/intake", query_string={"action": "pii.*"}, headers=test_keys.headers("auditor")).json
    assert pii == []
    assert auditor.get("/api/v1/audit/intake").status_code == 401  # no token


def test_there_is_no_api_that_changes_audit_rows(intake_app: Flask) -> None:
    methods = {m for rule in intake_app.url_map.iter_rules() if rule.rule.startswith("/api/v1/audit/intake") for m in rule.methods or ()}
    assert methods - {"HEAD", "OPTIONS"} == {"GET"}
