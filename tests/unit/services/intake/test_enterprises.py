"""The enterprise check (企业核验) and the enterprise's view of all its matters (企业查询)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from services.intake.enterprises.schemas import VERIFICATION_EXAMPLE
from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.support.auth import AuthKeys
from tests.unit.services.intake.conftest import audit_rows

CREDIT = VERIFICATION_EXAMPLE["credit_code"]
OTHER_CREDIT = "91411300MA4000000A"  # another enterprise (GB 32100 check character computed)
REP_ID = VERIFICATION_EXAMPLE["representative"]["id_number"]


def _verify(client: FlaskClient, **changes: Any) -> Any:
    return client.post("/api/v1/enterprises/verifications", json={**copy.deepcopy(VERIFICATION_EXAMPLE), **changes})


def _petition(client: FlaskClient, *, line: str = "12309", credit_code: str = CREDIT, name: str = "南阳市宛城区示例机械有限公司") -> dict[str, Any]:
    body = copy.deepcopy(PETITION_EXAMPLE)
    body["enterprise"] = {"name": name, "credit_code": credit_code}
    if line == "12368":
        body.update(line="12368", petition_type="联系法官", related_case_number="（2022）豫13民初1234号")
    resp = client.post("/api/v1/petitions", json=body)
    assert resp.status_code == 201, resp.json
    return dict(resp.json)


def _ask(client: FlaskClient, credit_code: str, code: str) -> Any:
    return client.post("/api/v1/public/enterprise-queries", json={"credit_code": credit_code, "access_code": code},
                       environ_base={"REMOTE_ADDR": "203.0.113.8"})


@pytest.fixture
def court_clerk(intake_app: Flask, test_keys: AuthKeys) -> FlaskClient:
    client = intake_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = test_keys.headers("court_clerk")["Authorization"]
    return client


def test_a_verification_issues_a_ten_character_code_once_and_masks_the_representative(
    intake_app: Flask, intake_client: FlaskClient,
) -> None:
    resp = _verify(intake_client)
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["credit_code"] == CREDIT and body["reissued"] is False
    assert len(body["access_code"].replace("-", "")) == 10
    assert body["representative"] == {"name": "李*", "id_number": "4113**********1237"}
    assert REP_ID not in resp.get_data(as_text=True)
    [row] = audit_rows(intake_app, "enterprise.verify")
    assert row.subject_id == CREDIT and row.actor_unit == "NY-JCY-KS"
    assert REP_ID not in f"{row.after} {row.detail}" and row.after["representative"]["name"] == "李*"
    assert [r.action for r in audit_rows(intake_app, "credential.issue")][-1:] == ["credential.issue"]
    with intake_app.extensions["huhang"].session_factory() as s:  # encrypted at rest
        stored = s.execute(text("SELECT representative_id_number_enc FROM enterprise_verifications")).scalar_one()
        assert REP_ID not in stored


def test_a_second_verification_revokes_the_first_code(intake_app: Flask, intake_client: FlaskClient) -> None:
    first = _verify(intake_client).json["access_code"]
    second = _verify(intake_client, reason="遗失原企业查询码").json
    assert second["reissued"] is True and second["access_code"] != first
    assert _ask(intake_client, CREDIT, first).status_code == 404
    assert _ask(intake_client, CREDIT, second["access_code"]).status_code == 200
    [reissue] = [r for r in audit_rows(intake_app, "credential.reissue") if r.subject_type == "enterprise"]
    assert reissue.detail["reason"] == "遗失原企业查询码"


@pytest.mark.parametrize(("change", "field"), [
    ({"credit_code": "91411302MA44TFGN0X"}, "credit_code"),
    ({"representative": {"name": "李四", "id_number": "411302198505051230"}}, "representative"),
    ({"checks": ["licence_original", "licence_matches"]}, "checks"),
    ({"licence": {"number": "x", "issued_on": "2999-01-01"}}, "licence"),
    ({"reason": ""}, "reason"),
    ({"extra": "x"}, "extra"),
])
def test_an_incomplete_or_invalid_check_is_422_and_issues_nothing(
    intake_app: Flask, intake_client: FlaskClient, change: dict[str, Any], field: str,
) -> None:
    resp = _verify(intake_client, **change)
    assert resp.status_code == 422 and field in resp.json["errors"], resp.json
    assert audit_rows(intake_app, "enterprise.verify") == [] and audit_rows(intake_app, "credential.issue") == []


@pytest.mark.parametrize("role", ["judge", "triage_officer", "case_handler", "task_force", "auditor"])
def test_only_the_desks_verify(intake_app: Flask, test_keys: AuthKeys, role: str) -> None:
    client = intake_app.test_client()
    assert client.post("/api/v1/enterprises/verifications", json=VERIFICATION_EXAMPLE,
                       headers=test_keys.headers(role)).status_code == 403
    assert client.post("/api/v1/enterprises/verifications", json=VERIFICATION_EXAMPLE).status_code == 401


def test_the_enterprise_sees_its_matters_on_both_lines_and_no_one_elses(
    intake_app: Flask, intake_client: FlaskClient, court_clerk: FlaskClient,
) -> None:
    procuratorate = _petition(intake_client)
    court = _petition(court_clerk, line="12368")
    _petition(intake_client, credit_code=OTHER_CREDIT, name="南阳市另一家有限公司")
    code = _verify(intake_client).json["access_code"]
    resp = _ask(intake_app.test_client(), CREDIT.lower(), code.lower())  # typed loosely
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert body["enterprise_name"] == "南阳市宛城区示例机械有限公司" and body["credit_code"] == CREDIT
    assert sorted(m["case_number"] for m in body["matters"]) == sorted([procuratorate["case_number"],
                                                                        court["case_number"]])
    assert {m["line"] for m in body["matters"]} == {"12309", "12368"}
    court_steps = next(m for m in body["matters"] if m["line"] == "12368")["steps"]
    assert [s["name"] for s in court_steps] == ["受理", "分流", "承办单位", "工单回复", "答复/办结", "评价"]
    assert "南阳市另一家有限公司" not in resp.get_data(as_text=True)
    [row] = audit_rows(intake_app, "public.enterprise_query")
    assert (row.outcome, row.detail["credit_code"]) == ("success", CREDIT)


def test_a_wrong_access_code_and_an_unverified_enterprise_answer_the_same_404(
    intake_app: Flask, intake_client: FlaskClient,
) -> None:
    _verify(intake_client)
    wrong = _ask(intake_client, CREDIT, "ZZZZZZZZZZ")
    unknown = _ask(intake_client, OTHER_CREDIT, "ZZZZZZZZZZ")
    assert wrong.status_code == unknown.status_code == 404 and wrong.json == unknown.json
    assert wrong.json["code"] == "enterprise_query.not_found"
    assert [r.detail["reason"] for r in audit_rows(intake_app, "public.enterprise_query")] == ["wrong_code", "unknown_case"]


def test_five_wrong_access_codes_lock_the_credit_code(intake_app: Flask, intake_client: FlaskClient) -> None:
    code = _verify(intake_client).json["access_code"]
    for n in range(5):
        intake_client.post("/api/v1/public/enterprise-queries", json={"credit_code": CREDIT, "access_code": "ZZZZZZZZZZ"},
                           environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
    locked = _ask(intake_client, CREDIT, code)
    assert locked.status_code == 429 and locked.json["code"] == "status_query.locked"
    # The lock is the credit code's: a petition's status query is not affected.
    assert "Retry-After" in locked.headers


def test_a_malformed_credit_code_is_422(intake_client: FlaskClient) -> None:
    resp = _ask(intake_client, "123", "ZZZZZZZZZZ")
    assert resp.status_code == 422 and "credit_code" in resp.json["errors"]


def test_the_enterprise_view_includes_the_flagged_court_cases_it_is_a_party_to(
    intake_app: Flask, intake_client: FlaskClient, test_keys: AuthKeys,
) -> None:
    from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE

    flagged = intake_app.test_client().post("/api/v1/court-cases", json=COURT_CASE_EXAMPLE,
                                            headers=test_keys.headers("judge"))
    assert flagged.status_code == 201, flagged.json
    petition = _petition(intake_client)
    code = _verify(intake_client).json["access_code"]
    body = _ask(intake_app.test_client(), CREDIT, code).json
    assert [(m["kind"], m["case_number"]) for m in body["matters"]] == sorted(
        [("petition", petition["case_number"]), ("court_case", "（2022）豫13民初1234号")],
        key=lambda kc: next(m["received_on"] for m in body["matters"] if m["case_number"] == kc[1]))
    court = next(m for m in body["matters"] if m["kind"] == "court_case")
    assert court["party"] == "南阳市宛城区示例机械有限公司" and "李四" not in str(body)
