"""Reading and checking import files without a database: good, bad and mixed files in both formats."""

from __future__ import annotations

from datetime import date

import pytest

from services.review.cases.hanging import files, importing, layout
from services.review.cases.hanging.rows import normalise_case_number, parse_amount, parse_date
from tests.support.hanging import csv_file, id_number, row, xlsx

TODAY = date(2026, 12, 4)


def _parse(data: bytes) -> importing.Parsed:
    return importing.parse(files.read(data), today=TODAY)


def _codes(parsed: importing.Parsed) -> set[tuple[int | None, str | None, str]]:
    return {(p.row, p.column, p.code) for p in parsed.problems}


@pytest.mark.parametrize("make", [xlsx, csv_file, lambda rows: csv_file(rows, bom=True),
                                  lambda rows: csv_file(rows, encoding="gb18030")],
                         ids=["xlsx", "csv-utf8", "csv-bom", "csv-gb18030"])
def test_a_good_file_reads_every_row_in_each_format(make) -> None:  # type: ignore[no-untyped-def]
    parsed = _parse(make([row(1), row(2), row(3, 嫌疑人2姓名="李某", 嫌疑人2企业职务="高管")]))
    assert parsed.problems == []
    assert [r.row for r in parsed.rows] == [2, 3, 4]
    first = parsed.rows[0].case
    assert first.case_number == "宛公经立字〔2024〕1号" and first.filed_on == date(2024, 3, 15)
    assert first.suspects[0].role == "legal_representative" and first.suspects[0].id_number == id_number(1)
    assert first.measures[0].kind == "bail" and first.measures[0].ends_on == date(2025, 1, 9)
    assert first.property[0].kind == "frozen" and str(first.property[0].amount) == "1200000.00"
    assert [s.name for s in parsed.rows[2].case.suspects] == ["张3", "李某"]


def test_the_encodings_are_told_apart() -> None:
    assert files.read(csv_file([row(1)], bom=True)).encoding == "utf-8-sig"
    assert files.read(csv_file([row(1)])).encoding == "utf-8"
    assert files.read(csv_file([row(1)], encoding="gb18030")).encoding == "gb18030"
    assert files.read(xlsx([row(1)])).file_format == "xlsx"


def test_excel_date_cells_are_dates() -> None:
    parsed = _parse(xlsx([row(1, 立案日期=date(2024, 3, 15), 强制措施1开始日期=date(2024, 3, 20))]))
    assert parsed.problems == [] and parsed.rows[0].case.measures[0].started_on == date(2024, 3, 20)


BAD_ROWS = [
    # (overrides, column, code)
    ({"立案日期": "2024-02-30"}, "立案日期", "hanging_import.no_such_date"),
    ({"立案日期": "15/03/2024"}, "立案日期", "hanging_import.bad_date"),
    ({"立案日期": "2027-01-05", "案号": "宛公经立字〔2027〕9号"}, "立案日期", "hanging.filed_in_future"),
    ({"案号": "第15号"}, "案号", "hanging.bad_case_number"),
    ({"案号": "宛公经立字〔2023〕1号"}, "案号", "hanging.case_number_year"),
    ({"罪名": None}, "罪名", "hanging_import.required"),
    ({"统一社会信用代码": "91411300000000001A"}, "统一社会信用代码", "credit_code.check_character"),
    ({"嫌疑人1身份证号": "411302198001010011"}, "嫌疑人1身份证号", "id_number.check_character"),
    ({"嫌疑人1企业职务": "股东"}, "嫌疑人1企业职务", "hanging_import.bad_choice"),
    ({"强制措施1种类": "软禁"}, "强制措施1种类", "hanging_import.bad_choice"),
    ({"强制措施1开始日期": None}, "强制措施1开始日期", "hanging_import.required"),
    ({"强制措施1开始日期": "2024-03-01"}, "强制措施1开始日期", "hanging.measure_before_filing"),
    ({"强制措施1到期日期": "2024-03-10"}, "强制措施1到期日期", "hanging.end_before_start"),
    ({"强制措施1到期日期": "2025-03-21"}, "强制措施1到期日期", "hanging.term_too_long"),
    ({"强制措施1解除日期": "2026-12-05"}, "强制措施1解除日期", "hanging.lifted_out_of_range"),
    ({"强制措施1解除日期": "2024-03-19"}, "强制措施1解除日期", "hanging.lifted_out_of_range"),
    ({"强制措施1对象": "王五"}, "强制措施1对象", "hanging.unknown_suspect"),
    ({"涉案财物1金额": "-5"}, "涉案财物1金额", "hanging_import.negative_amount"),
    ({"涉案财物1金额": "1.234"}, "涉案财物1金额", "hanging_import.amount_precision"),
    ({"涉案财物1金额": "一百万"}, "涉案财物1金额", "hanging_import.bad_amount"),
    ({"涉案财物1描述": None}, "涉案财物1描述", "hanging_import.required"),
    ({"涉案财物1查扣日期": "2024-04-01", "涉案财物1返还日期": "2024-03-31"}, "涉案财物1返还日期",
     "hanging.returned_out_of_range"),
    ({"侦查终结日期": "2024-03-01"}, "侦查终结日期", "hanging.concluded_out_of_range"),
]


@pytest.mark.parametrize("make", [xlsx, csv_file], ids=["xlsx", "csv"])
@pytest.mark.parametrize(("overrides", "column", "code"), BAD_ROWS, ids=[b[2] + ":" + b[1] for b in BAD_ROWS])
def test_each_rule_names_its_row_and_column(make, overrides, column, code) -> None:  # type: ignore[no-untyped-def]
    parsed = _parse(make([row(1), row(2, **overrides)]))
    assert (3, column, code) in _codes(parsed)
    assert all(p.row == 3 for p in parsed.problems)
    problem = next(p for p in parsed.problems if p.code == code)
    assert problem.message_zh and problem.message_en
    assert problem.column_letter is not None
    assert problem.column_letter == importing.get_column_letter(files.read(make([row(1)])).headers.index(column) + 1) \
        if column in files.read(make([row(1)])).headers else True


def test_a_mixed_file_reports_every_bad_row_and_no_good_row() -> None:
    parsed = _parse(xlsx([row(1), row(2, 立案日期="昨天"), row(3), row(4, 嫌疑人1企业职务="股东", 罪名=None)]))
    assert _codes(parsed) == {(3, "立案日期", "hanging_import.bad_date"), (5, "嫌疑人1企业职务", "hanging_import.bad_choice"),
                              (5, "罪名", "hanging_import.required")}


def test_a_case_twice_in_one_file_is_refused_on_its_second_row() -> None:
    parsed = _parse(csv_file([row(1), row(2), row(1, 案件名称="另一个名称")]))
    assert _codes(parsed) == {(4, "案号", "hanging_import.duplicate_in_file")}


def test_headers_unknown_missing_or_twice() -> None:
    good = row(1)
    parsed = _parse(csv_file([{**good, "负责人": "x"}]))
    assert (1, "负责人", "hanging_import.unknown_column") in _codes(parsed)
    no_charge = {k: v for k, v in good.items() if k != "罪名"}
    assert (1, "罪名", "hanging_import.missing_column") in _codes(_parse(xlsx([no_charge])))
    heads = [*layout.HEADERS[:10], "案号"]
    assert (1, "案号", "hanging_import.duplicate_column") in _codes(_parse(csv_file([good], headers=heads)))
    # A group partly present: 强制措施1种类 without its 开始日期 column.
    partial = {k: v for k, v in good.items() if k != "强制措施1开始日期"}
    assert (1, "强制措施1开始日期", "hanging_import.missing_column") in _codes(_parse(csv_file([partial])))


@pytest.mark.parametrize(("data", "code"), [
    (b"", "hanging_import.empty_file"),
    ("案号,侦查机关\r\n".encode(), "hanging_import.no_rows"),
    (b"PK\x03\x04not a zip at all", "hanging_import.bad_xlsx"),
    (b"\xff\xfe\x00\x00\x81", "hanging_import.bad_encoding"),
])
def test_unreadable_files(data: bytes, code: str) -> None:
    with pytest.raises(files.FileProblem) as caught:
        files.read(data)
    assert caught.value.code == code and caught.value.message_zh


def test_blank_rows_are_skipped_and_row_numbers_kept() -> None:
    data = xlsx([row(1), {}, row(2, 立案日期="x")])
    parsed = _parse(data)
    assert _codes(parsed) == {(4, "立案日期", "hanging_import.bad_date")}


def test_cells() -> None:
    assert parse_date("2026年3月5日") == parse_date("2026/3/5") == parse_date("2026.03.05") == date(2026, 3, 5)
    assert str(parse_amount("1,200.5")) == "1200.50"
    assert normalise_case_number("宛公经立字[2026]015号") == "宛公经立字〔2026〕15号"
    assert normalise_case_number(" a41130000000020240500 01".replace(" ", "")) == "A4113000000002024050001"
