"""挂案清理 in Chromium: 捕诉's prosecutor opens the 挂案 queue filtered by a flagged rule, opens a flagged case
(the demo 挂案, flagged by the scheduler's daily scan), sends a 催办函 from the clearance panel and gets its
document; the 市院 leader opens the 专项清理 campaign and reads its burn-down chart."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Checked, Portal, nav_link, sign_in
from tests.support.documents import read_pdf

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _flagged_rows(page: Any, *, timeout_s: float = 150.0) -> Any:
    """The queue filtered to the 3-month rule, reloaded until the scheduler's scan has flagged the demo 挂案."""
    deadline = time.monotonic() + timeout_s
    while True:
        rows = page.locator("table tbody tr").filter(has=page.locator("a"))
        if rows.count() or time.monotonic() > deadline:
            return rows
        time.sleep(3)
        page.reload()


def test_prosecutor_sends_an_urge_letter_from_the_queue(make_page: Any, portal: Portal) -> None:
    prosecutor: Checked = make_page()
    sign_in(prosecutor, "demo-prosecutor")
    nav_link(prosecutor, "挂案清理").click()
    prosecutor.page.wait_for_url(re.compile(r"/hanging-cases$"))
    prosecutor.page.select_option("#rule", "hanging_case.urge")
    with prosecutor.page.expect_navigation():
        prosecutor.page.get_by_role("button", name="筛选").click()
    rows = _flagged_rows(prosecutor.page)
    assert rows.count() >= 1, "the scan flagged no demo 挂案"
    assert "立案满3个月未侦查终结" in rows.nth(0).inner_text()
    prosecutor.check("clearance-queue")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prosecutor.page.screenshot(path=str(SCREENSHOTS / "clearance-queue-desktop.png"), full_page=True)

    case_number = rows.nth(0).locator("a").inner_text()
    rows.nth(0).locator("a").click()
    prosecutor.page.wait_for_url(re.compile(r"/hanging-cases/[0-9a-f-]{36}$"))
    panel = prosecutor.page.locator("section#clearance")
    assert "立案满3个月未侦查终结" in panel.inner_text() and "第五百六十四条" in panel.inner_text()
    before = panel.locator("li.action[data-kind=urge]").count()
    with prosecutor.page.expect_navigation():
        panel.get_by_role("button", name="发送催办函").click()
    letters = prosecutor.page.locator("section#clearance li.action[data-kind=urge]")
    assert letters.count() == before + 1
    number = letters.nth(before).locator(".document-number").inner_text()
    assert re.fullmatch(r"南检侦监催〔\d{4}〕\d+号", number), number
    prosecutor.check("clearance-case")
    prosecutor.page.screenshot(path=str(SCREENSHOTS / "clearance-case-desktop.png"), full_page=True)

    href = letters.nth(before).get_by_role("link", name="查看文书（PDF）").get_attribute("href")
    answer = prosecutor.page.request.get(portal.url(href))
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    text = read_pdf(answer.body()).flat
    assert "催办函" in text and number in text and case_number in text and "第五百六十四条" in text


def test_leader_reads_the_campaign_burn_down(make_page: Any, portal: Portal) -> None:
    leader: Checked = make_page()
    sign_in(leader, "demo-leader")
    leader.page.goto(portal.url("/hanging-cases/campaigns"))
    link = leader.page.locator("table tbody a").first
    assert "专项清理" in link.inner_text()
    link.click()
    leader.page.wait_for_url(re.compile(r"/hanging-cases/campaigns/[0-9a-f-]{36}$"))
    chart = leader.page.locator("figure#burn-down svg")
    assert chart.count() == 1 and "清理进度" in (chart.locator("title").text_content() or "")
    assert chart.locator("polyline").count() == 4
    assert "已发现" in (chart.text_content() or "") and "未清理" in (chart.text_content() or "")
    found = int(leader.page.locator("dd#found").inner_text())
    remaining = int(leader.page.locator("dd#remaining").inner_text())
    cleared = int(leader.page.locator("dd#cleared").inner_text())
    assert found == remaining + cleared
    assert "超过各期限的挂案" in leader.page.locator("main").inner_text()
    leader.check("clearance-campaign")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    leader.page.screenshot(path=str(SCREENSHOTS / "clearance-campaign-desktop.png"), full_page=True)
