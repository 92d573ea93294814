"""The delivery log pages: who may read them (the API's rule), filters, counts, keyset paging, the
attempt log in Beijing time, unit scoping, and the petition's panel fragment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from shared.audit.models import AuditEntry
from shared.auth.principal import CASE_ROLES
from tests.support.pages import has_layout, soup
from tests.unit.services.notify.conftest import Browser
from tests.unit.services.notify.factories import BASE, add_attempt, add_delivery

BrowserOf = Callable[..., Browser]
NOT_CASE_ROLES = ("auditor", "admin")


def titles(page: BeautifulSoup) -> list[str]:
    return [a.get_text(strip=True) for a in page.select('td[data-label="通知"] a')]


def cell(page: BeautifulSoup, label: str) -> list[str]:
    return [td.get_text(" ", strip=True) for td in page.select(f'td[data-label="{label}"]')]


@pytest.fixture
def log(notify_db: sessionmaker[Session]) -> dict[str, str]:
    """A small delivery log of 控申 and one delivery of the court (NY-FY-SF); ids by name."""
    with notify_db() as s, s.begin():
        sent = add_delivery(s, title="已送达", subject="pid-a", created_at=BASE)
        add_attempt(s, sent, started_at=BASE + timedelta(seconds=5), finished_at=BASE + timedelta(seconds=6))
        failed = add_delivery(s, title="失败", subject="pid-a", status="failed", attempts=2,
                              last_error="TransientSendError('网关拒收 13812345678')", created_at=BASE + timedelta(hours=1))
        add_attempt(s, failed, outcome="retry", error="timeout", retry_at=BASE + timedelta(hours=1, minutes=1))
        add_attempt(s, failed, attempt_no=2, outcome="failed", error="TransientSendError('网关拒收 13812345678')")
        pending = add_delivery(s, title="待发送", subject="pid-b", status="pending", attempts=0,
                               next_attempt_at=BASE + timedelta(days=1), created_at=BASE + timedelta(days=1))
        court = add_delivery(s, title="中院", subject="pid-c", unit_code="NY-FY-SF", created_at=BASE + timedelta(days=2))
        return {"sent": sent.id, "failed": failed.id, "pending": pending.id, "court": court.id}


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize("path", ["/deliveries", "/deliveries/{sent}", "/deliveries/panel?subject=pid-a"])
def test_the_case_roles_may_read_the_pages(browser: BrowserOf, log: dict[str, str], role: str, path: str) -> None:
    response = browser(role, "NY-JCY").get(path.format(**log))  # a unit that sees 控申
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    soup(response)  # no inline script or style


@pytest.mark.parametrize("role", NOT_CASE_ROLES)
@pytest.mark.parametrize("path", ["/deliveries", "/deliveries/{sent}"])
def test_other_roles_get_a_403_page_and_an_audit_row(browser: BrowserOf, notify_db: sessionmaker[Session],
                                                     log: dict[str, str], role: str, path: str) -> None:
    response = browser(role).get(path.format(**log))
    assert response.status_code == 403
    page = soup(response)
    assert has_layout(page) and "无权查看此页" in page.h1.get_text()  # type: ignore[union-attr]
    with notify_db() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "authz.denied")) == 1


@pytest.mark.parametrize("path", ["/deliveries?status=failed", "/deliveries/{sent}"])
def test_signed_out_goes_to_sign_in_with_the_page_to_come_back_to(browser: BrowserOf, log: dict[str, str],
                                                                   path: str) -> None:
    path = path.format(**log)
    response = browser(None).get(path)
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == "/signin" and parse_qs(target.query)["next"] == [path]


def test_the_list_newest_first_with_status_in_words_attempts_and_the_last_error_masked(
        browser: BrowserOf, log: dict[str, str]) -> None:
    page = soup(browser("triage_officer").get("/deliveries"))
    assert titles(page) == ["待发送", "失败", "已送达"]  # not the court's
    assert cell(page, "状态") == ["待发送", "发送失败", "已发送"]
    assert cell(page, "渠道") == ["站内信"] * 3
    assert cell(page, "接收方") == ["本单位分流员"] * 3
    assert cell(page, "尝试次数") == ["0", "2", "1"]
    assert cell(page, "最近错误")[1] == "TransientSendError('网关拒收 138****5678')"
    assert cell(page, "时间")[2] == "2027年1月4日 星期一 09:00"
    assert page.select_one(f'a[href="/deliveries/{log["failed"]}"]') is not None
    assert page.select_one('td[data-label="信访件"] a[href="/cases/pid-a"]') is not None


def test_counts_per_status_under_the_other_filters(browser: BrowserOf, log: dict[str, str]) -> None:
    def counts(path: str) -> dict[str, str]:
        page = soup(browser("triage_officer").get(path))
        return {li.select_one(".badge").get_text(strip=True): li.select_one(".stat").get_text(strip=True)  # type: ignore[union-attr]
                for li in page.select(".delivery-counts li")}

    assert counts("/deliveries") == {"待发送": "1", "已发送": "1", "发送失败": "1"}
    # The status filter narrows the list, not the counts (they are what to filter by).
    assert counts("/deliveries?status=failed") == {"待发送": "1", "已发送": "1", "发送失败": "1"}
    assert counts("/deliveries?subject=pid-a") == {"待发送": "0", "已发送": "1", "发送失败": "1"}


@pytest.mark.parametrize(("query", "expected"), [
    ("status=failed", ["失败"]),
    ("status=pending", ["待发送"]),
    ("channel=staff_inbox", ["待发送", "失败", "已送达"]),
    ("subject=pid-a", ["失败", "已送达"]),
    ("subject=pid-c", []),  # the court's petition: not visible, not merely filtered
    ("since=2027-01-05", ["待发送"]),
    ("until=2027-01-04", ["失败", "已送达"]),
    ("since=2027-01-04&until=2027-01-04&status=sent", ["已送达"]),
])
def test_filters(browser: BrowserOf, log: dict[str, str], query: str, expected: list[str]) -> None:
    response = browser("triage_officer").get(f"/deliveries?{query}")
    assert response.status_code == 200
    assert titles(soup(response)) == expected


def test_days_are_beijing_days(browser: BrowserOf, notify_db: sessionmaker[Session]) -> None:
    with notify_db() as s, s.begin():
        add_delivery(s, title="北京 1月4日 23:59", created_at=datetime(2027, 1, 4, 15, 59, tzinfo=timezone.utc))
        add_delivery(s, title="北京 1月5日 00:00", created_at=datetime(2027, 1, 4, 16, 0, tzinfo=timezone.utc))
    me = browser("triage_officer")
    assert titles(soup(me.get("/deliveries?since=2027-01-04&until=2027-01-04"))) == ["北京 1月4日 23:59"]
    assert titles(soup(me.get("/deliveries?since=2027-01-05"))) == ["北京 1月5日 00:00"]


@pytest.mark.parametrize("query", ["status=delivered", "channel=fax", "since=2027-13-01", "since=2027-01-05&until=2027-01-04",
                                   "after=garbage"])
def test_a_bad_filter_is_a_form_error_beside_the_field(browser: BrowserOf, log: dict[str, str], query: str) -> None:
    response = browser("triage_officer").get(f"/deliveries?{query}")
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#form-errors") is not None
    assert titles(page) == []


def test_pages_of_fifty_by_key_keep_the_filters(browser: BrowserOf, notify_db: sessionmaker[Session]) -> None:
    with notify_db() as s, s.begin():
        made = [add_delivery(s, title=f"d{i:02d}", subject="pid-many").title for i in range(55)]
        add_delivery(s, title="另一件", subject="pid-other")
    me = browser("triage_officer")
    first = soup(me.get("/deliveries?subject=pid-many"))
    link = first.select_one('a[rel="next"]')
    assert link is not None
    href = str(link["href"])
    assert parse_qs(urlsplit(href).query)["subject"] == ["pid-many"]
    second = soup(me.get(href))
    assert second.select_one('a[rel="next"]') is None
    assert second.select_one('.pager a[href="/deliveries?subject=pid-many"]') is not None  # back to the first page
    assert titles(first) + titles(second) == list(reversed(made))


def test_another_units_delivery_is_not_found(browser: BrowserOf, log: dict[str, str]) -> None:
    response = browser("triage_officer").get(f"/deliveries/{log['court']}")
    assert response.status_code == 404
    assert "未找到" in soup(response).h1.get_text()  # type: ignore[union-attr]
    assert browser("court_clerk").get(f"/deliveries/{log['court']}").status_code == 200
    assert browser("task_force").get(f"/deliveries/{log['court']}").status_code == 200  # sees every unit


def test_one_delivery_with_its_attempts_in_beijing_time(browser: BrowserOf, log: dict[str, str]) -> None:
    page = soup(browser("triage_officer").get(f"/deliveries/{log['failed']}"))
    assert page.h1 is not None and page.h1.get_text(strip=True) == "失败"
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)  # type: ignore[union-attr]
             for dt in page.select("dl.facts dt")}
    assert facts["状态"] == "发送失败" and facts["尝试次数"] == "2"
    assert facts["生成时间"] == "2027年1月4日 星期一 10:00:00"
    assert facts["最近错误"] == "TransientSendError('网关拒收 138****5678')"
    assert cell(page, "序号") == ["第 1 次", "第 2 次"]
    assert cell(page, "结果") == ["失败，稍后重试", "失败，不再重试"]
    assert cell(page, "下次尝试")[0] == "2027年1月4日 星期一 10:01:00"
    sent = soup(browser("triage_officer").get(f"/deliveries/{log['sent']}"))
    assert cell(sent, "开始") == ["2027年1月4日 星期一 09:00:05"]
    assert cell(sent, "结果") == ["成功"]


def test_the_panel_of_one_petition_is_a_fragment(browser: BrowserOf, log: dict[str, str]) -> None:
    response = browser("case_handler", "NY-JCY").get("/deliveries/panel?subject=pid-a", headers={"X-Huhang-Fragment": "1"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    panel = soup(response)
    assert not has_layout(panel)
    assert panel.find(["h1", "h2", "section"]) is None  # the case page frames it with its own heading
    assert [a.get_text(strip=True) for a in panel.select("li a")] == ["失败", "已送达"]
    assert [b.get_text(strip=True) for b in panel.select("li .badge")] == ["发送失败", "已发送"]
    assert panel.select_one('a[href="/deliveries?subject=pid-a"]') is not None


def test_the_panel_shows_nothing_of_another_unit(browser: BrowserOf, log: dict[str, str]) -> None:
    panel = soup(browser("triage_officer").get("/deliveries/panel?subject=pid-c"))
    assert panel.select("li") == [] and "暂无" in panel.get_text()


def test_the_panel_needs_a_subject(browser: BrowserOf) -> None:
    response = browser("triage_officer").get("/deliveries/panel")
    assert response.status_code == 422
    assert not has_layout(soup(response)) and "缺少信访件编号" in response.get_data(as_text=True)


def test_the_panel_refuses_other_roles_as_a_fragment_would(browser: BrowserOf) -> None:
    response = browser("auditor").get("/deliveries/panel?subject=pid-a", headers={"X-Huhang-Fragment": "1"})
    assert response.status_code == 403 and response.is_json
