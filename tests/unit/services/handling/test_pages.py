"""The handling panel on the case page, its forms, and 我的案件 (/handling), as a signed-in browser uses them."""

from __future__ import annotations

import datetime as _dt

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from tests.support.documents import read_pdf
from tests.unit.auth.conftest import Clock
from tests.unit.portal.conftest import assert_page, post_form, sign_in, totp
from tests.unit.services.handling.conftest import deadlines, events, route_item

REPLY = {"kind": "final", "text": "经审查，冻结已依法解除。", "outcome": "resolved", "delivery": "in_person",
         "replied_on": "2026-11-27", "legal_basis": "《人民检察院办理群众来信工作规定》（2019年）"}


def _on_case(app: Flask, sessions: sessionmaker[Session], today: _dt.date,
             username: str = "demo-handler") -> tuple[FlaskClient, str, str]:
    """A browser signed in as ``username`` and an item 交办 to 宛城区院 today: (browser, petition id, case page)."""
    pid = route_item(sessions, received_on=_dt.date(2026, 11, 23), routed_on=today)
    browser = app.test_client()
    sign_in(browser, username)
    return browser, pid, f"/cases/{pid}"


def test_the_handler_accepts_and_replies_from_the_case_page(
        review_app: Flask, sessions: sessionmaker[Session], today: _dt.date) -> None:
    browser, pid, case = _on_case(review_app, sessions, today)
    page = assert_page(browser.get(case), case_data=True)
    panel = page.find(id="handling")
    assert panel is not None and "审查办理" in panel.get_text()
    assert panel.find("form", attrs={"action": f"{case}/handling/accept"}) is not None
    assert panel.find("form", attrs={"action": f"{case}/handling/replies"}) is None  # not before 受理
    accepted = post_form(browser, f"{case}/handling/accept", form_on=case)
    assert (accepted.status_code, accepted.headers["Location"]) == (303, f"{case}#handling")
    page = assert_page(browser.get(case), case_data=True)
    form = page.find("form", attrs={"action": f"{case}/handling/replies"})
    assert form is not None and form.find("button").get_text() == "答复并生成答复书"
    assert page.find(id="h-replies-legal_basis")["value"].startswith("《人民检察院办理群众来信工作规定》")
    assert page.find("button", string="我来承办") is not None
    replied = post_form(browser, f"{case}/handling/replies", REPLY, form_on=case)
    assert replied.status_code == 303, replied.data.decode()[:1500]
    page = assert_page(browser.get(case), case_data=True)
    panel = page.find(id="handling")
    assert "已答复" in panel.get_text() and "宛检信复〔2026〕1号" in panel.get_text()
    link = panel.find("a", href=lambda h: bool(h) and h.endswith("/document.pdf"))
    pdf = browser.get(link["href"])
    assert pdf.mimetype == "application/pdf" and "冻结已依法解除" in read_pdf(pdf.data).flat
    docx = browser.get(link["href"].replace(".pdf", ".docx"))
    assert docx.status_code == 200 and docx.data.startswith(b"PK")
    assert [m.event_type for m in events(sessions)] == ["handling.accepted", "handling.replied"]


def test_form_errors_show_the_form_again_with_what_was_typed(
        review_app: Flask, sessions: sessionmaker[Session], today: _dt.date) -> None:
    browser, pid, case = _on_case(review_app, sessions, today)
    answer = post_form(browser, f"{case}/handling/return", {"reasons": ""}, form_on=case)
    page = assert_page(answer, status=422, case_data=True)
    assert "此项必填" in page.find(id="form-errors").get_text()
    post_form(browser, f"{case}/handling/accept", form_on=case)
    answer = post_form(browser, f"{case}/handling/replies", {**REPLY, "replied_on": "2026-12-01"}, form_on=case)
    page = assert_page(answer, status=422, case_data=True)
    assert "日期不能晚于今天" in page.get_text()
    assert page.find(id="h-replies-text").get_text() == REPLY["text"]  # nothing typed is lost
    assert page.find(id="h-replies-replied_on")["aria-invalid"] == "true"
    assert [m.event_type for m in events(sessions)] == ["handling.accepted"]
    assert deadlines(sessions, pid)["12309.result_reply"].status == "open"


def test_a_supervising_leader_sees_the_panel_without_forms_and_is_refused(
        review_app: Flask, sessions: sessionmaker[Session], today: _dt.date) -> None:
    browser, pid, case = _on_case(review_app, sessions, today, "demo-leader")  # 市院负责人: above 宛城区院
    page = assert_page(browser.get(case), case_data=True)
    panel = page.find(id="handling")
    assert "不能代为受理" in panel.get_text() and panel.find("form") is None
    refused = post_form(browser, f"{case}/handling/accept", form_on=case)
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert events(sessions) == []


def test_my_cases_lists_the_units_items_with_state_and_due_date(
        review_app: Flask, sessions: sessionmaker[Session], today: _dt.date, clock: Clock) -> None:
    pid = route_item(sessions, received_on=_dt.date(2026, 11, 23), routed_on=today)
    elsewhere = route_item(sessions, received_on=_dt.date(2026, 11, 23), routed_on=today, unit="NY-JCY-WL")
    browser = review_app.test_client()
    sign_in(browser, "demo-handler")
    page = assert_page(browser.get("/handling"), case_data=True)
    assert page.find("a", href="/handling") is not None  # the NavItem
    rows = page.select("table tbody tr")
    [row] = rows
    assert row.select_one('td[data-label="案件编号"] a')["href"] == f"/cases/{pid}"
    assert row.select_one('td[data-label="状态"]').get_text() == "已交办"
    assert "11月30日" in row.select_one('td[data-label="最近届满"]').get_text() or \
        "2026-11-30" in row.select_one('td[data-label="最近届满"]').get_text()
    assert elsewhere not in str(page)
    officer = review_app.test_client()
    sign_in(officer, "demo-taskforce", totp=totp("demo-taskforce", clock))
    assert officer.get("/handling").status_code == 403


def test_the_handling_unit_sees_the_reply_clocks_it_answers_against(
        review_app: Flask, sessions: sessionmaker[Session], today: _dt.date) -> None:
    """The 12309 clocks are the receiving unit's (控申); the 宛城区院 handler answering the 交办 sees them too."""
    browser, pid, case = _on_case(review_app, sessions, today)
    text = assert_page(browser.get(case), case_data=True).get_text()
    for title in ("程序性回复", "办理过程或结果答复", "承办单位受理或退回"):
        assert title in text, title
    other = review_app.test_client()
    sign_in(other, "demo-judge")  # a unit that sees neither the item nor its clocks
    assert other.get(case).status_code == 404
