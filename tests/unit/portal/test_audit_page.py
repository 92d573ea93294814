"""审计日志 (/audit/review): filters, dates as Beijing days, keyset pages, auditors only."""

from __future__ import annotations

import datetime as _dt
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from shared.audit.service import record
from tests.unit.portal.conftest import assert_page, sign_in

UTC = _dt.timezone.utc
# Around two Beijing midnights: 2026-11-27 00:00 北京时间 is 2026-11-26 16:00 UTC.
MIDNIGHTS = {
    "11-26 23:59:59": _dt.datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC),
    "11-27 00:00:00": _dt.datetime(2026, 11, 26, 16, 0, 0, tzinfo=UTC),
    "11-27 23:59:59": _dt.datetime(2026, 11, 27, 15, 59, 59, tzinfo=UTC),
    "11-28 00:00:00": _dt.datetime(2026, 11, 27, 16, 0, 0, tzinfo=UTC),
}
SHOWN = {
    "11-26 23:59:59": "2026年11月26日 星期四 23:59:59",
    "11-27 00:00:00": "2026年11月27日 星期五 00:00:00",
    "11-27 23:59:59": "2026年11月27日 星期五 23:59:59",
    "11-28 00:00:00": "2026年11月28日 星期六 00:00:00",
}


@pytest.fixture
def auditor(review_app: Flask) -> FlaskClient:
    client = review_app.test_client()
    sign_in(client, "demo-auditor")
    return client


def _write(app: Flask, monkeypatch: pytest.MonkeyPatch, rows: list[tuple[_dt.datetime, str, str]]) -> None:
    """Audit rows written at the given instants (the audit log's clock is moved, not the rows edited)."""
    with monkeypatch.context() as patch, app.extensions["huhang"].session_factory() as session, session.begin():
        for at, action, outcome in rows:
            patch.setattr("shared.audit.service.utcnow", lambda at=at: at)
            record(session, action=action, outcome=outcome, actor="demo-handler", actor_unit="NY-JCY-WC",
                   subject_type="petition", subject_id="pid-1", client_addr="10.0.0.8")


def _rows(page: BeautifulSoup) -> list[dict[str, str]]:
    out = []
    for tr in page.select("table tbody tr"):
        cells = {td["data-label"]: td.get_text(" ", strip=True) for td in tr.find_all("td") if td.get("data-label")}
        if "编号" in cells:
            out.append(cells)
    return out


def test_the_log_filters_by_action_and_outcome(review_app: Flask, auditor: FlaskClient,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    at = MIDNIGHTS["11-27 00:00:00"]
    _write(review_app, monkeypatch, [(at, "pii.reveal", "success"), (at, "pii.reveal", "denied"),
                                     (at, "petition.create", "success"), (at, "petition.update", "failure")])
    page = assert_page(auditor.get("/audit/review?action=pii.reveal"), case_data=True)
    assert [r["结果"] for r in _rows(page)] == ["拒绝", "成功"]  # newest first
    page = assert_page(auditor.get("/audit/review?action=pii.reveal&outcome=denied"), case_data=True)
    assert [(r["操作"], r["结果"]) for r in _rows(page)] == [("pii.reveal", "拒绝")]
    assert page.find("select", id="outcome").find("option", selected=True)["value"] == "denied"
    prefix = _rows(assert_page(auditor.get("/audit/review?action=petition.*"), case_data=True))
    assert [r["操作"] for r in prefix] == ["petition.update", "petition.create"]
    failures = _rows(assert_page(auditor.get("/audit/review?outcome=failure"), case_data=True))
    assert {r["操作"] for r in failures} == {"petition.update"}
    row = prefix[0]
    assert row["时间"] == "2026年11月27日 星期五 00:00:00" and row["来源地址"] == "10.0.0.8"
    assert row["操作人"] == "demo-handler NY-JCY-WC"


@pytest.mark.parametrize(("query", "expected"), [
    ({"since": "2026-11-27", "until": "2026-11-27"}, ["11-27 23:59:59", "11-27 00:00:00"]),
    ({"since": "2026-11-28"}, ["11-28 00:00:00"]),
    ({"until": "2026-11-26"}, ["11-26 23:59:59"]),
    ({"since": "2026-11-26", "until": "2026-11-28"}, list(reversed(MIDNIGHTS))),
])
def test_dates_are_beijing_days(review_app: Flask, auditor: FlaskClient, monkeypatch: pytest.MonkeyPatch,
                                query: dict[str, str], expected: list[str]) -> None:
    _write(review_app, monkeypatch, [(at, "case.viewed", "success") for at in MIDNIGHTS.values()])
    page = assert_page(auditor.get("/audit/review", query_string={"action": "case.viewed", **query}),
                       case_data=True)
    assert [r["时间"] for r in _rows(page)] == [SHOWN[k] for k in expected]


def test_keyset_pages_walk_the_log_once(review_app: Flask, auditor: FlaskClient,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    start = MIDNIGHTS["11-27 00:00:00"]
    _write(review_app, monkeypatch, [(start + _dt.timedelta(minutes=i), "case.viewed", "success")
                                     for i in range(120)])
    _write(review_app, monkeypatch, [(start, "petition.create", "success")])  # not of the filter
    url: str | None = "/audit/review?action=case.viewed"
    ids: list[int] = []
    pages = []
    while url is not None:
        page = assert_page(auditor.get(url), case_data=True)
        pages.append(page)
        ids.extend(int(r["编号"]) for r in _rows(page))
        link = page.find("a", attrs={"rel": "next"})
        url = str(link["href"]) if link is not None else None
        if url is not None:
            query = parse_qs(urlsplit(url).query)
            assert query["action"] == ["case.viewed"] and int(query["before"][0]) == ids[-1]
    assert [len(_rows(p)) for p in pages] == [50, 50, 20]
    assert len(ids) == len(set(ids)) == 120 and ids == sorted(ids, reverse=True)
    assert pages[0].find("a", string="回到第一页") is None
    assert pages[1].find("a", string="回到第一页")["href"] == "/audit/review?action=case.viewed"


def test_bad_filters_are_a_422_beside_the_field(auditor: FlaskClient) -> None:
    page = assert_page(auditor.get("/audit/review?since=2026-13-01&outcome=maybe&before=0"), status=422)
    for name in ("since", "outcome"):
        assert page.find(id=name)["aria-invalid"] == "true", name
    assert "请输入有效的日期" in page.find(id="since-error").get_text()
    assert _rows(page) == []


def test_only_an_auditor_reads_the_log(review_app: Flask) -> None:
    client = review_app.test_client()
    sign_in(client, "demo-leader")
    assert_page(client.get("/audit/review"), status=403)
    anonymous = review_app.test_client().get("/audit/review")
    assert anonymous.status_code == 303 and anonymous.headers["Location"] == "/signin?next=%2Faudit%2Freview"
