"""羁押必要性审查 in Chromium: 市院刑事检察部's prosecutor registers a close relative's application from the form,
files it at the 初审, ticks two grounds with their evidence, decides 建议变更强制措施, and sees the 建议书 and the
applicant's 结果通知书 on the case page (the notice goes to notify as a mandatory public notice)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser.conftest import Checked, Portal, nav_link, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_prosecutor_opens_ticks_grounds_decides_change_and_sees_the_notice(make_page: Any, portal: Portal) -> None:
    prosecutor: Checked = make_page()
    sign_in(prosecutor, "demo-prosecutor")
    nav_link(prosecutor, "羁押审查").click()
    prosecutor.page.wait_for_url(re.compile(r"/custody-reviews$"))
    prosecutor.check("custody-queue")
    prosecutor.page.get_by_role("link", name="登记新的审查").click()
    prosecutor.page.wait_for_url(re.compile(r"/custody-reviews/new$"))
    page = prosecutor.page
    page.select_option("#unit_code", "NY-JCY-XS")
    page.fill("#person_name", "赵卫东")
    page.fill("#id_number", "411302198203030035")
    page.fill("#criminal_case_number", "宛公刑立字〔2026〕301号")
    page.fill("#charge", "虚开增值税专用发票罪")
    page.select_option("#stage", "investigation")
    page.fill("#handling_organ", "南阳市公安局")
    page.fill("#arrest_on", "2026-11-10")
    page.select_option("#enterprise_role", "actual_controller")
    page.fill("#enterprise_name", "南阳市示例食品有限公司")
    page.fill("#enterprise_credit_code", "91411300MA4000001D")
    page.fill("#employees", "86")
    page.check("input[name=production_stopped]")
    page.fill("#impact_text", "实际控制人被羁押，企业停产，86名职工待岗。")
    page.select_option("#applicant_kind", "close_relative")
    page.fill("#applicant_name", "赵丽")
    page.fill("#applicant_email", "zhaoli@example.com")
    page.fill("#reasons", "本人已认罪认罚并退缴税款，企业急需其主持生产。")
    prosecutor.check("custody-new")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "初审中" in page.locator("h1").inner_text()
    assert "411302198203030035" not in page.content() and "赵卫东" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="初审：立案审查").click()
    assert "审查中" in page.locator("h1").inner_text()

    grounds = page.locator("form#grounds")
    grounds.get_by_label("认罪认罚").check()
    page.fill("#evidence-580\\.plea", "认罪认罚具结书（2026-11-12）")
    grounds.get_by_label("案件事实基本查清，证据已经收集固定，符合取保候审或者监视居住条件").check()
    page.fill("#evidence-579\\.bail_conditions", "补缴税款凭证；证据已固定")
    with page.expect_navigation():
        grounds.get_by_role("button", name="保存审查要素").click()
    assert page.locator("form#grounds input[name='tick-580.plea']").is_checked()
    prosecutor.check("custody-grounds")

    page.select_option("#decision", "change_recommended")
    page.fill("#decision_reasons", "犯罪嫌疑人认罪认罚、已补缴税款，羁押致企业停产，已无继续羁押必要。")
    with page.expect_navigation():
        page.get_by_role("button", name="作出决定").click()
    heading = page.locator("h1").inner_text()
    assert "待有关机关回复" in heading and "建议变更强制措施" in heading
    documents = page.locator("ul.custody-documents").inner_text()
    assert "羁押必要性审查建议书 南检捕建〔2026〕" in documents
    assert "羁押必要性审查结果通知书 南检捕通〔2026〕" in documents and "送 赵丽" in documents
    assert "第九十五条" in page.locator(".custody-decision").locator("xpath=../..").inner_text()
    prosecutor.check("custody-decided")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "custody-case-desktop.png"), full_page=True)
    notice = page.locator("ul.custody-documents a", has_text="PDF").last.get_attribute("href")
    assert notice is not None
    pdf = requests.get(portal.url(notice), cookies={c["name"]: c["value"] for c in page.context.cookies()}, timeout=30)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
