"""首违不罚 in Chromium: 行政检察部's reviewer (demo-penalty) fills the check form for a 6号 item, sees
建议不予处罚 with every condition and the basis, makes the 检察建议 draft, and finds the check on the
list of its enterprise; then a second act of the same enterprise is no longer the first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser.conftest import Checked, Portal, nav_link, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CREDIT = "91411303MA45B8R2XB"


def _fill(page: Any, *, act: str, claim: str, act_on: str, harm: str) -> None:
    page.fill("#enterprise_name", "南阳市宛城区示例机械有限公司")
    page.fill("#credit_code", CREDIT)
    page.fill("#authority", "国家税务总局南阳市宛城区税务局")
    page.fill("#act", act)
    page.select_option("#claim", claim)
    page.fill("#act_on", act_on)
    page.select_option("#corrected", "true")
    page.fill("#corrected_on", "2026-11-02")
    page.fill("#discovered_on", "2026-11-05")
    page.select_option("#harm", harm)
    page.select_option("#illegal_gains", "false")
    page.select_option("#first_claimed", "true")


def test_reviewer_checks_a_6_item_and_drafts_the_recommendation(make_page: Any, portal: Portal) -> None:
    reviewer: Checked = make_page()
    sign_in(reviewer, "demo-penalty")
    nav_link(reviewer, "首违不罚").click()
    reviewer.page.wait_for_url(re.compile(r"/leniency-checks$"))
    reviewer.page.get_by_role("link", name="新建审查").click()
    reviewer.page.wait_for_url(re.compile(r"/leniency-checks/new$"))
    reviewer.check("leniency-form")
    _fill(reviewer.page, act="2026年10月增值税未按期办理纳税申报", claim="tax-2021-6/3", act_on="2026-10-30",
          harm="minor")
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("button", name="审查", exact=True).click()
    reviewer.page.wait_for_url(re.compile(r"/leniency-checks/[0-9a-f-]{36}$"))
    heading = reviewer.page.locator("h1").inner_text()
    assert "建议不予处罚" in heading and "可以不予处罚" in heading
    conditions = reviewer.page.locator("#conditions").inner_text()
    for text in ("违法行为发生时清单已施行", "首次违法", "危害后果轻微", "及时改正", "初次违法",
                 "没有造成危害后果"):
        assert text in conditions, text
    assert "不符合" in conditions  # 没有造成危害后果: not met (minor harm), so the 首违 clause applies
    basis = reviewer.page.locator("#basis").inner_text()
    assert "国家税务总局公告2021年第6号" in basis and "第3项" in basis and "第三十三条第一款" in basis
    assert "未经核实" in reviewer.page.locator("#unconfirmed").inner_text()  # the 6号 effective date
    reviewer.check("leniency-result")
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("button", name="制作检察建议").click()
    recommendation = reviewer.page.locator("#recommendation").inner_text()
    assert re.search(r"南检行建〔\d{4}〕\d+号", recommendation) and "国家税务总局南阳市宛城区税务局" in recommendation
    pdf_link = reviewer.page.get_by_role("link", name="PDF").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in reviewer.page.context.cookies()}
    pdf = requests.get(portal.url(pdf_link or ""), cookies=cookies, timeout=20)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reviewer.page.screenshot(path=str(SCREENSHOTS / "leniency-result-desktop.png"), full_page=True)
    reviewer.check("leniency-recommendation")

    # A second act of the same enterprise within the look-back: not the first any more.
    reviewer.goto("/leniency-checks/new")
    _fill(reviewer.page, act="2026年11月未按期报送纳税资料", claim="tax-2021-6/3", act_on="2026-11-01", harm="minor")
    with reviewer.page.expect_navigation():
        reviewer.page.get_by_role("button", name="审查", exact=True).click()
    assert "不适用首违不罚" in reviewer.page.locator("h1").inner_text()
    assert "回溯期间内已有在先记录" in reviewer.page.locator("#explanation").inner_text()
    assert reviewer.page.get_by_role("button", name="制作检察建议").count() == 0

    reviewer.goto(f"/leniency-checks?credit_code={CREDIT}")
    rows = reviewer.page.locator("table tbody tr")
    assert rows.count() == 2
    listed = reviewer.page.locator("table").inner_text()
    assert "建议不予处罚" in listed and "不适用首违不罚" in listed
    reviewer.check("leniency-list")
