"""分流队列 and 案件页: scoping, order by the nearest due date, urgency, filters and counts, keyset pages."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from services.review.triage.states import STATUSES
from sqlalchemy import event

from shared.web.pages.filters import urgency
from tests.unit.auth.conftest import Clock
from tests.unit.portal import factories
from tests.unit.portal.conftest import MET, PAUSED, assert_page, sign_in, soup, totp
from tests.unit.portal.factories import Made

Row = tuple[str, str, str]  # petition id, urgency class, the due cell's text


@pytest.fixture
def officer(review_app: Flask) -> FlaskClient:
    """demo-triage, 控告申诉检察部 (NY-JCY-KS): sees that unit only."""
    client = review_app.test_client()
    sign_in(client, "demo-triage")
    return client


@pytest.fixture
def task_force(review_app: Flask, clock: Clock) -> FlaskClient:
    """demo-taskforce, 市院专班: sees every unit."""
    client = review_app.test_client()
    sign_in(client, "demo-taskforce", totp=totp("demo-taskforce", clock))
    return client


def _rows(page: BeautifulSoup) -> list[Row]:
    out = []
    for tr in page.select("table tbody tr"):
        link = tr.select_one('td[data-label="案件编号"] a')
        if link is None:
            continue
        due = tr.select_one('td[data-label="最近届满"] .due')
        level = next(c.removeprefix("due--") for c in due["class"] if c.startswith("due--"))
        out.append((link["href"].removeprefix("/cases/"), level, due.get_text(" ", strip=True)))
    return out


def _counts(page: BeautifulSoup) -> dict[str, int]:
    tabs = page.select('nav.tabs[aria-label="按状态"] a')
    return {a["href"].split("status=")[1].split("&")[0]: int(a.select_one(".badge").get_text()) for a in tabs}


def walk(client: FlaskClient, url: str) -> tuple[list[Row], list[BeautifulSoup]]:
    """Every row of the queue from `url` on, following the rel=next links to the last page."""
    rows: list[Row] = []
    pages = []
    next_url: str | None = url
    while next_url is not None:
        page = assert_page(client.get(next_url), case_data=True)
        pages.append(page)
        rows.extend(_rows(page))
        link = page.find("a", attrs={"rel": "next"})
        next_url = str(link["href"]) if link is not None else None
        assert len(pages) < 20, "the pages do not end"
    return rows, pages


def _expected(items: list[Made], keep: Callable[[Made], bool]) -> list[Made]:
    return sorted((m for m in items if keep(m)), key=lambda m: (m.next_due_on or _dt.date.max, m.item_id))


def _level(m: Made, today: _dt.date) -> str:
    return urgency(m.next_due_on, today=today)


# --- the queue ----------------------------------------------------------------------------------

def test_an_officer_sees_only_their_units_nearest_due_first(officer: FlaskClient, queue_items: list[Made],
                                                            today: _dt.date) -> None:
    rows, pages = walk(officer, "/triage")
    expected = _expected(queue_items, lambda m: m.unit_code == "NY-JCY-KS")
    assert len(expected) == 40
    assert [r[0] for r in rows] == [m.petition_id for m in expected]
    assert len(pages) == 1 and "共 40 件，本页 40 件" in pages[0].find("caption").get_text()
    assert _counts(pages[0]) == {s: sum(1 for m in expected if m.status == s) for s in STATUSES}


def test_every_row_once_in_order_across_the_pages(task_force: FlaskClient, queue_items: list[Made],
                                                  today: _dt.date) -> None:
    rows, pages = walk(task_force, "/triage")
    expected = _expected(queue_items, lambda m: True)
    assert len(pages) == 3 and [len(_rows(p)) for p in pages] == [50, 50, 20]
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) == 120
    assert ids == [m.petition_id for m in expected]
    # The paused petitions (no running clock) come last, after every date.
    assert {m.petition_id for m in expected[-len(PAUSED) - len(MET):]} == {
        m.petition_id for m in queue_items if m.next_due_on is None}
    # Page two and three have a way back to the first page; the first does not need one.
    assert pages[0].find("a", string="回到第一页") is None
    assert pages[1].find("a", string="回到第一页")["href"] == "/triage"
    assert pages[2].find("a", attrs={"rel": "next"}) is None and "已是最后一页" in pages[2].get_text()


def test_the_urgency_of_each_row_matches_its_date(task_force: FlaskClient, queue_items: list[Made],
                                                  today: _dt.date) -> None:
    rows, _ = walk(task_force, "/triage")
    by_id = {m.petition_id: m for m in queue_items}
    seen = set()
    for petition_id, level, text in rows:
        m = by_id[petition_id]
        assert level == _level(m, today), (m.case_number, m.next_due_on, level)
        seen.add(level)
        if m.next_due_on is None:
            assert text in ("计时暂停", "无进行中的期限")
            continue
        days = (m.next_due_on - today).days
        words = f"超期 {-days} 天" if days < 0 else "今日到期" if days == 0 else f"剩 {days} 天"
        assert text.endswith(words), text
        assert f"{m.next_due_on.year}年{m.next_due_on.month}月{m.next_due_on.day}日" in text
    assert seen == {"overdue", "today", "soon", "later", "none"}  # the data covers every class
    met = next(m for m in queue_items if m.case_number.endswith(f"-{MET[0]:06d}"))
    assert {r[0]: r[2] for r in rows}[met.petition_id] == "无进行中的期限"


def _matches(m: Made, query: dict[str, str], today: _dt.date) -> bool:
    """What each filter of the queue means, said plainly."""
    due = m.next_due_on
    checks = {
        "status": lambda v: m.status == v,
        "line": lambda v: m.line == v,
        "channel": lambda v: m.channel == v,
        "enterprise": lambda v: m.is_enterprise == (v == "yes"),
        "due_within": lambda v: due is not None and due <= today + _dt.timedelta(days=int(v)),
        "overdue": lambda v: due is not None and due < today,
        "case_number": lambda v: m.case_number.startswith(v),
    }
    return all(checks[k](v) for k, v in query.items())


FILTERS: dict[str, dict[str, str]] = {
    "status": {"status": "pending"},
    "line": {"line": "12368"},
    "channel": {"channel": "访"},
    "not enterprise": {"enterprise": "no"},
    "enterprise": {"enterprise": "yes"},
    "due within 3 days": {"due_within": "3"},
    "due today": {"due_within": "0"},
    "overdue": {"overdue": "1"},
    "case number prefix": {"case_number": "12309-2026-00001"},
    "combined": {"line": "12309", "enterprise": "yes", "overdue": "1", "status": "pending"},
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_filters_narrow_the_rows_and_the_counts(task_force: FlaskClient, queue_items: list[Made],
                                                today: _dt.date, name: str) -> None:
    query = FILTERS[name]
    rows, pages = walk(task_force, "/triage?" + urlencode(query))
    expected = _expected(queue_items, lambda m: _matches(m, query, today))
    assert 0 < len(expected) < 120, "the filter must narrow, and something must be left"
    assert [r[0] for r in rows] == [m.petition_id for m in expected]
    # The tabs count each status under every filter but the status one.
    others = {k: v for k, v in query.items() if k != "status"}
    in_scope = [m for m in queue_items if _matches(m, others, today)]
    assert _counts(pages[0]) == {s: sum(1 for m in in_scope if m.status == s) for s in STATUSES}
    # The form shows the filters applied, and the next pages and the tabs keep them.
    for key, value in query.items():
        field = pages[0].find(attrs={"name": key})
        if field.name == "select":
            assert field.find("option", selected=True)["value"] == value, key
        elif field.get("type") == "checkbox":
            assert field.has_attr("checked"), key
        else:
            assert field.get("value") == value, key
    for page in pages[:-1]:
        assert urlencode(query) in page.find("a", attrs={"rel": "next"})["href"]
    for tab in pages[0].select('nav.tabs[aria-label="按状态"] a'):
        assert all(f"{k}=" in tab["href"] for k in others)


def test_the_officers_filters_stay_inside_the_units(officer: FlaskClient, queue_items: list[Made],
                                                    today: _dt.date) -> None:
    rows, _ = walk(officer, "/triage?line=12368")
    assert rows == []  # the court's petitions exist, but not for this officer
    page = soup(officer.get("/triage?line=12368").data)
    assert "没有符合条件的案件" in page.get_text()
    rows, _ = walk(officer, "/triage?overdue=1")
    assert {r[0] for r in rows} == {m.petition_id for m in queue_items if m.unit_code == "NY-JCY-KS"
                                    and m.next_due_on is not None and m.next_due_on < today}


@pytest.mark.parametrize("after", ["garbage-but-long-enough", "2026-02-30~abcdef", "2026-11-27", "x",
                                   "2026-11-27~" + "a" * 40])
def test_a_forged_cursor_is_a_422_with_a_way_back(task_force: FlaskClient, queue_items: list[Made],
                                                  after: str) -> None:
    page = assert_page(task_force.get("/triage", query_string={"after": after, "line": "12309"}), status=422)
    assert page.find(id="form-errors") is not None
    assert page.find("table") is None  # no rows from a cursor this page did not write
    if len(after) >= 12:
        assert "翻页参数无效" in page.find(id="form-errors").get_text()


def test_a_bad_filter_is_a_422_beside_its_field(task_force: FlaskClient, queue_items: list[Made]) -> None:
    page = assert_page(task_force.get("/triage?status=lost&due_within=-1"), status=422)
    for name in ("status", "due_within"):
        assert page.find(id=name)["aria-invalid"] == "true"
    assert "请从选项中选择" in page.find(id="status-error").get_text()


@contextmanager
def _statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = app.extensions["huhang"].engine

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_page_costs_the_same_queries_whatever_its_size(review_app: Flask, task_force: FlaskClient,
                                                         queue_items: list[Made],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    counts = {}
    for size in (5, 50):
        monkeypatch.setattr("services.review.triage.pages.PAGE_SIZE", size)
        task_force.get("/triage")  # the first request after sign-in refreshes cookies: not measured
        with _statements(review_app) as seen:
            page = soup(task_force.get("/triage").data)
        assert len(_rows(page)) == size
        queue = [s for s in seen if "triage_items" in s]
        assert len(queue) == 1, queue  # one statement: the rows joined to the counts per status
        counts[size] = len(seen)
    assert counts[5] == counts[50]


# --- 案件页 --------------------------------------------------------------------------------------

def _case(queue_items: list[Made], unit: str, *, keep: Callable[[Made], bool] = lambda m: True) -> Made:
    return next(m for m in queue_items if m.unit_code == unit and m.next_due_on is not None and keep(m))


def test_the_case_page_shows_the_deadlines_their_history_and_a_suspension(
        review_app: Flask, officer: FlaskClient, queue_items: list[Made], today: _dt.date) -> None:
    paused = next(m for m in queue_items if m.case_number.endswith(f"{PAUSED[0]:06d}"))
    assert paused.unit_code == "NY-JCY-KS"
    page = assert_page(officer.get(f"/cases/{paused.petition_id}"), case_data=True)
    assert paused.case_number in page.find("h1").get_text()
    deadlines = page.select('section[aria-labelledby="h-deadlines"] article')
    assert len(deadlines) == 2  # 12309: the 7-day and the 3-month reply
    titles = [a.find("h3").get_text(" ", strip=True) for a in deadlines]
    assert any("程序性回复" in t for t in titles) and any("3个月" in t for t in titles)
    periods = [a.find("dt", string="期间").find_next("dd").get_text(strip=True) for a in deadlines]
    assert sorted(periods) == ["3 个月", "7 日"]
    for article in deadlines:
        assert "计时暂停" in article.get_text()
        suspension = article.select("table tbody tr")
        assert len(suspension) == 1
        cells = [td.get_text(strip=True) for td in suspension[0].find_all("td")]
        assert cells[0] == "等待补充材料" and cells[2] == "尚未恢复" and cells[3] == "当事人补充证据材料"
        history = [li.get_text(" ", strip=True) for li in article.select("details li")]
        assert len(history) == 2 and "设定期限" in history[0] and "中止计算" in history[1]
    timeline = [li.get_text(" ", strip=True) for li in page.select('section[aria-labelledby="h-timeline"] li')]
    assert "进入分流队列" in timeline[0] and len(timeline) == 5
    assert sum("中止计算" in t for t in timeline) == 2


def test_the_case_page_shows_an_extension_and_the_original_due_date(
        review_app: Flask, officer: FlaskClient, queue_items: list[Made], today: _dt.date) -> None:
    case = _case(queue_items, "NY-JCY-KS", keep=lambda m: m.next_due_on is not None and m.next_due_on > today)
    factories.extend(review_app.extensions["huhang"].session_factory, case.petition_id, days=5)
    page = assert_page(officer.get(f"/cases/{case.petition_id}"), case_data=True)
    first = page.select('section[aria-labelledby="h-deadlines"] article')[0]
    assert first.find("dt", string="原届满日") is not None
    extension = first.find("h4", string="延长").find_next("li").get_text(" ", strip=True)
    assert extension.startswith("延长 5 日") and "检察长" in extension
    assert "延长期限" in first.find("details").get_text()


def test_the_case_page_includes_intakes_and_notifys_parts(officer: FlaskClient, queue_items: list[Made]) -> None:
    case = _case(queue_items, "NY-JCY-KS")
    page = soup(officer.get(f"/cases/{case.petition_id}").data)
    petition = page.find(attrs={"data-include": f"/petitions/{case.petition_id}/panel"})
    deliveries = page.find(attrs={"data-include": f"/deliveries/panel?subject={case.petition_id}"})
    assert petition is not None and deliveries is not None
    # Without JavaScript, each part is a link to the same information.
    assert petition.find("a")["href"] == f"/petitions/{case.petition_id}"
    assert deliveries.find("a")["href"] == f"/deliveries?subject={case.petition_id}"


def test_another_units_case_is_not_found(officer: FlaskClient, queue_items: list[Made]) -> None:
    other = _case(queue_items, "NY-JCY-WC")
    for path in (f"/cases/{other.petition_id}", "/cases/no-such-petition", "/cases/" + "x" * 40):
        page = assert_page(officer.get(path), status=404)
        assert "未找到该页面或记录" in page.find("h1").get_text()
        assert other.case_number not in page.get_text()


def test_the_leader_sees_both_procuratorate_units(review_app: Flask, queue_items: list[Made]) -> None:
    leader = review_app.test_client()
    sign_in(leader, "demo-leader")
    rows, _ = walk(leader, "/triage")
    assert {m.unit_code for m in queue_items if m.petition_id in {r[0] for r in rows}} == {"NY-JCY-KS", "NY-JCY-WC"}
    assert leader.get(f"/cases/{_case(queue_items, 'NY-FY-SF').petition_id}").status_code == 404


def test_what_people_typed_is_shown_as_text(review_app: Flask, officer: FlaskClient, today: _dt.date) -> None:
    """A petition's summary and names come from the public; a query string from anyone: never markup."""
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    p = factories.petition(number=7, unit_code="NY-JCY-KS", received_on=today, prefix="12309")
    p = type(p)(**{**p.__dict__, "summary": hostile, "enterprise_name": hostile, "petitioner_masked": "<b>张*</b>"})
    factories.add(review_app.extensions["huhang"].session_factory, [p])
    for path in ("/triage", f"/cases/{p.petition_id}", "/", "/triage?case_number=" + hostile[:40]):
        answer = officer.get(path)
        assert answer.status_code in (200, 422), path
        html = answer.data.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>张*</b>" not in html, path
        assert_page(answer, status=answer.status_code)
    assert "&lt;script&gt;" in officer.get(f"/cases/{p.petition_id}").data.decode()


def test_a_case_number_prefix_is_a_prefix_not_a_pattern(task_force: FlaskClient, queue_items: list[Made]) -> None:
    for pattern in ("%", "_", "12309%0001"):
        rows, _ = walk(task_force, "/triage?" + urlencode({"case_number": pattern}))
        assert rows == [], pattern


def test_a_case_number_of_intakes_format_is_shown_and_found_by_its_prefix(review_app: Flask, officer: FlaskClient,
                                                                          today: _dt.date) -> None:
    """Triage keeps the number as text (services/intake/numbering): 代字, 〔〕 and 号 pass through whole."""
    number = f"宛城检12309〔{today.year}〕12号"
    p = factories.petition(number=12, unit_code="NY-JCY-KS", received_on=today)
    p = type(p)(**{**p.__dict__, "case_number": number})
    factories.add(review_app.extensions["huhang"].session_factory, [p, factories.petition(
        number=13, unit_code="NY-JCY-KS", received_on=today)])
    rows, _ = walk(officer, "/triage?" + urlencode({"case_number": f"宛城检12309〔{today.year}〕1"}))
    assert [r[0] for r in rows] == [p.petition_id]
    assert number in officer.get(f"/cases/{p.petition_id}").data.decode()
