"""Each role's main journey through the portal, in Chromium, ending in what the page shows."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests

from tests.browser.conftest import DEMO_PASSWORD, Checked, nav_link, sign_in

pytestmark = pytest.mark.browser


def test_triage_officer_finds_a_petition_and_opens_it(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-triage", keyboard=True)
    checked.check("home-triage")
    assert page.locator("h2", has_text="待分流").is_visible()

    nav_link(checked, "分流队列").click()
    page.wait_for_url(re.compile(r"/triage"))
    checked.check("triage-queue")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    first_number = rows.first.locator("td[data-label=\"案件编号\"]").inner_text().strip()
    assert re.fullmatch(r"^[\u4e00-\u9fff]+12309〔\d{4}〕[1-9]\d*号", first_number), first_number

    # Narrow the queue to that case number with the filter form, then open the case.
    page.fill("#case_number", first_number)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("load")
    assert page.locator("table tbody tr").count() == 1
    page.get_by_role("link", name=first_number).click()
    page.wait_for_url(re.compile(r"/cases/"))
    assert page.locator("h1").inner_text().startswith(first_number)
    # Review's own parts: the deadlines (12309: 7-day procedural reply) and the timeline.
    assert page.locator("#h-deadlines").is_visible()
    assert page.locator("article", has_text="程序性答复").count() >= 1 or page.locator("article").count() >= 1
    # intake's part, included by the script: the petitioner masked, never in clear.
    included = page.locator("[data-include^='/petitions/']")
    # The fallback link is a <p> too: wait for the fragment itself (petitions/panel.html).
    included.locator(".petition-panel").wait_for()
    text = included.inner_text()
    assert "打开受理登记信息" not in text, "the petition part was not included"
    assert not re.search(r"\d{17}[\dX]", text), "an ID number in clear"
    checked.check("case-page")


def test_auditor_reads_the_log(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-auditor")
    nav_link(checked, "审计日志").click()
    page.wait_for_url(re.compile(r"/audit/review"))
    page.fill("#action", "auth.sign_in")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state("load")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    # The auditor's own sign-in is the newest row.
    assert "demo-auditor" in rows.first.inner_text()
    assert "auth.sign_in" in rows.first.inner_text()
    checked.check("audit-log")
    page.get_by_role("link", name="受理 intake").click()
    page.wait_for_url(re.compile(r"/audit/intake"))
    assert page.locator("h1").inner_text().startswith("审计日志")


def _lock(portal_url: str, username: str) -> None:
    for _ in range(5):
        requests.post(portal_url + "/api/v1/auth/token", json={"username": username, "password": "wrong-password!"},
                      timeout=10)


def test_administrator_unlocks_an_account(make_page: Any, portal: Any) -> None:
    _lock(portal.base_url, "demo-handler")
    locked = requests.post(portal.url("/api/v1/auth/token"),
                           json={"username": "demo-handler", "password": DEMO_PASSWORD}, timeout=10)
    assert locked.status_code == 401  # locked: even the right password is refused

    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-admin")
    nav_link(checked, "账户管理").click()
    page.wait_for_url(re.compile(r"/admin/accounts"))
    row = page.locator("tr", has_text="demo-handler")
    assert "已锁定" in row.inner_text()
    checked.check("admin-accounts")
    row.get_by_role("button", name=re.compile("解锁")).click()
    page.wait_for_load_state("load")
    assert "已解锁账户 demo-handler" in page.locator("[role=status]").inner_text()
    assert "正常" in page.locator("tr", has_text="demo-handler").inner_text()
    unlocked = requests.post(portal.url("/api/v1/auth/token"),
                             json={"username": "demo-handler", "password": DEMO_PASSWORD}, timeout=10)
    assert unlocked.status_code == 200


def test_signed_out_elsewhere_the_next_page_says_so(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-leader")
    # The session ends on the server (as the idle timeout ends it); the browser keeps its cookie.
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "__Host-huhang_session")
    ended = requests.delete(checked.portal.url("/api/v1/auth/sessions/current"),
                            cookies={session_cookie["name"]: session_cookie["value"]}, timeout=10)
    assert ended.status_code == 204
    checked.goto("/triage")
    assert "/signin" in page.url and "reason=ended" in page.url
    assert "会话已结束" in page.locator("[role=status]").inner_text()
    checked.goto("/session-ended")
    assert page.locator("h1").inner_text() == "您已退出登录"
    checked.check("session-ended")
