"""考评反馈 in Chromium: the handler records a 不满意 on a replied matter, reopens it, and the case page shows 第2轮 办理中.

The handling step (答复) is not in the stack yet, so the test stands in for it as the contract
says: one of the demo 事项 is set ``replied`` (handled by 宛城区院) in review's SQLite file.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Checked, Portal, sign_in
from tests.support.stack import wait_for

pytestmark = pytest.mark.browser
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "feedback-reopened.png"


def _replied_item(portal: Portal) -> str | None:
    """A demo 事项 put in ``replied``, handled by NY-JCY-WC (demo-handler's unit); None until one exists."""
    with sqlite3.connect(portal.var / "review.db") as db:
        row = db.execute("SELECT petition_id FROM triage_items WHERE line = '12309' AND status = 'pending' "
                         "ORDER BY received_on LIMIT 1").fetchone()
        if row is None:
            return None
        db.execute("UPDATE triage_items SET status = 'replied', handling_unit_code = 'NY-JCY-WC' "
                   "WHERE petition_id = ?", (row[0],))
        return str(row[0])


def test_handler_records_dissatisfied_and_reopens(make_page: Any, portal: Portal) -> None:
    petition_id = wait_for(lambda: _replied_item(portal), timeout=60, interval=0.5, what="a demo 事项 in review")
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-handler")  # 承办人, 宛城区院
    checked.goto(f"/cases/{petition_id}")
    panel = page.locator("section#feedback")
    assert "已答复，尚未记录评价" in panel.inner_text()
    checked.check("feedback-panel")

    form = panel.get_by_role("form", name="记录评价")
    form.get_by_label("不满意").check()
    form.get_by_label("评价方式").select_option("phone")
    form.get_by_label("理由").fill("答复没有回应企业账户被冻结的问题")
    with page.expect_navigation():
        form.get_by_role("button", name="记录评价").click()
    page.wait_for_url(re.compile(rf"/cases/{petition_id}"))
    assert "答复没有回应企业账户被冻结的问题" in panel.inner_text()

    reopen = panel.get_by_role("form", name="重新办理")
    reopen.get_by_label("重新办理的理由").fill("重新核查账户冻结情况")
    with page.expect_navigation():
        reopen.get_by_role("button", name="重新办理").click()
    page.wait_for_url(re.compile(rf"/cases/{petition_id}"))
    heading = panel.locator("h2").inner_text()
    assert "第2轮 办理中" in heading, heading
    assert page.locator("h1 .badge").inner_text() == "办理中"
    assert "第2轮" in panel.locator("ol.rounds").inner_text()
    checked.check("feedback-reopened")
    panel.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 0


def test_the_rates_page_lists_the_units(make_page: Any, portal: Portal) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-leader")
    checked.goto("/feedback/rates")
    assert page.locator("h1").inner_text() == "满意率与按期率"
    page.get_by_label("自").fill("2026-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="统计").click()
    assert page.locator("table.rates").is_visible()
    checked.check("feedback-rates")
