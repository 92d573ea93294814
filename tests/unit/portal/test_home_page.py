"""首页 by role: the 期限 due today and overdue of the officer's units, the locks for the administrator,
the audit logs for the auditor, and no case data for either of those two (三员分立)."""

from __future__ import annotations

import datetime as _dt

import pytest
from flask import Flask
from sqlalchemy import select

from services.review.deadlines.models import OPEN, Deadline
from tests.unit.auth.conftest import Clock
from tests.unit.portal.conftest import assert_page, post_form, sign_in, soup, totp
from tests.unit.portal.factories import Made


def _open_deadlines(app: Flask, unit: str) -> list[Deadline]:
    with app.extensions["huhang"].session_factory() as session:
        rows = list(session.scalars(select(Deadline).where(Deadline.status == OPEN, Deadline.unit_code == unit)))
        session.expunge_all()
        return rows


def _stat(page, heading_id: str) -> int:  # type: ignore[no-untyped-def]
    return int(page.find(id=heading_id).find_parent("section").select_one(".stat").get_text())


def _case_numbers(made: list[Made]) -> set[str]:
    return {m.case_number for m in made}


def test_an_officer_sees_todays_and_overdue_deadlines_of_their_units(
        review_app: Flask, queue_items: list[Made], today: _dt.date) -> None:
    client = review_app.test_client()
    sign_in(client, "demo-triage")
    page = assert_page(client.get("/"), case_data=True)
    deadlines = [d for d in _open_deadlines(review_app, "NY-JCY-KS") if d.due_on is not None]
    due_today = [d for d in deadlines if d.due_on == today]
    overdue = sorted((d for d in deadlines if d.due_on < today), key=lambda d: (d.due_on, d.id))
    assert due_today and len(overdue) > 10  # the data has both, and more overdue than one list shows
    assert _stat(page, "h-today") == len(due_today)
    assert _stat(page, "h-overdue") == len(overdue)
    assert _stat(page, "h-triage") == sum(1 for m in queue_items if m.unit_code == "NY-JCY-KS"
                                          and m.status == "pending")
    assert "2026年11月27日 星期五" in page.find("p", class_="muted").get_text()
    tables = page.select("table")
    assert len(tables) == 2
    today_rows = tables[0].select("tbody tr")
    assert {tr.find("a")["href"].removeprefix("/cases/") for tr in today_rows} == {d.subject for d in due_today}
    assert all(tr.select_one(".due--today") for tr in today_rows)
    overdue_rows = tables[1].select("tbody tr")
    assert len(overdue_rows) == 10  # the earliest ten
    assert [tr.find("a")["href"].removeprefix("/cases/") for tr in overdue_rows] == [d.subject for d in overdue[:10]]
    assert all(tr.select_one(".due--overdue") for tr in overdue_rows)
    # Nothing of another unit.
    others = _case_numbers([m for m in queue_items if m.unit_code != "NY-JCY-KS"])
    assert not [n for n in others if n in page.get_text()]


def test_an_officer_with_nothing_due_sees_zeros(review_app: Flask, today: _dt.date) -> None:
    client = review_app.test_client()
    sign_in(client, "demo-triage")
    page = soup(client.get("/").data)
    assert _stat(page, "h-today") == _stat(page, "h-overdue") == _stat(page, "h-triage") == 0
    assert page.select("table") == []


@pytest.fixture
def locked_judge(review_app: Flask) -> None:
    stranger = review_app.test_client()
    for _ in range(5):
        post_form(stranger, "/signin", {"username": "demo-judge", "password": "Wrong!2026password"})


def test_the_administrator_sees_the_locked_accounts_and_no_case(
        review_app: Flask, queue_items: list[Made], locked_judge: None, clock: Clock) -> None:
    client = review_app.test_client()
    sign_in(client, "demo-admin", totp=totp("demo-admin", clock))
    page = assert_page(client.get("/"), case_data=True)
    locked = page.find(id="h-locked").find_parent("section").select("li")
    assert [li.get_text().split("（")[0] for li in locked] == ["demo-judge"]
    assert "锁定至 2026年11月27日 星期五 10:15" in locked[0].get_text()  # 02:15 UTC, in Beijing time
    links = {a["href"] for a in page.select('section[aria-labelledby="h-links"] a')}
    assert links == {"/admin/accounts", "/admin/units"}
    _assert_no_case_data(page, queue_items)
    # Once the lock has run out, the list says so.
    clock.advance(minutes=16)
    after = soup(client.get("/").data)
    assert "当前没有被锁定的账户" in after.find(id="h-locked").find_parent("section").get_text()


def test_the_auditor_sees_the_audit_logs_and_no_case(review_app: Flask, queue_items: list[Made],
                                                     locked_judge: None) -> None:
    client = review_app.test_client()
    sign_in(client, "demo-auditor")
    page = assert_page(client.get("/"), case_data=True)
    links = {a["href"] for a in page.select('section[aria-labelledby="h-links"] a')}
    assert links == {"/audit/intake", "/audit/review", "/audit/notify"}
    assert page.find(id="h-locked") is None
    _assert_no_case_data(page, queue_items)


def _assert_no_case_data(page, queue_items: list[Made]) -> None:  # type: ignore[no-untyped-def]
    for heading in ("h-today", "h-overdue", "h-triage"):
        assert page.find(id=heading) is None, heading
    assert not page.select('a[href^="/cases/"]') and not page.select('a[href^="/triage"]')
    assert page.select("table") == []
    text = page.get_text()
    assert not [n for n in _case_numbers(queue_items) if n in text]
