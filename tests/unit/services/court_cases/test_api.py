"""Flagging through the API: who may, what is stored, masked, audited and queued, 查询码 per enterprise party."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from services.intake.court_cases.models import CourtCase
from services.intake.court_cases.timeline import public_timeline
from services.intake.credentials import codes
from services.intake.credentials import service as credentials
from shared.audit import AuditEntry
from shared.events import decode
from shared.outbox.models import OutboxMessage
from tests.unit.services.court_cases.conftest import ENTERPRISE_CODE, PERSON_ID, Client, case_body, party

ENTERPRISE = {"role": "第三人", "kind": "enterprise", "name": "南阳示例贸易有限公司", "credit_code": ENTERPRISE_CODE}


def _rows(app: Flask, model: Any) -> list[Any]:
    with app.extensions["huhang"].session_factory() as session:
        return list(session.scalars(select(model)))


def _events(app: Flask, event_type: str) -> list[Any]:
    with app.extensions["huhang"].session_factory() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.event_type == event_type)
                               .order_by(OutboxMessage.id))
        return [decode(r.payload) for r in rows]


def _audit(app: Flask, action: str) -> list[AuditEntry]:
    with app.extensions["huhang"].session_factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


# -- the flag -----------------------------------------------------------------------------------

def test_a_flag_answers_masked_with_a_code_per_enterprise_party(flagged: dict[str, Any]) -> None:
    person, enterprise = flagged["parties"]
    assert flagged["case_number"] == "（2022）豫13民初" + flagged["case_number"].split("民初")[1]
    assert (flagged["court_code"], flagged["type_code"], flagged["case_type"]) == ("豫13", "民初", "商事")
    assert flagged["unit_code"] == "NY-FY" and flagged["status"] == "flagged"
    assert person["name"] == "李*" and person["id_number"] == "4113**********1236"
    assert person["query_code"] is None
    assert enterprise["name"] == "南阳市宛城区示例机械有限公司" and enterprise["credit_code"] == ENTERPRISE_CODE
    assert len(codes.normalise(enterprise["query_code"])) == codes.LENGTH


def test_the_code_opens_the_enterprise_party_and_is_never_shown_again(
    intake_app: Flask, judge: FlaskClient, flagged: dict[str, Any]
) -> None:
    code = flagged["parties"][1]["query_code"]
    with intake_app.extensions["huhang"].session_factory() as session:
        assert credentials.check(session, kind="court_party", lookup_key=flagged["case_number"],
                                 entered=codes.normalise(code)) == party(flagged, "enterprise")
    shown = judge.get(f"/api/v1/court-cases/{flagged['id']}").get_data(as_text=True)
    listed = judge.get("/api/v1/court-cases").get_data(as_text=True)
    assert code not in shown and code not in listed and "query_code" not in shown


def test_the_id_number_is_encrypted_at_rest_and_masked_everywhere(intake_app: Flask, flagged: dict[str, Any]) -> None:
    with intake_app.extensions["huhang"].engine.connect() as conn:
        stored = conn.execute(text("SELECT id_number_enc, id_number_bidx FROM court_case_parties WHERE kind='natural'")).one()
    assert stored.id_number_enc and PERSON_ID not in stored.id_number_enc and stored.id_number_bidx
    audit = _audit(intake_app, "court_case.flag")
    assert len(audit) == 1 and audit[0].subject_id == flagged["id"]
    assert PERSON_ID not in json.dumps(audit[0].after, ensure_ascii=False)
    assert audit[0].after["parties"][0]["id_number"] == "4113**********1236"
    assert audit[0].after["parties"][0]["name"] == "李*"


def test_the_flag_is_an_event_without_personal_numbers(intake_app: Flask, flagged: dict[str, Any]) -> None:
    [event] = _events(intake_app, "court_case.flagged")
    assert event.subject == flagged["id"] and event.source == "intake" and event.actor == "t-judge"
    data = event.data
    assert (data["case_number"], data["unit_code"], data["case_type"]) == (flagged["case_number"], "NY-FY", "商事")
    assert data["enterprise_credit_codes"] == [ENTERPRISE_CODE]
    assert [p["name"] for p in data["parties"]] == ["李*", "南阳市宛城区示例机械有限公司"]
    assert PERSON_ID not in json.dumps(data) and "**********" not in json.dumps(data)
    assert all("id_number" not in p for p in data["parties"])


def test_every_step_is_an_event_and_an_audit_row(intake_app: Flask, judge: FlaskClient, flagged: dict[str, Any]) -> None:
    base = f"/api/v1/court-cases/{flagged['id']}"
    assert judge.post(f"{base}/green-channel", json={"granted": True}).status_code == 201
    application = judge.post(f"{base}/fee-relief-applications", json={
        "party_id": party(flagged, "enterprise"), "kind": "缓交", "situation_code": "47.4", "proof": "财务报表",
        "stage": "起诉"}).json
    assert judge.post(f"{base}/fee-relief-applications/{application['id']}/decision", json={"granted": True}).status_code == 200
    assert judge.post(f"{base}/filing", json={}).status_code == 200
    for event_type, action in (("court_case.green_channel_decided", "court_case.green_channel"),
                               ("court_case.fee_relief_applied", "court_case.fee_relief_apply"),
                               ("court_case.fee_relief_decided", "court_case.fee_relief_decide"),
                               ("court_case.filed", "court_case.file")):
        [event] = _events(intake_app, event_type)
        assert event.subject == flagged["id"] and event.data["unit_code"] == "NY-FY", event_type
        assert len(_audit(intake_app, action)) == 1, action
    decided = _events(intake_app, "court_case.fee_relief_decided")[0].data
    assert decided["applicant"]["credit_code"] == ENTERPRISE_CODE and decided["article"] == "47"
    assert decided["granted"] is True and decided["state_in_judgment"] is False
    filed = _events(intake_app, "court_case.filed")[0].data
    assert filed["green_channel_met"] is True and filed["green_channel_due_on"] is not None


# -- refusals store nothing --------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "code"), [
    ({"case_number": "（2022）豫13民初0012号"}, "case_number.serial"),
    ({"case_number": "2022豫13民初12号"}, "case_number.format"),
    ({"case_type": "执行"}, "court_case.case_type_mismatch"),
    ({"parties": [{"role": "原告", "kind": "natural", "name": "李四"}]}, "court_case.no_enterprise_party"),
    ({"parties": [dict(ENTERPRISE, role="被告")] * 5}, "court_case.too_many_enterprise_parties"),
])
def test_a_refused_flag_stores_nothing(intake_app: Flask, judge: FlaskClient, changes: dict[str, Any], code: str) -> None:
    resp = judge.post("/api/v1/court-cases", json=case_body(**changes))
    assert resp.status_code == 422, resp.json
    assert resp.json["code"] == code and resp.json["message"]["zh"] and resp.json["message"]["en"]
    assert _rows(intake_app, CourtCase) == [] and _events(intake_app, "court_case.flagged") == []


@pytest.mark.parametrize(("party_in", "field", "fragment"), [
    ({"role": "被告", "kind": "enterprise", "name": "某公司"}, "credit_code", "credit code"),
    ({"role": "被告", "kind": "enterprise", "name": "某公司", "credit_code": "91411302MA44TFGN0X"}, "credit_code",
     "credit_code.check_character"),
    ({"role": "原告", "kind": "natural", "name": "李四", "id_number": "411302199001011235"}, "id_number",
     "id_number.check_character"),
    ({"role": "原告", "kind": "natural", "name": "李四", "credit_code": ENTERPRISE_CODE}, "credit_code", "enterprise"),
    ({"role": "法官", "kind": "natural", "name": "李四"}, "role", ""),
])
def test_a_bad_party_fails_validation_on_its_field(judge: FlaskClient, party_in: dict[str, Any], field: str,
                                                   fragment: str) -> None:
    resp = judge.post("/api/v1/court-cases", json=case_body(parties=[ENTERPRISE, party_in]))
    assert resp.status_code == 422 and resp.json["code"] == "validation_failed"
    messages = resp.json["errors"]["parties"]["1"][field]
    assert any(fragment in m for m in messages), messages


def test_a_case_number_is_flagged_once_however_it_is_written(judge: FlaskClient, flagged: dict[str, Any],
                                                             client_of: Client) -> None:
    ascii_form = flagged["case_number"].replace("（", "(").replace("）", ")")
    resp = judge.post("/api/v1/court-cases", json=case_body(case_number=ascii_form))
    assert resp.status_code == 409 and resp.json["code"] == "court_case.already_flagged"
    assert resp.json["errors"]["court_case_id"] == flagged["id"]
    # A court that cannot see the first flag learns that the number is flagged, not the case's id.
    other = client_of("judge", "NY-FY-WC").post("/api/v1/court-cases", json=case_body(case_number=ascii_form))
    assert other.status_code == 409 and "court_case_id" not in other.json["errors"]


# -- who may ------------------------------------------------------------------------------------

def test_a_procuratorate_unit_may_not_flag(intake_app: Flask, client_of: Client) -> None:
    resp = client_of("judge", "NY-JCY-KS").post("/api/v1/court-cases", json=case_body())
    assert resp.status_code == 403 and resp.json["code"] == "court_case.not_a_court_unit"
    assert _rows(intake_app, CourtCase) == []


@pytest.mark.parametrize("role", ["intake_clerk", "case_handler", "unit_leader", "task_force", "auditor", "admin"])
def test_other_roles_may_not_flag(client_of: Client, role: str) -> None:
    assert client_of(role).post("/api/v1/court-cases", json=case_body()).status_code == 403


def test_reads_are_scoped_to_the_courts_units(client_of: Client) -> None:
    clerk = client_of("court_clerk")  # NY-FY-SF, 中院's 诉讼服务中心
    case = clerk.post("/api/v1/court-cases", json=case_body()).json
    assert case["unit_code"] == "NY-FY-SF"
    for role, unit, sees in (("judge", None, True), ("task_force", None, True), ("judge", "NY-FY-WC", False),
                             ("court_clerk", None, True)):
        client = client_of(role, unit)
        listed = {c["id"] for c in client.get("/api/v1/court-cases").json}
        assert (case["id"] in listed) is sees, (role, unit)
        assert client.get(f"/api/v1/court-cases/{case['id']}").status_code == (200 if sees else 404)
    assert client_of("judge", "NY-FY-WC").post(f"/api/v1/court-cases/{case['id']}/filing", json={}).status_code == 404
    assert client_of("intake_clerk").get("/api/v1/court-cases").status_code == 403


def test_the_list_filters(judge: FlaskClient, flagged: dict[str, Any]) -> None:
    civil = judge.post("/api/v1/court-cases", json=case_body(case_type="民事")).json
    assert {c["id"] for c in judge.get("/api/v1/court-cases?case_type=民事").json} == {civil["id"]}
    judge.post(f"/api/v1/court-cases/{civil['id']}/filing", json={})
    assert {c["id"] for c in judge.get("/api/v1/court-cases?status=flagged").json} == {flagged["id"]}


# -- re-issuing a 查询码 -------------------------------------------------------------------------

def test_a_reissued_code_replaces_the_old_one_and_is_audited(intake_app: Flask, judge: FlaskClient,
                                                            flagged: dict[str, Any]) -> None:
    enterprise = party(flagged, "enterprise")
    old = codes.normalise(flagged["parties"][1]["query_code"])
    resp = judge.post(f"/api/v1/court-cases/{flagged['id']}/parties/{enterprise}/query-code",
                      json={"reason": "企业遗失查询码"})
    assert resp.status_code == 201, resp.json
    new = codes.normalise(resp.json["query_code"])
    assert new != old and resp.json["party_id"] == enterprise
    with intake_app.extensions["huhang"].session_factory() as session:
        key = flagged["case_number"]
        assert credentials.check(session, kind="court_party", lookup_key=key, entered=new) == enterprise
        assert credentials.check(session, kind="court_party", lookup_key=key, entered=old) is None
    [row] = _audit(intake_app, "credential.reissue")
    assert row.subject_type == "court_case" and row.detail["reason"] == "企业遗失查询码"
    assert new not in json.dumps(row.detail)


def test_codes_are_for_enterprise_parties_of_visible_cases(judge: FlaskClient, flagged: dict[str, Any],
                                                           client_of: Client) -> None:
    base = f"/api/v1/court-cases/{flagged['id']}/parties"
    person = judge.post(f"{base}/{party(flagged, 'natural')}/query-code", json={"reason": "遗失"})
    assert person.status_code == 422 and person.json["code"] == "court_case.party_not_enterprise"
    stranger = client_of("judge", "NY-FY-WC").post(f"{base}/{party(flagged, 'enterprise')}/query-code",
                                                    json={"reason": "遗失"})
    assert stranger.status_code == 404
    assert judge.post(f"{base}/00000000-0000-4000-8000-000000000000/query-code", json={"reason": "遗失"}).status_code == 404


def test_four_enterprise_parties_each_get_a_code(intake_app: Flask, judge: FlaskClient) -> None:
    parties = [dict(ENTERPRISE, role="被告", name=f"企业{i}") for i in range(4)]
    resp = judge.post("/api/v1/court-cases", json=case_body(parties=parties))
    assert resp.status_code == 201, resp.json
    assert len({p["query_code"] for p in resp.json["parties"]}) == 4
    with intake_app.extensions["huhang"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "credential.issue")) == 4


# -- the public timeline ------------------------------------------------------------------------

def test_the_public_timeline_shows_the_steps_and_only_the_partys_own_relief(
    intake_app: Flask, judge: FlaskClient, flagged: dict[str, Any]
) -> None:
    base = f"/api/v1/court-cases/{flagged['id']}"
    enterprise, person = party(flagged, "enterprise"), party(flagged, "natural")
    judge.post(f"{base}/green-channel", json={"granted": True})
    mine = judge.post(f"{base}/fee-relief-applications", json={
        "party_id": enterprise, "kind": "减交", "situation_code": "46.4", "proof": "报表", "stage": "起诉"}).json
    judge.post(f"{base}/fee-relief-applications", json={
        "party_id": person, "kind": "免交", "situation_code": "45.3", "proof": "低保证", "stage": "起诉"})
    with intake_app.extensions["huhang"].session_factory() as session:
        before = public_timeline(session, flagged["id"], party_id=enterprise)
    assert [s.label for s in before] == ["涉企案件标记", "立案绿色通道：准予适用", "诉讼费减交申请", "立案"]
    filing = before[-1]
    assert filing.date is None and filing.due_on is not None and filing.met is None
    judge.post(f"{base}/fee-relief-applications/{mine['id']}/decision", json={"granted": True, "granted_percent": 40})
    judge.post(f"{base}/filing", json={})
    with intake_app.extensions["huhang"].session_factory() as session:
        after = public_timeline(session, flagged["id"], party_id=enterprise)
        anonymous = public_timeline(session, flagged["id"])
        assert public_timeline(session, "00000000-0000-4000-8000-000000000000") == []
    assert "诉讼费减交：准予（减交40%）" in [s.label for s in after]
    assert after[-1].label == "立案" and after[-1].date is not None and after[-1].met is True
    assert not any("免交" in s.label for s in after)  # another party's relief is not shown
    assert not any("诉讼费" in s.label for s in anonymous)
