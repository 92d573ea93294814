"""The 工单 pages signed in as the demo accounts: the clerk's panel on the case page, the judge's list,
the order page's reply, 转办 and 改派 forms, and refusals shown beside their fields with nothing stored."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.review.work_orders.models import WorkOrder
from shared.outbox import OutboxMessage
from tests.unit.portal import factories
from tests.unit.portal.conftest import assert_page, post_form, sign_in

SEPT_30 = _dt.datetime(2026, 9, 30, 2, 0, tzinfo=_dt.timezone.utc)  # 10:00 in Beijing, the eve of 国庆


@pytest.fixture(autouse=True)
def _eve_of_national_day() -> Iterator[None]:
    with time_machine.travel(SEPT_30, tick=False):
        yield


@pytest.fixture
def contact(review_app: Flask) -> str:
    """A 12368 contact received today at the 诉讼服务中心."""
    [made] = factories.add(review_app.extensions["huhang"].session_factory, [factories.petition(
        number=1, unit_code="NY-FY-SF", line="12368", channel="电", received_on=SEPT_30.date())])
    return made.petition_id


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, username)
    return client


def _orders(app: Flask) -> int:
    with app.extensions["huhang"].session_factory() as s:
        return s.scalar(select(func.count()).select_from(WorkOrder)) or 0


def _outbox(app: Flask) -> int:
    with app.extensions["huhang"].session_factory() as s:
        return s.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def _create(clerk: FlaskClient, petition_id: str, **form: str) -> str:
    answer = post_form(clerk, f"/cases/{petition_id}/work-orders", {
        "kind": "order", "related_case_number": "（2026）豫13民初1234号", "request": "来电人询问开庭时间",
        "to_username": "demo-judge-ms2", **form}, form_on=f"/cases/{petition_id}")
    assert answer.status_code == 303, answer.data.decode()[:3000]
    assert answer.headers["Location"].endswith(f"/cases/{petition_id}")
    return answer.headers["Location"]


def test_the_clerk_creates_the_judge_replies_and_the_case_page_shows_it(review_app: Flask, contact: str) -> None:
    clerk = _client(review_app, "demo-12368")
    case = assert_page(clerk.get(f"/cases/{contact}"), case_data=True)
    panel = case.find("section", id="work-orders")
    assert panel is not None and panel.find("form", action=f"/cases/{contact}/work-orders") is not None
    options = [o["value"] for o in panel.select("select#to_username option") if o["value"]]
    assert "demo-judge-ms2" in options and "demo-leader-ms2" in options
    assert "NY-FY-MS2" in [o["value"] for o in panel.select("select#to_unit_code option")]
    _create(clerk, contact)
    case = assert_page(clerk.get(f"/cases/{contact}"), case_data=True)
    assert "待回复" in case.find("section", id="work-orders").get_text()

    judge = _client(review_app, "demo-judge-ms2")
    listed = assert_page(judge.get("/work-orders"), case_data=True)
    [row] = listed.select("table tbody tr")
    assert "（2026）豫13民初1234号" in row.get_text()
    # Two working days from the eve of 国庆: the second working day after it.
    assert "2026-10-09" in row.get_text() or "10月9日" in row.get_text()
    order_path = row.find("a")["href"]
    detail = assert_page(judge.get(order_path), case_data=True)
    assert detail.find("form", action=f"{order_path}/reply") is not None
    assert detail.find("form", action=f"{order_path}/transfer") is not None
    assert detail.find("form", action=f"{order_path}/reassign") is None  # the head's

    answer = post_form(judge, f"{order_path}/reply", {"reply_text": "开庭定于10月12日上午9时", "delivery": "phone"},
                       form_on=order_path)
    assert answer.status_code == 303 and "done=reply" in answer.headers["Location"]
    shown = assert_page(judge.get(answer.headers["Location"]), case_data=True)
    assert "已回复" in shown.find("h1").get_text() and "电话告知" in shown.get_text()
    assert shown.find("form", action=f"{order_path}/reply") is None
    case = assert_page(clerk.get(f"/cases/{contact}"), case_data=True)
    assert "已回复" in case.find("section", id="work-orders").get_text()
    assert assert_page(judge.get("/work-orders"), case_data=True).select("table tbody tr td")[0].get_text() == "没有工单。"


def test_a_refused_create_is_shown_beside_its_field_and_nothing_is_stored(review_app: Flask, contact: str) -> None:
    clerk = _client(review_app, "demo-12368")
    orders, outbox = _orders(review_app), _outbox(review_app)
    bad_number = post_form(clerk, f"/cases/{contact}/work-orders", {
        "related_case_number": "豫13民初1234", "request": "x", "to_username": "demo-judge-ms2"},
        form_on=f"/cases/{contact}")
    page = assert_page(bad_number, status=422, case_data=True)
    assert page.find("p", id="related_case_number-error") is not None
    no_target = post_form(clerk, f"/cases/{contact}/work-orders", {
        "related_case_number": "（2026）豫13民初1234号", "request": "x"}, form_on=f"/cases/{contact}")
    page = assert_page(no_target, status=422, case_data=True)
    assert "请选择承办法官或承办部门" in page.find("p", id="to_unit_code-error").get_text()
    assert (_orders(review_app), _outbox(review_app)) == (orders, outbox)
    # A judge may not create: the form's endpoint is the clerks'.
    judge = _client(review_app, "demo-judge-ms2")
    refused = post_form(judge, f"/cases/{contact}/work-orders", {"related_case_number": "（2026）豫13民初1234号",
                                                                 "request": "x", "to_username": "demo-judge-ms2"},
                        form_on="/work-orders")
    assert refused.status_code == 403


def test_the_head_reassigns_and_a_reply_twice_is_a_conflict(review_app: Flask, contact: str) -> None:
    clerk = _client(review_app, "demo-12368")
    _create(clerk, contact, to_username="", to_unit_code="NY-FY-MS2")
    head = _client(review_app, "demo-leader-ms2")
    [row] = assert_page(head.get("/work-orders"), case_data=True).select("table tbody tr")  # no judge named: the head's
    order_path = row.find("a")["href"]
    detail = assert_page(head.get(order_path), case_data=True)
    assert detail.find("form", action=f"{order_path}/reassign") is not None
    moved = post_form(head, f"{order_path}/reassign", {"to_username": "demo-judge-ms2", "reasons": "由王法官承办"},
                      form_on=order_path)
    assert moved.status_code == 303
    judge = _client(review_app, "demo-judge-ms2")
    assert len(assert_page(judge.get("/work-orders"), case_data=True).select("table tbody tr a")) == 1
    assert post_form(judge, f"{order_path}/reply", {"reply_text": "已告知", "delivery": "sms"},
                     form_on=order_path).status_code == 303
    again = post_form(head, f"{order_path}/reply", {"reply_text": "再次", "delivery": "sms"}, form_on=order_path)
    assert again.status_code == 409


def test_another_division_does_not_see_the_order(review_app: Flask, contact: str) -> None:
    clerk = _client(review_app, "demo-12368")
    _create(clerk, contact)
    judge = _client(review_app, "demo-judge-ms2")
    order_path = assert_page(judge.get("/work-orders"), case_data=True).select_one("table tbody tr a")["href"]
    # The court-level judge (NY-FY) sees it but answers for no division: no forms.
    court_judge = _client(review_app, "demo-judge")
    detail = assert_page(court_judge.get(order_path), case_data=True)
    assert detail.find("form") is None or detail.find("form", action=f"{order_path}/reply") is None
    refused = post_form(court_judge, f"{order_path}/reply", {"reply_text": "x", "delivery": "sms"}, form_on=order_path)
    assert refused.status_code == 403
    # A procuratorate handler has no 工单 pages at all.
    handler = _client(review_app, "demo-handler")
    assert handler.get(order_path).status_code == 403
