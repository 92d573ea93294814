"""The procuratorate's 文书号: 院代字, 检, 文书代字, 〔year〕, serial."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.identifiers import InvalidIdentifier, is_valid_doc_number, parse_doc_number
from shared.identifiers.procuratorate_doc_number import doc_types
from tests.unit.shared.identifiers.support import refusal

TODAY = date(2024, 6, 1)


def problem(value: str) -> str:
    return refusal(parse_doc_number, value, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "text", "office", "department", "code", "area"),
    [
        ("宛检刑诉〔2022〕12号", "宛检刑诉〔2022〕12号", "宛", None, "刑诉", "刑事检察"),
        ("豫检民监[2021]3号", "豫检民监〔2021〕3号", "豫", None, "民监", "民事检察"),
        ("南阳宛城检刑不诉（2022）5号", "南阳宛城检刑不诉〔2022〕5号", "南阳宛城", None, "刑不诉", "刑事检察"),
        ("宛检一部刑诉 (２０２２) 12号", "宛检一部刑诉〔2022〕12号", "宛", "一部", "刑诉", "刑事检察"),
        ("宛检不捕［2023］4号", "宛检不捕〔2023〕4号", "宛", None, "不捕", "刑事检察"),
        ("宛检公益〔2023〕9号", "宛检公益〔2023〕9号", "宛", None, "公益", "公益诉讼检察"),
        ("宛检控申〔2023〕1号", "宛检控申〔2023〕1号", "宛", None, "控申", "控告申诉检察"),
    ],
)
def test_accepted(typed: str, text: str, office: str, department: str | None, code: str, area: str) -> None:
    parsed = parse_doc_number(typed, today=TODAY)
    assert (parsed.text, parsed.office_code, parsed.department, parsed.doc_type_code, parsed.area) == (text, office, department, code, area)
    assert parse_doc_number(parsed.text, today=TODAY) == parsed


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("宛刑诉〔2022〕1号", "doc_number.format"),  # no 检
        ("宛检刑诉〔2022〕1", "doc_number.format"),
        ("宛检刑诉2022-1号", "doc_number.format"),
        ("检刑诉〔2022〕1号", "doc_number.office"),
        ("A检刑诉〔2022〕1号", "doc_number.office"),
        ("河南省南阳市宛城区检刑诉〔2022〕1号", "doc_number.office"),  # longer than a 院代字
        ("南阳市宛城区人民检察院检刑诉〔2022〕1号", "doc_number.type"),
        ("宛检刑X〔2022〕1号", "doc_number.type"),
        ("宛检〔2022〕1号", "doc_number.type"),
        ("宛检刑诉〔1977〕1号", "doc_number.year"),
        ("宛检刑诉〔2025〕1号", "doc_number.year"),
        ("宛检刑诉〔22〕1号", "doc_number.year"),
        ("宛检刑诉〔2022〕012号", "doc_number.serial"),
        ("宛检刑诉〔2022〕0号", "doc_number.serial"),
    ],
)
def test_each_refusal(value: str, code: str) -> None:
    assert problem(value) == code


@given(
    st.sampled_from(["宛", "豫", "南阳宛城", "京一分"]),
    st.sampled_from(["", "一部", "十部"]),
    st.sampled_from(sorted(doc_types())),
    st.integers(min_value=1978, max_value=TODAY.year),
    st.sampled_from(["〔〕", "[]", "（）", "()", "［］"]),
    st.integers(min_value=1, max_value=99999),
)
def test_round_trip(office: str, department: str, code: str, year: int, brackets: str, serial: int) -> None:
    parsed = parse_doc_number(f"{office}检{department}{code}{brackets[0]}{year}{brackets[1]}{serial}号", today=TODAY)
    assert parsed.text == f"{office}检{department}{code}〔{year}〕{serial}号"
    assert (parsed.office_code, parsed.doc_type_code, parsed.year, parsed.serial) == (office, code, year, serial)
    assert is_valid_doc_number(parsed.text, today=TODAY)
