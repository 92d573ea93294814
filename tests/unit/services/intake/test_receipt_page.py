"""/petitions/<id>/receipt: the printable 受理回执 — what it says, who may print it, and that each showing is audited."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.intake import config
from services.intake.petitions import service
from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.unit.portal.conftest import assert_no_inline_code, post_form, soup
from tests.unit.services.intake.conftest import ID, PHONE, Browser, audit_rows

WEEKDAY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 星期[一二三四五六日] \d{2}:\d{2}")


def _facts(html: Any) -> dict[str, str]:
    dl = html.find("article", class_="receipt").find("dl")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in dl.find_all("dt")}


def test_the_receipt_of_a_12309_petition(intake_app: Flask, browser: Browser, registered: dict[str, Any]) -> None:
    page = browser("intake_clerk").get(f"/petitions/{registered['id']}/receipt")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    html = soup(page.data)
    facts = _facts(html)
    assert facts["案件编号"] == registered["case_number"]
    assert facts["服务线路"] == "12309 检察服务"
    assert facts["反映方式"] == "网上"
    assert WEEKDAY.search(facts["收到时间"]) and "北京时间" in facts["收到时间"]
    assert facts["受理单位"].startswith("南阳市人民检察院控告申诉检察部")
    assert facts["来信来访人"].startswith("张*")
    assert "张三" not in text and ID not in text and PHONE not in text
    commitments = [li.get_text() for li in html.find("ol", class_="commitments").find_all("li")]
    assert any("7日内告知受理情况" in c for c in commitments)
    assert any("3个月内答复办理过程或结果" in c for c in commitments)
    # A reprint: the code exists only as a hash, so the receipt says where it went and how to replace it.
    assert html.find(class_="query-code") is None and registered["query_code"] not in text
    assert "补打的回执不再显示查询码" in text and "重新签发" in text
    assert "http://localhost/public/status" in text
    button = html.find("button", attrs={"data-print": True})
    assert button is not None and button.has_attr("hidden") and button["type"] == "button"
    assert_no_inline_code(text)


def test_the_receipt_of_a_12368_contact_promises_the_courts_reply(browser: Browser, test_keys: Any,
                                                                   intake_app: Flask) -> None:
    court = intake_app.test_client()
    body = copy.deepcopy(PETITION_EXAMPLE) | {"line": "12368", "petition_type": "联系法官", "channel": "电",
                                            "related_case_number": "（2022）豫13民初1234号"}
    created = court.post("/api/v1/petitions", json=body, headers=test_keys.headers("court_clerk")).json
    html = soup(browser("court_clerk").get(f"/petitions/{created['id']}/receipt").data)
    assert _facts(html)["受理单位"].startswith("南阳市中级人民法院诉讼服务中心")
    commitments = " ".join(li.get_text() for li in html.find("ol", class_="commitments").find_all("li"))
    assert "当场答复" in commitments and "2个工作日内回复" in commitments
    assert "7日" not in commitments


def test_the_commitments_follow_the_settings_review_counts_by(monkeypatch: pytest.MonkeyPatch, browser: Browser,
                                                              registered: dict[str, Any], intake_app: Flask) -> None:
    monkeypatch.setenv("HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT", "working_day")
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings()
    html = soup(browser("intake_clerk").get(f"/petitions/{registered['id']}/receipt").data)
    assert "7个工作日内告知受理情况" in html.find("ol", class_="commitments").get_text()


def test_the_public_address_is_a_setting(browser: Browser, registered: dict[str, Any], intake_app: Flask) -> None:
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings(public_url="https://12309.example.cn/")
    text = browser("intake_clerk").get(f"/petitions/{registered['id']}/receipt").get_data(as_text=True)
    assert "https://12309.example.cn/public/status" in text


def test_every_showing_is_audited_without_the_code(intake_app: Flask, browser: Browser, registered: dict[str, Any]) -> None:
    clerk = browser("intake_clerk")
    clerk.get(f"/petitions/{registered['id']}/receipt")
    clerk.get(f"/petitions/{registered['id']}/receipt")  # a reprint
    rows = audit_rows(intake_app, "petition.receipt")
    assert [(r.outcome, r.subject_id, r.actor) for r in rows] == [("success", registered["id"], "t-intake_clerk")] * 2
    code = registered["query_code"].replace("-", "")
    for row in audit_rows(intake_app, "petition.receipt") + audit_rows(intake_app, "petition.create"):
        assert code not in str(row.detail) + str(row.after) + str(row.before)


@pytest.mark.parametrize("role", ["triage_officer", "case_handler", "unit_leader", "task_force", "auditor", "admin"])
def test_only_the_registering_roles_print_receipts(browser: Browser, registered: dict[str, Any], role: str) -> None:
    page = browser(role, "NY-JCY").get(f"/petitions/{registered['id']}/receipt")
    assert page.status_code == 403 and "无权查看此页" in page.get_data(as_text=True)
    assert registered["query_code"] not in page.get_data(as_text=True)


def test_a_clerk_of_another_unit_gets_404(browser: Browser, registered: dict[str, Any]) -> None:
    for role, unit in [("court_clerk", "NY-FY-SF"), ("intake_clerk", "NY-JCY-WC")]:
        page = browser(role, unit).get(f"/petitions/{registered['id']}/receipt")
        assert page.status_code == 404 and registered["query_code"] not in page.get_data(as_text=True)


def test_an_unknown_petition_is_the_404_page(browser: Browser) -> None:
    assert browser("intake_clerk").get("/petitions/no-such-id/receipt").status_code == 404
    assert browser("intake_clerk").get("/petitions/" + "x" * 80 + "/receipt").status_code == 404


def test_the_registering_roles_are_the_apis(intake_app: Flask) -> None:
    from shared.auth.access import rule_of

    api = rule_of(intake_app, "petitions.Petitions", "POST")
    page = rule_of(intake_app, "petitions_pages.receipt_page", "GET")
    assert api is not None and page is not None and api.roles == page.roles == frozenset(service.REGISTER_ROLES)


def test_reading_the_petition_through_the_api_never_gives_the_code(intake_client: FlaskClient, registered: dict[str, Any]) -> None:
    assert registered["query_code"] not in intake_client.get(f"/api/v1/petitions/{registered['id']}").get_data(as_text=True)


def test_reissuing_from_the_receipt_prints_a_new_code_and_the_old_one_stops(
        intake_app: Flask, browser: Browser, registered: dict[str, Any]) -> None:
    from services.intake.credentials import service as credentials

    clerk = browser("intake_clerk")
    refused = post_form(clerk, f"/petitions/{registered['id']}/query-code", {"reason": ""},
                        form_on=f"/petitions/{registered['id']}/receipt")
    assert refused.status_code == 422 and "签发原因" in refused.get_data(as_text=True)
    page = post_form(clerk, f"/petitions/{registered['id']}/query-code", {"reason": "信访人遗失受理回执"},
                     form_on=f"/petitions/{registered['id']}/receipt")
    assert page.status_code == 201 and page.headers["Cache-Control"] == "no-store"
    new_code = soup(page.data).find(class_="query-code").get_text()
    assert new_code != registered["query_code"]
    with intake_app.extensions["huhang"].session_factory() as session:
        opened = {code: credentials.check(session, kind="petition", lookup_key=registered["case_number"], entered=code)
                  for code in (registered["query_code"], new_code)}
    assert opened == {registered["query_code"]: None, new_code: registered["id"]}
    rows = audit_rows(intake_app, "credential.reissue")
    assert [(r.subject_id, r.detail["reason"]) for r in rows] == [(registered["id"], "信访人遗失受理回执")]
