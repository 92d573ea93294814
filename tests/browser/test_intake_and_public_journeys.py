"""The 12309 clerk registers a visit and prints the receipt; a member of the public, on a phone,
queries its status with the receipt's case number and query code."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Checked, sign_in
from tests.support import files

pytestmark = pytest.mark.browser

VISITOR = "张卫东"
ID_NUMBER = "411302199001011236"  # a valid check digit (GB 11643)


def _register_visit(checked: Checked) -> tuple[str, str]:
    page = checked.page
    sign_in(checked, "demo-12309")
    page.get_by_role("link", name=re.compile("登记")).first.click()
    page.wait_for_url(re.compile(r"/petitions/new"))
    checked.check("petition-new")
    page.locator("input[name=channel][value='访']").check()
    page.select_option("#petition_type", label="控告")
    page.locator('[id="visit.visitor_count"]').fill("1")
    page.locator('[id="petitioner.name"]').fill(VISITOR)
    page.locator('[id="petitioner.id_number"]').fill(ID_NUMBER)
    page.locator('[id="petitioner.phone"]').fill("13803770123")
    page.locator("#is_enterprise").check()
    page.locator('[id="enterprise.name"]').fill("南阳市卧龙区示例食品有限公司")
    page.locator('[id="enterprise.credit_code"]').fill("91411302MA44TFGN0Q")
    page.locator("#subject").fill("企业银行账户被冻结两年未解除")
    page.locator("#claim").fill("企业银行账户被冻结两年，请求依法审查并解除冻结。")
    page.locator("#facts").fill("2024年6月，本企业基本账户被冻结，至今未解除，也未收到任何法律文书。")
    page.get_by_role("button", name="登记并生成受理回执").click()
    # The receipt is the answer to the registration itself: its code exists nowhere else.
    page.locator("article.receipt .query-code").wait_for()
    receipt = page.locator("main").inner_text()
    case_number = re.search(r"案件编号\s*(\S+)", receipt)
    code = page.locator(".query-code").inner_text().strip()
    # The clerk is of 市院控告申诉检察部: the 市院's 代字, this year, the next serial (services/intake/numbering).
    assert case_number and re.fullmatch(r"宛检12309〔\d{4}〕[1-9]\d*号", case_number.group(1)), receipt
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{3}-?[A-HJ-KM-NP-Z2-9]{3}-?[A-HJ-KM-NP-Z2-9]{3}", code), code
    # The petitioner is masked on the receipt: the name and the ID number never in clear.
    assert VISITOR not in receipt and ID_NUMBER not in receipt
    assert "7日" in receipt or "七日" in receipt  # 12309's reply commitment
    return case_number.group(1), code


def test_clerk_registers_a_visit_and_prints_the_receipt(make_page: Any) -> None:
    checked: Checked = make_page()
    page = checked.page
    case_number, _code = _register_visit(checked)
    checked.check("receipt")
    # The script unhides the print button; printing uses the print stylesheet (no site header).
    button = page.get_by_role("button", name="打印回执")
    assert button.is_visible()
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("main").get_by_text(case_number).first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")

    # 上传信访材料 from the receipt: the answer opens in a new tab, so the receipt (and its code) stays.
    scan = files.pdf("visit scan")
    page.set_input_files("#attachment-files", files=[
        {"name": "来访材料.pdf", "mimeType": "application/pdf", "buffer": scan}])
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="上传信访材料").click()
    petition = Checked(opened.value, checked._axe_page, checked.portal)
    petition.page.wait_for_url(re.compile(r"/petitions/[0-9a-f-]{36}\?uploaded="))
    assert page.locator(".query-code").is_visible()
    confirmation = petition.page.locator(".upload-confirmation")
    assert "已上传 1 份材料：来访材料.pdf" in confirmation.inner_text()
    row = petition.page.locator("table.attachment-list tbody tr")
    assert row.count() == 1
    text = row.inner_text()
    assert "来访材料.pdf" in text and "PDF" in text and "KB" in text and "demo-12309" in text
    assert hashlib.sha256(scan).hexdigest()[:12] in text
    petition.check("petition-attachments")
    with petition.page.expect_download() as got:
        row.get_by_role("link", name=re.compile("下载")).click()
    download = got.value
    assert download.suggested_filename == "来访材料.pdf"
    assert Path(download.path()).read_bytes() == scan


def test_the_public_queries_a_status_on_a_phone(make_page: Any) -> None:
    clerk: Checked = make_page()
    case_number, code = _register_visit(clerk)

    checked: Checked = make_page(width=360, height=740)
    page = checked.page
    checked.goto("/public/")
    assert "12309" in page.locator("main").inner_text() and "12368" in page.locator("main").inner_text()
    checked.check("public-home-phone")
    page.get_by_role("link", name=re.compile("查询")).first.click()
    page.wait_for_url(re.compile(r"/public/status"))
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.fill("#case_number", case_number)
    page.fill("#query_code", "WRONGCDE")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("load")
    assert "查询结果" not in page.locator("h1").inner_text()
    page.fill("#case_number", case_number)
    page.fill("#query_code", code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "查询结果"
    assert case_number in page.locator("main").inner_text()
    # The code went in the body of a POST: never in the address or the history.
    assert code not in page.url and case_number not in page.url
    checked.check("public-status-answer")
