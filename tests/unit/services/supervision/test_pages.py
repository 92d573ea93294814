"""The 督办 pages: the case page's panel with its forms by role, the list, one 督办, form problems."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.unit.portal.conftest import assert_page, post_form, sign_in, today  # noqa: F401
from tests.unit.services.supervision.conftest import MakeItem


@pytest.fixture
def leader(review_app: Flask) -> FlaskClient:
    """demo-leader: 市院 unit_leader (NY-JCY)."""
    client = review_app.test_client()
    sign_in(client, "demo-leader")
    return client


@pytest.fixture
def handler(review_app: Flask) -> FlaskClient:
    """demo-handler: 宛城区院 case_handler (NY-JCY-WC)."""
    client = review_app.test_client()
    sign_in(client, "demo-handler")
    return client


def _panel(client: FlaskClient, petition_id: str):  # type: ignore[no-untyped-def]
    page = assert_page(client.get(f"/cases/{petition_id}"), case_data=True)
    return page.select_one("section#supervision")


def test_the_loop_through_the_pages(leader: FlaskClient, handler: FlaskClient, app_item: MakeItem,
                                    today: object) -> None:
    petition_id = app_item()
    panel = _panel(leader, petition_id)
    assert panel is not None and panel.select_one('form[aria-label="挂牌督办"]') is not None
    assert _panel(handler, petition_id) is None  # nothing to show, nothing the handler may do
    answer = post_form(leader, f"/cases/{petition_id}/supervision",
                       {"amount": "5", "unit": "working_day", "instructions": "请于5个工作日内报告",
                        "next": f"/cases/{petition_id}"}, form_on=f"/cases/{petition_id}")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/cases/{petition_id}")
    panel = _panel(handler, petition_id)
    assert "督办中" in panel.get_text() and "请于5个工作日内报告" in panel.get_text()
    report = panel.select_one('form[aria-label="报告办理情况"]')
    assert report is not None and panel.select_one('form[aria-label="审核通过"]') is None
    answer = post_form(handler, report["action"], {"text": "已约谈企业，账户已解冻", "next": f"/cases/{petition_id}"},
                       form_on=f"/cases/{petition_id}")
    assert answer.status_code == 303
    panel = _panel(leader, petition_id)
    assert panel.select_one('form[aria-label="报告办理情况"]') is None
    accept = panel.select_one('form[aria-label="审核通过"]')
    assert post_form(leader, accept["action"], {"next": f"/cases/{petition_id}"},
                     form_on=f"/cases/{petition_id}").status_code == 303
    listed = assert_page(leader.get("/supervision?state=closed"), case_data=True)
    rows = listed.select("table tbody tr")
    assert len(rows) == 1 and "已办结" in rows[0].get_text() and "宛城区人民检察院" in rows[0].get_text()
    assert "按期报告" in rows[0].get_text()
    link = rows[0].select_one('td[data-label="督办"] a')
    assert link is not None
    detail = assert_page(leader.get(str(link["href"])), case_data=True)
    assert "审核通过" in detail.get_text() and "已约谈企业" in detail.get_text()


def test_form_problems_are_shown_and_nothing_is_stored(leader: FlaskClient, app_item: MakeItem,
                                                       today: object) -> None:
    petition_id = app_item()
    answer = post_form(leader, f"/cases/{petition_id}/supervision", {"amount": "0", "instructions": ""},
                       form_on=f"/cases/{petition_id}")
    page = assert_page(answer, status=422, case_data=True)
    assert page.select_one("#form-errors") is not None and page.select_one("#open-amount-error") is not None
    assert assert_page(leader.get("/supervision"), case_data=True).select("table tbody tr")[0].get_text(
        strip=True) == "没有符合条件的督办。"


def test_a_refusal_is_the_error_page(handler: FlaskClient, leader: FlaskClient, app_item: MakeItem,
                                     today: object) -> None:
    petition_id = app_item()
    post_form(leader, f"/cases/{petition_id}/supervision", {"amount": "5", "instructions": "请报告"},
              form_on=f"/cases/{petition_id}")
    # The handler is no supervisor: the role check refuses before any rule.
    assert post_form(handler, f"/cases/{petition_id}/supervision", {"amount": "5", "instructions": "x"},
                     form_on="/supervision").status_code == 403


def test_the_list_page_and_its_filters(leader: FlaskClient, app_item: MakeItem, today: object) -> None:
    for _ in range(3):
        petition_id = app_item()
        post_form(leader, f"/cases/{petition_id}/supervision", {"amount": "5", "instructions": "请报告"},
                  form_on=f"/cases/{petition_id}")
    page = assert_page(leader.get("/supervision"), case_data=True)
    assert len(page.select("table tbody tr")) == 3
    assert len(assert_page(leader.get("/supervision?overdue=1"), case_data=True).select(
        'table tbody tr td[data-label="案件编号"]')) == 0
    assert assert_page(leader.get("/supervision?state=bogus"), status=422).select_one("#state-error") is not None
    nav = [a.get_text(strip=True) for a in page.select("nav a")]
    assert "督办" in nav
