"""The downloadable import template: XLSX (header row, a 说明 sheet, drop-down lists) and CSV (header row)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from services.review.cases.hanging import layout
from services.review.cases.hanging.layout import CHOICE, DATE

SHEET = "挂案"
EXAMPLE = {
    "case_number": "宛公经立字〔2026〕15号", "investigating_organ": "南阳市公安局经济犯罪侦查支队",
    "case_title": "某某科技有限公司涉嫌合同诈骗案", "charge": "合同诈骗罪", "filed_on": "2026-03-15",
    "enterprise_name": "南阳某某科技有限公司", "enterprise_credit_code": "91411300MA44XXXXXX（18位）",
    "suspect1_name": "张某", "suspect1_role": "法定代表人", "measure1_kind": "取保候审",
    "measure1_started_on": "2026-03-20", "measure1_ends_on": "2027-03-19",
    "property1_kind": "冻结", "property1_description": "对公账户存款", "property1_amount": "1200000.00",
}


def xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(layout.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
        if column.kind == CHOICE:
            # A drop-down of the words the import accepts (typing another word is refused by Excel too).
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="取值无效", error="请从下拉列表中选择")
            rule.add(f"{letter}2:{letter}20001")
            sheet.add_data_validation(rule)
        elif column.kind == DATE:
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    notes.append(["列名", "必填", "类型", "说明", "示例"])
    for cell in notes[1]:
        cell.font = bold
    kinds = {"text": "文字", "date": "日期", "amount": "金额", "choice": "下拉选择"}
    for column in layout.COLUMNS:
        mark = "是" if column.required and column.key in {c.key for c in layout.CASE_COLUMNS} else (
            "同组必填" if column.required else "否")
        notes.append([column.header, mark, kinds[column.kind], column.note, EXAMPLE.get(column.key, "")])
    notes.append([])
    notes.append(["规则", "", "", "每行一个案件；嫌疑人、强制措施、涉案财物各最多3组（列名中的1、2、3），"
                  "多于3组的请导入后在案件页补录。某组任一列有值，该组标“同组必填”的列须填写。"])
    notes.append(["", "", "", "任何一行有错误时整个文件都不导入；错误清单列明行号、列名和原因。"])
    notes.append(["", "", "", "同一文件重复导入不会重复登记；侦查机关+案号相同的案件视为同一案件，"
                  "内容有变化的按新内容更新并留痕，已清理的案件不能通过导入修改。"])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["D"].width = 80
    notes.column_dimensions["E"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes() -> bytes:
    """The header row, UTF-8 with a BOM (Excel then opens the Chinese headers correctly)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(layout.HEADERS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
