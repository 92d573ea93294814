"""失信被执行人 in Chromium: 中院执行局's clerk registers a listing through the form, records the debtor's
performance (the 3-working-day clock starts), the 执行法官 removes it (the 限制消费令 lifted with it) and
issues the 诚信证明, whose verification code the page shows once; then anyone, not signed in, checks
the code on the public page and is told the certificate is valid, by whom and for whom."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shared.calendar import beijing_today
from tests.browser.conftest import Checked, Portal, nav_link, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ENTERPRISE = "南阳市卧龙区示例机械有限公司"


def test_clerk_lists_records_performance_judge_removes_and_the_public_verifies(make_page: Any, portal: Portal) -> None:
    case_number = f"（{beijing_today().year}）豫13执{beijing_today().toordinal() % 9000 + 500}号"
    clerk: Checked = make_page()
    sign_in(clerk, "demo-clerk-zx")
    nav_link(clerk, "失信名单").click()
    clerk.page.wait_for_url(re.compile(r"/dishonesty$"))
    clerk.page.get_by_role("link", name="纳入失信名单").click()
    clerk.page.wait_for_url(re.compile(r"/dishonesty/new$"))
    clerk.page.fill("#case_number", case_number)
    clerk.page.fill("#obligation", "支付设备款人民币86000元及迟延履行期间的债务利息")
    clerk.page.select_option("#debtor_kind", "enterprise")
    clerk.page.fill("#debtor_name", ENTERPRISE)
    clerk.page.fill("#credit_code", "91411300MA4000000A")
    clerk.page.fill("#contact_email", "legal@example.com")
    clerk.page.select_option("#ground", "1")
    clerk.check("dishonesty-new")
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("button", name="纳入失信名单").click()
    assert "已纳入失信被执行人名单" in clerk.page.locator("main").inner_text(), clerk.page.locator("main").inner_text()
    listing_path = clerk.page.url.split("?")[0].removeprefix(portal.url(""))
    assert "已纳入" in clerk.page.locator("h1").inner_text()
    assert "有效" in clerk.page.locator(".consumption-status").inner_text()

    clerk.page.select_option("#ground", "performed")
    clerk.page.fill("#evidence", "申请执行人出具的履行完毕确认书及银行转账凭证")
    with clerk.page.expect_navigation():
        clerk.page.get_by_role("button", name="记录删除事由").click()
    clocks = clerk.page.locator("ol.clocks").inner_text()
    assert "三个工作日内删除" in clocks, clocks
    clerk.check("dishonesty-performed")

    judge: Checked = make_page()
    sign_in(judge, "demo-judge-zx")
    judge.goto("/dishonesty?status=removal_pending")
    judge.page.locator("table tbody tr", has_text=case_number).get_by_role("link", name=case_number).click()
    judge.page.wait_for_url(re.compile(r"/dishonesty/[0-9a-f-]{36}$"))
    with judge.page.expect_navigation():
        judge.page.get_by_role("button", name="决定删除").click()
    assert "已删除" in judge.page.locator("h1").inner_text()
    assert "已于" in judge.page.locator(".consumption-status").inner_text()  # 限消 lifted
    assert "按期" in judge.page.locator("ol.clocks").inner_text()
    with judge.page.expect_navigation():
        judge.page.get_by_role("button", name="出具诚信证明").click()
    code = judge.page.locator(".certificate-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}(-[2-9A-Z]{4}){3}", code), code
    judge.check("dishonesty-certificate-issued")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    judge.page.screenshot(path=str(SCREENSHOTS / "dishonesty-listing-desktop.png"), full_page=True)
    pdf = judge.page.request.get(portal.url(judge.page.locator("a", has_text="下载 PDF").first.get_attribute("href")
                                            or ""))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    public: Checked = make_page()
    public.goto("/public/certificates")
    public.page.fill("#code", code.lower())
    with public.page.expect_navigation():
        public.page.get_by_role("button", name="查验").click()
    answer = public.page.locator(".certificate-answer").inner_text()
    assert "有效" in answer and "南阳市中级人民法院" in answer and ENTERPRISE in answer, answer
    public.check("dishonesty-public-valid")
    public.page.screenshot(path=str(SCREENSHOTS / "dishonesty-public-check.png"), full_page=True)
    # The QR code's link answers at once.
    public.goto(f"/public/certificates?code={code}")
    assert "有效" in public.page.locator(".certificate-answer").inner_text()
    public.goto("/public/certificates?code=2222-2222-2222-2222")
    assert "未查到" in public.page.locator(".certificate-answer").inner_text()
    assert listing_path.startswith("/dishonesty/")
