"""The 分流 forms: the triage panel on 案件页 and the queue's bulk form, as a browser posts them."""

from __future__ import annotations

import datetime as _dt

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.unit.portal.conftest import assert_page, audit_rows, post_form, sign_in
from tests.unit.portal.factories import Made


@pytest.fixture
def officer(review_app: Flask) -> FlaskClient:
    client = review_app.test_client()
    sign_in(client, "demo-triage")
    return client


def _pending(items: list[Made], n: int) -> list[Made]:
    return [m for m in items if m.unit_code == "NY-JCY-KS" and m.status == "pending"][:n]


def test_classify_then_assign_from_the_case_page(officer: FlaskClient, queue_items: list[Made],
                                                 today: _dt.date, review_app: Flask) -> None:
    (m,) = _pending(queue_items, 1)
    case = f"/cases/{m.petition_id}"
    page = assert_page(officer.get(case), case_data=True)
    assert page.select_one("#triage form[aria-label='分类']") is not None
    answer = post_form(officer, f"{case}/triage/classify", {"is_enterprise": "true", "enterprise_reason": "企业账户冻结",
                                                             "category": "举报"}, form_on=case)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("done=classify")
    # 交办 without a target: the page again, 422, the field's message beside it, nothing stored.
    before = len(audit_rows(review_app, "triage.route"))
    refused = post_form(officer, f"{case}/triage/route", {"route": "assigned", "days": "10"}, form_on=case)
    page = assert_page(refused, status=422, case_data=True)
    assert "此项必填" in page.select_one("#triage").get_text()
    refused = post_form(officer, f"{case}/triage/route", {"route": "assigned", "to_unit_code": "NY-FY-WC"},
                        form_on=case)
    assert refused.status_code == 422 and "不是本单位可以交办" in refused.data.decode()
    assert len(audit_rows(review_app, "triage.route")) == before
    done = post_form(officer, f"{case}/triage/route", {"route": "assigned", "to_unit_code": "NY-JCY-WC", "days": "10",
                                                        "override_reason": "属地办理"}, form_on=case)
    assert done.status_code == 303
    page = assert_page(officer.get(case + "?done=route"), case_data=True)
    assert page.select_one("h1 .badge").get_text() == "已交办"
    assert "交办 → 宛城区人民检察院" in page.select_one("#triage-history").get_text()
    # Routed: the route form is gone; a second post is 409 and says so.
    assert page.select_one("#triage form[aria-label='分流去向']") is None
    again = post_form(officer, f"{case}/triage/route", {"route": "here", "override_reason": "再次"}, form_on=case)
    assert again.status_code == 409 and "当前状态不允许" in again.data.decode()


def test_the_bulk_form_reports_each_item(officer: FlaskClient, queue_items: list[Made], today: _dt.date) -> None:
    first, second = _pending(queue_items, 2)
    other = next(m for m in queue_items if m.unit_code == "NY-JCY-WC")
    answer = officer.post("/triage/bulk", data={
        "csrf_token": assert_page(officer.get("/triage"), case_data=True).find(
            "input", attrs={"name": "csrf_token"})["value"],
        "action": "route", "route": "here", "override_reason": "集中办理",
        "petition_ids": [first.petition_id, second.petition_id, other.petition_id]},
        headers={"Origin": "http://localhost"})
    page = assert_page(answer, case_data=True)
    result = page.select_one("#bulk-result").get_text()
    assert "成功 2 件，未办理 1 件" in result
    assert "未找到该事项" in page.select_one(f"#bulk-result li[data-petition='{other.petition_id}']").get_text()


def test_only_triage_officers_see_the_forms(review_app: Flask, queue_items: list[Made], today: _dt.date) -> None:
    leader = review_app.test_client()
    sign_in(leader, "demo-leader")
    (m,) = _pending(queue_items, 1)
    page = assert_page(leader.get(f"/cases/{m.petition_id}"), case_data=True)
    assert page.select_one("#triage") is not None and page.select_one("#triage form") is None
    queue = assert_page(leader.get("/triage"), case_data=True)
    assert queue.select_one("#bulk-form") is None and not queue.select("input[name='petition_ids']")
