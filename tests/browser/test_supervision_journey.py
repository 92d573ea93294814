"""跟踪督办 in Chromium: 市院's leader puts a matter of 宛城区院 under 挂牌督办 from the case page, the
宛城区院 handler finds it on the 督办 list and reports back, the leader accepts, and the 督办 list
shows it closed (on time).

The matter is a new 12309 petition registered through the API; its 交办 to 宛城区院 (the triage
step, whose pages are triage's) is written into the stack's review database here, as the routing
would leave it: handled by NY-JCY-WC, 办理中.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import requests

from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.browser.conftest import DEMO_PASSWORD, Checked, Portal, nav_link, sign_in
from tests.support.stack import wait_for

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PETITION = {
    **PETITION_EXAMPLE,
    "petitioner": {**PETITION_EXAMPLE["petitioner"], "name": "钱立新", "id_number": "411302198203030035",
                   "phone": "13903770789"},
    "enterprise": {**PETITION_EXAMPLE["enterprise"], "name": "南阳市示例食品有限公司",
                   "credit_code": "91411300MA4000001D"},
    "subject": "食品厂设备被扣押后长期未返还",
    "claim": "请求检察机关监督扣押措施并督促依法返还设备",
    "facts": "2023年9月设备被扣押，案件至今未有处理结果。",
}


def _routed_to_wancheng(portal: Portal) -> tuple[str, str]:
    token = requests.post(portal.url("/api/v1/auth/token"), timeout=10,
                          json={"username": "demo-12309", "password": DEMO_PASSWORD}).json()["access_token"]
    created = requests.post(portal.url("/api/v1/petitions"), json=PETITION, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201, created.text
    case_number = created.json()["case_number"]

    def item() -> str | None:
        with sqlite3.connect(portal.var / "review.db") as db:
            row = db.execute("SELECT petition_id FROM triage_items WHERE case_number = ?", (case_number,)).fetchone()
        return row[0] if row else None

    petition_id = wait_for(item, timeout=60, interval=0.5, what="the triage item of the new petition")
    with sqlite3.connect(portal.var / "review.db") as db:
        db.execute("UPDATE triage_items SET handling_unit_code = 'NY-JCY-WC', status = 'handling' "
                   "WHERE petition_id = ?", (petition_id,))
    return case_number, petition_id


def test_leader_supervises_handler_reports_leader_accepts(make_page: Any, portal: Portal) -> None:
    case_number, petition_id = _routed_to_wancheng(portal)

    leader: Checked = make_page()
    sign_in(leader, "demo-leader")
    leader.goto(f"/cases/{petition_id}")
    panel = leader.page.locator("section#supervision")
    # No 督办 yet: the panel's 挂牌督办 form is open.
    leader.page.fill("#panel-open-amount", "5")
    leader.page.select_option("#panel-open-unit", "working_day")
    leader.page.fill("#panel-open-instructions", "请于5个工作日内查明设备扣押情况，督促依法处理并报告。")
    with leader.page.expect_navigation():
        panel.get_by_role("button", name="挂牌督办", exact=True).click()
    assert "督办中" in panel.inner_text() and "宛城区人民检察院" in panel.inner_text()
    leader.check("supervision-opened")

    handler: Checked = make_page()
    sign_in(handler, "demo-handler")
    nav_link(handler, "督办").click()
    handler.page.wait_for_url(re.compile(r"/supervision$"))
    row = handler.page.locator("table tbody tr", has_text=case_number)
    assert "督办中" in row.inner_text() and "南阳市人民检察院" in row.inner_text()
    handler.check("supervision-list-handler")
    row.get_by_role("link", name=case_number).click()
    handler.page.wait_for_url(re.compile(r"/cases/"))
    report = handler.page.locator("section#supervision form[aria-label='报告办理情况']")
    report.locator("textarea").fill("已调取扣押清单并约谈办案单位，设备已于本周返还企业，相关材料已归档。")
    with handler.page.expect_navigation():
        report.get_by_role("button", name="提交报告").click()
    assert "已报告待审核" in handler.page.locator("section#supervision").inner_text()
    handler.check("supervision-reported")

    leader.goto(f"/cases/{petition_id}")
    assert "设备已于本周返还企业" in panel.inner_text()
    with leader.page.expect_navigation():
        panel.get_by_role("button", name="审核通过，办结督办").click()
    nav_link(leader, "督办").click()
    leader.page.wait_for_url(re.compile(r"/supervision$"))
    leader.page.select_option("#state", "closed")
    with leader.page.expect_navigation():
        leader.page.get_by_role("button", name="筛选").click()
    row = leader.page.locator("table tbody tr", has_text=case_number)
    text = row.inner_text()
    assert "已办结" in text and "按期报告" in text and "宛城区人民检察院" in text and "挂牌督办" in text
    leader.check("supervision-list-closed")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    leader.page.screenshot(path=str(SCREENSHOTS / "supervision-list-desktop.png"), full_page=True)
    leader.goto(f"/cases/{petition_id}")
    panel.wait_for()
    panel.screenshot(path=str(SCREENSHOTS / "supervision-panel-desktop.png"))
    assert "已办结" in panel.inner_text() and "审核通过" in panel.inner_text()
