"""The court's 案号 (2016 规定): year, court code, 类型代字, serial."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.identifiers import InvalidIdentifier, ensure_year_not_after, is_valid_case_number, parse_case_number
from shared.identifiers.court_case_number import case_types
from tests.unit.shared.identifiers.support import refusal

TODAY = date(2024, 6, 1)


def problem(value: str) -> str:
    return refusal(parse_case_number, value, today=TODAY)


def test_parts_of_an_intermediate_court_number() -> None:
    parsed = parse_case_number("（2022）豫13民初1234号", today=TODAY)
    assert (parsed.year, parsed.court_code, parsed.court_level, parsed.court_kind, parsed.province_code) == (2022, "豫13", "中级", None, "41")
    assert (parsed.type_code, parsed.case_class, parsed.stage, parsed.serial) == ("民初", "民事", "一审", 1234)
    assert parsed.text == "（2022）豫13民初1234号"


@pytest.mark.parametrize(
    ("typed", "text", "level", "case_class"),
    [
        ("(2023)豫1302执456号", "（2023）豫1302执456号", "基层", "执行"),
        ("（２０２１）最高法民申１２３号", "（2021）最高法民申123号", "最高", "民事"),
        ("（2020） 豫民终 1号", "（2020）豫民终1号", "高级", "民事"),
        ("（2022）豫13刑终7号", "（2022）豫13刑终7号", "中级", "刑事"),
        ("（2021）最高法刑核8号", "（2021）最高法刑核8号", "最高", "刑事"),
        ("（2022）豫1302行初3号", "（2022）豫1302行初3号", "基层", "行政"),
        ("（2022）豫13委赔2号", "（2022）豫13委赔2号", "中级", "赔偿"),
        ("（2022）豫13破申1号", "（2022）豫13破申1号", "中级", "破产"),
        ("（2021）川01财保17号", "（2021）川01财保17号", "中级", "其他"),
        ("（2021）川0104民诉前调801号", "（2021）川0104民诉前调801号", "基层", "民事"),
        ("（2022）豫1302执异12号", "（2022）豫1302执异12号", "基层", "执行"),
        ("（2021）最高法知民终5号", "（2021）最高法知民终5号", "最高", "民事"),
    ],
)
def test_each_class(typed: str, text: str, level: str, case_class: str) -> None:
    parsed = parse_case_number(typed, today=TODAY)
    assert (parsed.text, parsed.court_level, parsed.case_class) == (text, level, case_class)
    assert parse_case_number(parsed.text, today=TODAY) == parsed


@pytest.mark.parametrize(
    ("typed", "kind", "province"),
    [("（2021）沪74民初3号", "金融法院", "31"), ("（2022）津72民初5号", "海事法院", "12"), ("（2022）豫7101刑初9号", "铁路运输法院", "41"), ("（2019）兵0101民初2号", "兵团", "65"), ("（2019）黔01民初2号", None, "52"), ("（2019）内01民初2号", None, "15")],
)
def test_special_courts_and_the_court_abbreviations(typed: str, kind: str | None, province: str) -> None:
    parsed = parse_case_number(typed, today=TODAY)
    assert (parsed.court_kind, parsed.province_code) == (kind, province)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("〔2022〕豫13民初1号", "case_number.format"),  # 〔〕 is for 文书号, not 案号
        ("[2022]豫13民初1号", "case_number.format"),
        ("（2022）豫13民初1234", "case_number.format"),
        ("2022豫13民初1号", "case_number.format"),
        ("（2015）宛民初字第123号", "case_number.year"),
        ("（2025）豫13民初1号", "case_number.year"),
        ("（22）豫13民初1号", "case_number.year"),
        ("（2022）XX13民初1号", "case_number.court"),
        ("（2022）豫131民初1号", "case_number.court"),
        ("（2022）贵01民初1号", "case_number.court"),
        ("（2022）豫13民X1号", "case_number.type"),
        ("（2022）豫13商初1号", "case_number.type"),  # 商事 cases carry 民 codes
        ("（2022）豫13号", "case_number.type"),
        ("（2022）豫13民初0123号", "case_number.serial"),
        ("（2022）豫13民初0号", "case_number.serial"),
    ],
)
def test_each_refusal(value: str, code: str) -> None:
    assert problem(value) == code


def test_year_not_after_a_given_date() -> None:
    parsed = parse_case_number("（2022）豫13民初1号", today=TODAY)
    ensure_year_not_after(parsed, date(2022, 1, 1))
    with pytest.raises(InvalidIdentifier) as caught:
        ensure_year_not_after(parsed, date(2021, 12, 31))
    assert caught.value.code == "case_number.year"


def test_the_type_table_covers_every_class_and_has_unique_codes() -> None:
    types = case_types()
    assert {t.case_class for t in types.values()} == {"刑事", "民事", "行政", "赔偿", "执行", "破产", "其他"}
    assert all(t.code and t.stage and t.name for t in types.values())


@given(
    st.integers(min_value=2016, max_value=TODAY.year),
    st.sampled_from(["最高法", "豫", "豫13", "豫1302", "京0491", "沪74"]),
    st.sampled_from(sorted(case_types())),
    st.integers(min_value=1, max_value=10**6),
    st.booleans(),
)
def test_round_trip(year: int, court: str, type_code: str, serial: int, ascii_parentheses: bool) -> None:
    opening, closing = ("(", ")") if ascii_parentheses else ("（", "）")
    parsed = parse_case_number(f"{opening}{year}{closing}{court}{type_code}{serial}号", today=TODAY)
    assert (parsed.year, parsed.court_code, parsed.type_code, parsed.serial) == (year, court, type_code, serial)
    assert parsed.text == f"（{year}）{court}{type_code}{serial}号"
    assert is_valid_case_number(parsed.text, today=TODAY)
