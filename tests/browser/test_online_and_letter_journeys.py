"""网上信访 by a member of the public (no account), then its status; a 12309 clerk registers a letter with its postmark."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Checked, sign_in

pytestmark = pytest.mark.browser


def test_the_public_petitions_online_and_queries_the_new_case(make_page: Any) -> None:
    checked: Checked = make_page(width=390, height=844)
    page = checked.page
    checked.goto("/public/")
    page.get_by_role("link", name="网上反映").first.click()
    page.wait_for_url(re.compile(r"/public/petitions/new"))
    checked.check("online-petition-form")
    page.select_option("#line", "12309")
    page.select_option("#unit_code", "NY-JCY-WC")
    page.select_option("#petition_type", label="控告")
    page.locator("input[name='petitioner.kind'][value='enterprise_representative']").check()
    page.locator('[id="petitioner.name"]').fill("周建业")
    page.locator('[id="petitioner.id_number"]').fill("411303199207070027")
    page.locator('[id="petitioner.phone"]').fill("13903771234")
    page.select_option('[id="petitioner.relation"]', "法定代表人")
    page.locator("#is_enterprise").check()
    page.locator('[id="enterprise.name"]').fill("南阳市宛城区示例机械有限公司")
    page.locator('[id="enterprise.credit_code"]').fill("91411302MA44TFGN0Q")
    page.locator("#subject").fill("企业设备被查封超过一年未处理")
    page.locator("#claim").fill("请求依法审查查封措施，返还与案件无关的生产设备")
    # 控告 must state its facts: the page says so beside the field, and keeps what was typed.
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("load")
    assert "须写明" in page.locator('[id="facts-error"]').inner_text()
    assert page.locator('[id="petitioner.name"]').input_value() == "周建业"
    page.locator("#facts").fill("2025年9月，公安机关以涉嫌合同诈骗为由查封本企业三台数控机床，至今未作处理。")
    page.get_by_role("button", name="提交").click()
    page.locator(".query-code").wait_for()
    checked.check("online-petition-received")
    case_number = page.locator(".case-number").inner_text().strip()
    code = page.locator(".query-code").inner_text().strip()
    assert case_number.startswith("宛城检12309〔") and case_number.endswith("号"), case_number
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}", code), code
    main = page.locator("main").inner_text()
    assert "南阳市宛城区人民检察院" in main and "查询码只显示这一次" in main

    page.locator("article.receipt").get_by_role("link", name="案件进度查询").click()
    page.wait_for_url(re.compile(r"/public/status"))
    page.fill("#case_number", case_number)
    page.fill("#query_code", code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("load")
    assert case_number in page.locator("main").inner_text()
    assert code not in page.url


def test_a_clerk_registers_a_letter_with_its_postmark(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-12309")
    checked.goto("/petitions/new")
    page.get_by_role("link", name="登记来信", exact=True).click()
    page.wait_for_url(re.compile(r"/petitions/new/letter"))
    checked.check("petition-new-letter")
    # A letter's form asks for the postmark and an address; a visit's count is not on it.
    assert page.locator('[id="letter.postmarked_on"]').is_visible()
    assert page.locator('[id="visit.visitor_count"]').count() == 0
    page.select_option("#petition_type", label="刑事申诉")
    page.fill("#received_at", "2026-10-09T09:30")
    page.fill('[id="letter.postmarked_on"]', "2026-09-29")
    page.locator('[id="petitioner.name"]').fill("刘秀兰")
    page.locator('[id="petitioner.address"]').fill("南阳市卧龙区示例街 8 号")
    page.locator("#subject").fill("对不起诉决定不服申请复查")
    page.locator("#related_case_number").fill("宛检刑不诉〔2022〕5号")
    page.locator("#claim").fill("请求撤销不起诉决定")
    page.locator("#facts").fill("2022年5月收到不起诉决定书，认为认定事实有误。")
    page.get_by_role("button", name="登记并生成受理回执").click()
    page.locator("article.receipt .query-code").wait_for()
    checked.check("petition-letter-receipt")
    receipt = page.locator("main").inner_text()
    assert "来信" in receipt and "刑事申诉" in receipt
    assert re.search(r"宛检12309〔\d{4}〕\d+号", receipt), receipt
    assert "刘秀兰" not in receipt  # masked on the receipt


def test_a_court_clerk_takes_a_call_for_a_judge(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-12368")
    checked.goto("/petitions/new/call")
    # A call's form asks for the number to call back; neither a postmark nor visitors.
    assert page.locator('[id="letter.postmarked_on"]').count() == 0
    assert page.locator('[id="visit.visitor_count"]').count() == 0
    page.select_option("#petition_type", label="联系法官")
    page.locator('[id="petitioner.name"]').fill("赵明")
    page.locator('[id="petitioner.phone"]').fill("0377-63123456")
    page.locator("#subject").fill("了解执行案件进度")
    page.locator("#claim").fill("请求联系承办法官了解执行款到账时间")
    # 联系法官 names the case: the page says so, then takes the 案号 typed with ASCII brackets.
    page.get_by_role("button", name="登记并生成受理回执").click()
    page.wait_for_load_state("load")
    assert "须写明案号" in page.locator("#related_case_number-error").inner_text()
    page.locator("#related_case_number").fill("(2022)豫13执123号")
    page.get_by_role("button", name="登记并生成受理回执").click()
    page.locator("article.receipt .query-code").wait_for()
    checked.check("petition-call-receipt")
    receipt = page.locator("main").inner_text()
    assert "来电" in receipt and "联系法官" in receipt and "12368" in receipt
    assert re.search(r"宛中法12368〔\d{4}〕\d+号", receipt), receipt
    assert "2个工作日内回复" in receipt  # the court's commitment, not 12309's 7日
