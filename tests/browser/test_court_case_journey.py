"""The 12368 court clerk flags a 涉企 case with an enterprise party and sees its 查询码 once, decides the
立案绿色通道, records 立案, files the enterprise's 减交 application and decides it (a 20% grant refused
by art. 46 first), and the case page ends showing each step and what the public sees."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from tests.browser.conftest import Checked, nav_link, sign_in

pytestmark = pytest.mark.browser

ENTERPRISE = "南阳市宛城区示例机械有限公司"
PERSON, PERSON_ID = "李建国", "411302199001011236"


def _field(checked: Checked, name: str) -> Any:
    return checked.page.locator(f'[id="{name}"]')


def test_clerk_flags_a_case_and_takes_it_through_green_channel_filing_and_fee_relief(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-12368")
    nav_link(checked, "涉企案件").click()
    page.wait_for_url(re.compile(r"/court-cases$"))
    checked.check("court-cases-empty")
    page.get_by_role("link", name="标记涉企案件").click()
    page.wait_for_url(re.compile(r"/court-cases/new$"))
    checked.check("court-case-new")

    case_number = f"（2026）豫13民初{int(time.time()) % 100000 + 1}号"
    _field(checked, "case_number").fill(case_number.replace("（", "(").replace("）", ")"))  # half-width, as typed
    page.select_option("#case_type", "商事")
    _field(checked, "reason").fill("被告为辖区民营小微企业，案涉货款关系企业正常经营")
    page.select_option('[id="parties.0.role"]', "原告")
    page.select_option('[id="parties.0.kind"]', "natural")
    _field(checked, "parties.0.name").fill(PERSON)
    _field(checked, "parties.0.id_number").fill(PERSON_ID)
    page.select_option('[id="parties.1.role"]', "被告")
    page.select_option('[id="parties.1.kind"]', "enterprise")
    _field(checked, "parties.1.name").fill(ENTERPRISE)
    _field(checked, "parties.1.credit_code").fill("91411302MA44TFGN0Q")
    page.select_option('[id="parties.1.enterprise_size"]', "小型")
    page.select_option('[id="parties.1.ownership"]', "民营")
    page.get_by_role("button", name="标记并生成查询码").click()

    # The answer to the flag is the only place the enterprise's code is shown.
    page.locator(".query-codes .query-code").wait_for()
    code = page.locator(".query-codes .query-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-KM-NP-Z]{3}-[2-9A-HJ-KM-NP-Z]{3}-[2-9A-HJ-KM-NP-Z]{3}", code), code
    main = page.locator("main").inner_text()
    assert "查询码只在本页显示这一次" in main and case_number in main
    assert PERSON not in main and PERSON_ID not in main and "李**" in main and "4113**********1236" in main
    assert page.get_by_role("button", name="打印查询码").is_visible()
    checked.check("court-case-flagged")
    case_path = page.locator("form[action$='/green-channel']").get_attribute("action").rsplit("/", 1)[0]
    checked.goto(case_path)
    assert code not in page.locator("main").inner_text()

    # 立案绿色通道: granted; the service computes the day 立案 is due.
    green = page.locator("#green-form")
    green.get_by_label("准予适用").check()
    with page.expect_navigation():
        green.get_by_role("button", name="记录决定").click()
    assert "已记录立案绿色通道的决定" in page.locator("main").inner_text()
    green_text = page.locator("section[aria-labelledby=green-title]").inner_text()
    assert "准予适用" in green_text and re.search(r"应于 \d{4}年\d{1,2}月\d{1,2}日", green_text), green_text

    # 立案 today closes the clock: met.
    with page.expect_navigation():
        page.locator("#filing-form").get_by_role("button", name="记录立案").click()
    assert "按期立案" in page.locator("section[aria-labelledby=green-title]").inner_text()

    # The enterprise's 减交 application (art. 46, 其他情形) …
    form = page.locator("#fr-form")
    form.get_by_label("申请人").select_option(label=f"被告 {ENTERPRISE}")
    form.get_by_label("申请事项").select_option("减交")
    form.get_by_label("适用情形").select_option("46.4")
    form.get_by_label("证明材料").fill("企业近三个月财务报表、银行流水")
    form.get_by_label("申请阶段").select_option("起诉")
    form.get_by_label("申请减交比例（%）").fill("50")
    with page.expect_navigation():
        form.get_by_role("button", name="登记申请").click()
    assert "已登记司法救助申请" in page.locator("main").inner_text()

    # … decided: a 20% grant is refused beside its field (art. 46 ¶2), then 50% is granted.
    decision = page.locator("form.decision-form")
    decision.get_by_label("准予", exact=True).check()
    decision.get_by_label("准予减交比例（%）").fill("20")
    with page.expect_navigation():
        decision.get_by_role("button", name="记录决定").click()
    error = page.locator("form.decision-form p.error")
    assert "不得低于30%" in error.inner_text()
    checked.check("court-case-refused-percent")
    decision = page.locator("form.decision-form")
    decision.get_by_label("准予", exact=True).check()
    decision.get_by_label("准予减交比例（%）").fill("50")
    with page.expect_navigation():
        decision.get_by_role("button", name="记录决定").click()

    main = page.locator("main").inner_text()
    relief = page.locator("section[aria-labelledby=relief-title]").inner_text()
    assert "准予减交 50%" in relief and "应当在法律文书中载明" in relief
    assert page.locator("form.decision-form").count() == 0
    public = page.locator("section[aria-labelledby=public-title]").inner_text()
    for step in ("涉企案件标记", "立案绿色通道：准予适用", "诉讼费减交申请", "诉讼费减交：准予（减交50%）", "立案"):
        assert step in public, public
    assert "已立案" in main and code not in main and PERSON_ID not in main
    checked.check("court-case-done")

    # The list: filed, green channel met, nothing pending.
    nav_link(checked, "涉企案件").click()
    row = page.locator("table.court-cases tbody tr", has_text=case_number)
    text = row.inner_text()
    assert "已立案" in text and "按期立案" in text and "无" in text
    checked.check("court-cases-list")
