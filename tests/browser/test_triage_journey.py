"""The triage officer's 分流 journey in Chromium: classify and 交办 one petition, bulk-route two, see the results."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Checked, nav_link, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _pending_cases(checked: Checked) -> list[str]:
    checked.goto("/triage?status=pending")
    return [str(a.get_attribute("href")) for a in checked.page.locator("table tbody tr td[data-label='案件编号'] a").all()]


def test_classify_and_assign_one_then_bulk_route_two(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-triage")
    nav_link(checked, "分流队列").click()
    page.wait_for_url(re.compile(r"/triage"))
    cases = _pending_cases(checked)
    assert len(cases) >= 3, "the demo data has fewer than three petitions waiting"

    # One petition: classify (涉企, with the reason), then 交办 to 宛城区院 in 10 days.
    checked.goto(cases[0])
    page.locator("#h-triage").wait_for()
    page.get_by_label("涉企", exact=True).check()
    page.fill("#classify-reason", "企业法定代表人反映企业账户被冻结，影响企业经营")
    page.get_by_role("button", name="保存分类").click()
    page.wait_for_url(re.compile(r"done=classify"))
    assert "已保存分类" in page.locator("main").inner_text()
    page.select_option("#route-kind", "assigned")
    page.select_option("#route-unit", "NY-JCY-WC")
    page.fill("#route-days", "10")
    page.fill("#route-override", "企业注册地在宛城区，由属地检察院办理")
    page.get_by_role("button", name="分流", exact=True).click()
    page.wait_for_url(re.compile(r"done=route"))
    assert page.locator("h1 .badge").inner_text() == "已交办"
    history = page.locator("#triage-history").inner_text()
    assert "交办 → 宛城区人民检察院" in history and "期限至" in history
    checked.check("triage-case-routed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "triage-case-desktop.png"), full_page=True)

    # Two more, from the queue at once: 本单位办理.
    checked.goto("/triage?status=pending")
    ids = [c.removeprefix("/cases/") for c in cases[1:3]]
    for pid in ids:
        page.locator(f"input[name='petition_ids'][value='{pid}']").check()
    page.select_option("#bulk-action", "route")
    page.select_option("#bulk-route", "here")
    page.fill("#bulk-override", "本部门集中办理同类事项")
    page.get_by_role("button", name="批量办理").click()
    page.locator("#bulk-result").wait_for()
    result = page.locator("#bulk-result").inner_text()
    assert "成功 2 件，未办理 0 件" in result, result
    for pid in ids:
        assert "成功（办理中）" in page.locator(f"#bulk-result li[data-petition='{pid}']").inner_text()
    checked.check("triage-bulk-result")
    page.screenshot(path=str(SCREENSHOTS / "triage-bulk-desktop.png"), full_page=True)
    # The queue now counts them under 办理中.
    checked.goto("/triage?status=handling")
    shown = {str(a.get_attribute("href")).removeprefix("/cases/")
             for a in page.locator("table tbody tr td[data-label='案件编号'] a").all()}
    assert set(ids) <= shown
