"""涉企挂案 import in Chromium: 捕诉's prosecutor uploads an XLSX with mistakes, reads the table of rows and
columns at fault (nothing imported), uploads the corrected file and sees the imported cases, then opens one."""

from __future__ import annotations

import re
from pathlib import Path
from datetime import date
from typing import Any

import pytest

from tests.browser.conftest import Checked, Portal, nav_link, sign_in
from tests.support.hanging import row, xlsx

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(name: str, data: bytes) -> dict[str, Any]:
    return {"name": name, "mimeType": XLSX_TYPE, "buffer": data}


def test_prosecutor_fixes_a_bad_import_and_imports_it(make_page: Any, portal: Portal) -> None:
    good = [row(700 + n, filed_on=date(2023, 5, 8))
            for n in range(1, 4)]
    bad = [good[0], {**good[1], "立案日期": "2023-02-30"}, {**good[2], "嫌疑人1企业职务": "股东", "强制措施1到期日期": "2024-12-31"}]

    prosecutor: Checked = make_page()
    sign_in(prosecutor, "demo-prosecutor")
    nav_link(prosecutor, "挂案导入").click()
    prosecutor.page.wait_for_url(re.compile(r"/hanging-cases/import$"))
    assert prosecutor.page.get_by_role("link", name="下载 XLSX 模板").is_visible()
    prosecutor.check("hanging-import-empty")

    prosecutor.page.set_input_files("#import-file", _file("挂案-有误.xlsx", xlsx(bad)))
    with prosecutor.page.expect_navigation():
        prosecutor.page.get_by_role("button", name="导入").click()
    table = prosecutor.page.locator("table#import-problems")
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    texts = [rows.nth(i).inner_text() for i in range(3)]
    assert texts[0].startswith("3") and "立案日期" in texts[0] and "日期不存在" in texts[0]
    assert any("嫌疑人1企业职务" in t and t.startswith("4") for t in texts)
    assert any("强制措施1到期日期" in t and "12个月" in t for t in texts)
    assert "未导入" in prosecutor.page.locator("h2#h-problems").inner_text()
    prosecutor.check("hanging-import-problems")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prosecutor.page.screenshot(path=str(SCREENSHOTS / "hanging-import-problems-desktop.png"), full_page=True)

    prosecutor.page.set_input_files("#import-file", _file("挂案-已改正.xlsx", xlsx(good)))
    with prosecutor.page.expect_navigation():
        prosecutor.page.get_by_role("button", name="导入").click()
    result = prosecutor.page.locator("section.import-result")
    assert "导入成功" in result.inner_text() and "新登记 3 件" in result.inner_text()
    cases = prosecutor.page.locator("table#imported-cases tbody tr")
    assert cases.count() == 3 and "宛公经立字〔2023〕701号" in cases.nth(0).inner_text()
    assert "挂案-已改正.xlsx" in prosecutor.page.locator("table#import-batches").inner_text()
    prosecutor.check("hanging-import-done")
    prosecutor.page.screenshot(path=str(SCREENSHOTS / "hanging-import-done-desktop.png"), full_page=True)

    cases.nth(0).get_by_role("link").click()
    prosecutor.page.wait_for_url(re.compile(r"/hanging-cases/[0-9a-f-]{36}$"))
    main = prosecutor.page.locator("main").inner_text()
    assert "宛公经立字〔2023〕701号" in main and "取保候审" in main and "4113" in main and "未解除" in main
    prosecutor.check("hanging-case")
