"""Petitions belong to the registering clerk's unit; the line must be the unit's; reads are scoped."""

from __future__ import annotations

import copy

from flask import Flask
from sqlalchemy import select

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys

COURT = {**copy.deepcopy(PETITION_EXAMPLE), "line": "12368", "petition_type": "联系法官",
         "related_case_number": "（2022）豫13民初1234号"}


def test_a_12368_contact_belongs_to_the_court_service_centre(intake_app: Flask, test_keys: AuthKeys) -> None:
    client = intake_app.test_client()
    resp = client.post("/api/v1/petitions", json=COURT, headers=test_keys.headers("court_clerk"))
    assert resp.status_code == 201, resp.json
    with intake_app.extensions["huhang"].session_factory() as session:
        event = decode(session.scalars(select(OutboxMessage)).one().payload)
    assert event.data["unit_code"] == "NY-FY-SF" and event.actor == "t-court_clerk"


def test_a_unit_registers_only_its_own_line(intake_app: Flask, test_keys: AuthKeys) -> None:
    client = intake_app.test_client()
    wrong = client.post("/api/v1/petitions", json=COURT, headers=test_keys.headers("intake_clerk"))
    assert wrong.status_code == 403 and wrong.json["code"] == "line_not_served_by_unit"
    also_wrong = client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=test_keys.headers("court_clerk"))
    assert also_wrong.status_code == 403


def test_reads_are_scoped_by_unit_and_another_units_record_is_404(intake_app: Flask, test_keys: AuthKeys) -> None:
    client = intake_app.test_client()
    ks = client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=test_keys.headers("intake_clerk")).json
    court = client.post("/api/v1/petitions", json=COURT, headers=test_keys.headers("court_clerk")).json
    clerk, judge, leader = (test_keys.headers(r) for r in ("intake_clerk", "judge", "unit_leader"))
    assert [p["id"] for p in client.get("/api/v1/petitions", headers=clerk).json] == [ks["id"]]
    assert [p["id"] for p in client.get("/api/v1/petitions", headers=judge).json] == [court["id"]]
    assert [p["id"] for p in client.get("/api/v1/petitions", headers=leader).json] == [ks["id"]]  # 市院 and below
    assert client.get(f"/api/v1/petitions/{court['id']}", headers=clerk).status_code == 404
    missing = client.get("/api/v1/petitions/00000000-0000-4000-8000-000000000000", headers=clerk)
    assert client.get(f"/api/v1/petitions/{court['id']}", headers=clerk).json == missing.json
    task_force = {p["id"] for p in client.get("/api/v1/petitions", headers=test_keys.headers("task_force")).json}
    assert task_force == {ks["id"], court["id"]}
    # A handler at 宛城区院 sees neither: both were received at the 市 level.
    assert client.get("/api/v1/petitions", headers=test_keys.headers("case_handler")).json == []
