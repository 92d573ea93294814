"""网上信访 (issue 9 point 2): POST /api/v1/public/petitions and the public form, without an account."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from services.intake import config
from services.intake.credentials import service as credentials
from services.intake.online.schemas import PUBLIC_PETITION_EXAMPLE
from services.intake.petitions.models import Petition
from shared.audit import AuditEntry
from shared.outbox import OutboxMessage
from tests.unit.portal.conftest import SAME_ORIGIN, assert_no_inline_code, csrf_of, soup

URL = "/api/v1/public/petitions"


def _count(app: Flask, model: Any = Petition) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(PUBLIC_PETITION_EXAMPLE)
    body.update(changes)
    return body


def test_anyone_may_petition_online_and_gets_the_case_number_and_code(intake_app: Flask) -> None:
    client = intake_app.test_client()  # no token, no cookie
    resp = client.post(URL, json=_body(), environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert resp.status_code == 201, resp.json
    answer = resp.json
    assert set(answer) == {"case_number", "query_code", "line", "received_at", "receiving_unit", "commitments", "status_url"}
    assert answer["case_number"].startswith("宛检12309〔") and answer["status_url"].endswith("/public/status")
    assert answer["receiving_unit"].startswith("南阳市人民检察院控告申诉检察部")
    with intake_app.extensions["huhang"].session_factory() as session:
        petition = session.scalars(select(Petition)).one()
        assert (petition.channel, petition.unit_code, petition.registered_by) == ("网", "NY-JCY-KS", "anonymous")
        assert credentials.check(session, kind="petition", lookup_key=answer["case_number"],
                                 entered=answer["query_code"]) == petition.id
        (audit,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.create")).all()
        assert audit.client_addr == "203.0.113.7"
    assert _count(intake_app, OutboxMessage) == 1  # petition.received: review opens its triage item


def test_the_petitioner_may_address_a_county_organ(intake_app: Flask) -> None:
    resp = intake_app.test_client().post(URL, json=_body(unit_code="NY-JCY-WC"))
    assert resp.status_code == 201 and resp.json["case_number"].startswith("宛城检12309")
    wrong = intake_app.test_client().post(URL, json=_body(unit_code="NY-FY-WC"))  # a court, on 12309
    assert {p["field"]: p["code"] for p in wrong.json["problems"]} == {"unit_code": "unit_code.not_a_receiver"}
    department = intake_app.test_client().post(URL, json=_body(unit_code="NY-JCY-XS"))
    assert department.status_code == 422


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"channel": "访"}, "channel", "unknown_field"),
    ({"received_at": "2026-01-01T09:00:00+08:00"}, "received_at", "unknown_field"),
    ({"visit": {"visitor_count": 3}}, "visit", "unknown_field"),
    ({"petitioner": {"name": "张三", "phone": "13800138000"}}, "petitioner.id_number", "required"),
    ({"petitioner": {"name": "张三", "id_number": "411302199001011236"}}, "petitioner.phone", "required"),
    ({"claim": "x" * 2001}, "claim", "length"),
    ({"subject": "短"}, "subject", "length"),
    ({"petition_type": "民事申诉"}, "related_case_number", "required.contested_decision"),
    ({"related_case_number": "豫13民初1234号"}, "related_case_number", "related_case.format"),
])
def test_the_stricter_schema_refuses_with_field_and_code(intake_app: Flask, change: dict[str, Any], field: str,
                                                          code: str) -> None:
    body = _body()
    if "petitioner" in change:
        body["petitioner"] = change.pop("petitioner") | {"kind": "enterprise_representative", "relation": "法定代表人"}
    body.update(change)
    resp = intake_app.test_client().post(URL, json=body)
    assert resp.status_code == 422
    assert {p["field"]: p["code"] for p in resp.json["problems"]}.get(field) == code, resp.json["problems"]
    assert _count(intake_app) == 0


def test_a_body_over_the_cap_is_413_and_nothing_is_stored(intake_app: Flask) -> None:
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings(online_petition_max_bytes=2048)
    resp = intake_app.test_client().post(URL, json=_body(facts="事" * 1500))
    assert resp.status_code == 413 and resp.json["code"] == "payload_too_large"
    assert _count(intake_app) == 0


def test_an_address_sends_at_most_its_window_and_the_refusal_is_audited(intake_app: Flask) -> None:
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings(online_petition_limit=2)
    client = intake_app.test_client()
    here, there = {"REMOTE_ADDR": "198.51.100.1"}, {"REMOTE_ADDR": "198.51.100.2"}
    assert [client.post(URL, json=_body(), environ_base=here).status_code for _ in range(2)] == [201, 201]
    refused = client.post(URL, json=_body(), environ_base=here)
    assert refused.status_code == 429 and refused.json["code"] == "too_many_online_petitions"
    assert int(refused.headers["Retry-After"]) > 0
    assert client.post(URL, json=_body(), environ_base=there).status_code == 201  # another address
    assert _count(intake_app) == 3
    with intake_app.extensions["huhang"].session_factory() as session:
        denied = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "denied")).all()
    assert [(d.action, d.client_addr) for d in denied] == [("petition.create", "198.51.100.1")]


def test_the_status_query_window_is_not_spent_by_petitions(intake_app: Flask) -> None:
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings(
        online_petition_limit=3, status_query_limit=1)
    client = intake_app.test_client()
    assert all(client.post(URL, json=_body()).status_code == 201 for _ in range(2))
    from services.intake.public import throttle
    with intake_app.extensions["huhang"].session_factory() as session:
        from shared.db.base import utcnow
        decision = throttle.take(session, client_addr="127.0.0.1", window=throttle.Window(1, 900), now=utcnow())
    assert decision.allowed


def test_the_public_form_registers_and_shows_the_code_once(intake_app: Flask) -> None:
    client = intake_app.test_client()
    page = client.get("/public/petitions/new")
    assert page.status_code == 200 and "网上信访" in page.get_data(as_text=True)
    assert_no_inline_code(page.get_data(as_text=True))
    form = {
        "csrf_token": csrf_of(client, "/public/petitions/new"), "line": "12368", "unit_code": "NY-FY-WL",
        "petition_type": "联系法官", "petitioner.kind": "enterprise_representative", "petitioner.relation": "委托代理人",
        "petitioner.name": "赵明", "petitioner.id_number": "411302199001011236", "petitioner.phone": "13912345678",
        "is_enterprise": "yes", "enterprise.name": "南阳示例纺织有限公司", "enterprise.credit_code": "91350100M000100Y43",
        "subject": "了解执行案件进度", "related_case_number": "（2022）豫1303执123号", "claim": "请求联系承办法官了解执行进度",
    }
    answer = client.post("/public/petitions/new", data=form, headers=SAME_ORIGIN)
    assert answer.status_code == 201 and answer.headers["Cache-Control"] == "no-store"
    html = soup(answer.data)
    case_number = html.find(class_="case-number").get_text()
    code = html.find(class_="query-code").get_text()
    assert case_number.startswith("卧龙法12368") or "12368" in case_number
    with intake_app.extensions["huhang"].session_factory() as session:
        assert credentials.check(session, kind="petition", lookup_key=case_number, entered=code) is not None
        petition = session.scalars(select(Petition)).one()
        assert (petition.line, petition.unit_code, petition.channel) == ("12368", "NY-FY-WL", "网")


def test_the_public_form_shows_each_refusal_beside_its_field(intake_app: Flask) -> None:
    client = intake_app.test_client()
    form = {"csrf_token": csrf_of(client, "/public/petitions/new"), "line": "12309", "petition_type": "控告",
            "petitioner.name": "张三", "petitioner.id_number": "411302199001011237", "petitioner.phone": "12345",
            "subject": "企业账户被冻结", "claim": "请求解除冻结"}
    answer = client.post("/public/petitions/new", data=form, headers=SAME_ORIGIN)
    assert answer.status_code == 422
    html = soup(answer.data)
    assert "校验位不符" in html.find(id="petitioner.id_number-error").get_text()
    assert html.find(id="petitioner.phone-error") is not None
    assert _count(intake_app) == 0
    # With the numbers right, the record's own rules speak: 控告 states its facts.
    fixed = form | {"csrf_token": csrf_of(client, "/public/petitions/new"), "petitioner.id_number": "411302199001011236",
                    "petitioner.phone": "13800138000"}
    again = client.post("/public/petitions/new", data=fixed, headers=SAME_ORIGIN)
    assert again.status_code == 422 and "须写明" in soup(again.data).find(id="facts-error").get_text()
    assert soup(again.data).find(id="petitioner.name")["value"] == "张三"  # what was typed is kept
    without_csrf = client.post("/public/petitions/new", data={k: v for k, v in form.items() if k != "csrf_token"},
                               headers=SAME_ORIGIN)
    assert without_csrf.status_code == 400
