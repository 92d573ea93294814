"""The 12368 clerk takes a call for a judge and, unable to answer it on the spot, makes a 工单 to 民二庭's
judge from the case page; the judge signs in, finds it in 工单 (the clock shown), replies; the clerk's
case page then shows the order 已回复.  Screenshots of the list and the case page go to docs/screenshots/."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Checked, nav_link, sign_in
from tests.support.stack import wait_for

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _register_call(checked: Checked, case_number: str) -> str:
    """A 联系法官 call registered by the clerk; its petition id (the receipt names it)."""
    page = checked.page
    checked.goto("/petitions/new/call")
    page.select_option("#petition_type", label="联系法官")
    page.locator('[id="petitioner.name"]').fill("赵明")
    page.locator('[id="petitioner.phone"]').fill("0377-63123456")
    page.locator("#subject").fill("询问开庭时间")
    page.locator("#claim").fill("请求联系承办法官了解开庭时间")
    page.locator("#related_case_number").fill(case_number)
    page.get_by_role("button", name="登记并生成受理回执").click()
    page.locator("article.receipt .query-code").wait_for()
    petition_id = page.locator("article.receipt").get_attribute("data-petition-id")
    assert petition_id
    return petition_id


def test_the_clerk_sends_a_work_order_and_the_judge_replies(make_page: Any) -> None:
    clerk: Checked = make_page()
    page = clerk.page
    sign_in(clerk, "demo-12368")
    case_number = f"（2026）豫13民初{int(time.time()) % 100000 + 1}号"
    petition_id = _register_call(clerk, case_number)

    # Review's consumer opens the matter; the case page answers once it has.
    def case_page() -> bool | None:
        return clerk.goto(f"/cases/{petition_id}").status == 200 or None

    wait_for(case_page, timeout=60, interval=1, what="the case page of the call")
    panel = page.locator("section#work-orders")
    assert "该事项还没有工单" in panel.inner_text()
    panel.locator("#related_case_number").fill(case_number)
    panel.locator("#request").fill("来电人询问开庭时间，请承办法官回复")
    panel.locator("#to_username").select_option("demo-judge-ms2")
    with page.expect_navigation():
        panel.get_by_role("button", name="提交").click()
    assert re.search(rf"/cases/{petition_id}$", page.url), page.url
    row = page.locator("section#work-orders tbody tr").first
    assert "待回复" in row.inner_text() and case_number in row.inner_text()
    clerk.check("work-order-case-open")

    judge: Checked = make_page()
    sign_in(judge, "demo-judge-ms2")
    nav_link(judge, "工单").click()
    judge.page.wait_for_url(re.compile(r"/work-orders$"))
    listed = judge.page.locator("table tbody tr", has_text=case_number)
    assert listed.count() == 1 and "待回复" in listed.inner_text()
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", listed.locator('td[data-label="届满"]').inner_text())
    judge.check("work-orders-list")
    SHOTS.mkdir(parents=True, exist_ok=True)
    judge.page.screenshot(path=str(SHOTS / "work-orders-desktop.png"), full_page=True)

    listed.get_by_role("link", name=case_number).click()
    judge.page.wait_for_url(re.compile(r"/work-orders/[0-9a-f-]{36}$"))
    form = judge.page.locator("form[action$='/reply']")
    form.locator("#reply_text").fill("开庭时间定于下周一上午九时，已电话告知来电人")
    form.locator("#delivery").select_option("phone")
    with judge.page.expect_navigation():
        form.get_by_role("button", name="提交回复").click()
    heading = judge.page.locator("h1").inner_text()
    assert "已回复" in heading and "已回复，来电人的答复已记录" in judge.page.locator("main").inner_text()
    judge.check("work-order-replied")

    clerk.goto(f"/cases/{petition_id}")
    row = page.locator("section#work-orders tbody tr").first
    assert "已回复" in row.inner_text()
    assert "已答复" in page.locator("h1").inner_text()  # the matter itself: answered
    clerk.check("work-order-case-replied")
    page.locator("section#work-orders").screenshot(path=str(SHOTS / "work-order-case-panel-desktop.png"))
