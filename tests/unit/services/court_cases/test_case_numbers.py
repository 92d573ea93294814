"""The 案号 adapter: normalised by shared/identifiers, and the case type its 类型代字 allows."""

from __future__ import annotations

import pytest

from services.intake.court_cases import case_numbers
from services.intake.court_cases.case_numbers import CaseTypeMismatch
from shared.identifiers import InvalidIdentifier


def test_the_number_is_normalised() -> None:
    number = case_numbers.parse(" (2022)豫13民初１２３４号 ")
    assert number.text == "（2022）豫13民初1234号"
    assert (number.court_code, number.type_code, number.serial) == ("豫13", "民初", 1234)


@pytest.mark.parametrize(("value", "code"), [
    ("2022豫13民初1234号", "case_number.format"),
    ("（2015）宛民初字第123号", "case_number.year"),
    ("（2022）豫13民鸡1234号", "case_number.type"),
    ("（2022）豫13民初0123号", "case_number.serial"),
])
def test_a_bad_number_names_its_problem_and_the_field(value: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        case_numbers.parse(value)
    assert caught.value.code == code
    assert caught.value.details == {"case_number": [code]}


@pytest.mark.parametrize(("number", "case_type"), [
    ("（2022）豫13民初1号", "民事"), ("（2022）豫13民初1号", "商事"), ("（2022）豫13民终1号", "商事"),
    ("（2022）豫1302执1号", "执行"), ("（2022）豫13行初1号", "行政"), ("（2022）豫13刑初1号", "刑事"),
    ("（2022）豫13破1号", "商事"),
    # 国家赔偿 and 其他 say nothing of the flag's types: any is accepted.
    ("（2022）豫13委赔1号", "行政"), ("（2022）豫13委赔1号", "民事"),
])
def test_consistent_types_pass(number: str, case_type: str) -> None:
    case_numbers.check_case_type(case_numbers.parse(number), case_type)


@pytest.mark.parametrize(("number", "case_type"), [
    ("（2022）豫13民初1号", "执行"), ("（2022）豫13民初1号", "刑事"), ("（2022）豫1302执1号", "民事"),
    ("（2022）豫13行初1号", "商事"), ("（2022）豫13刑初1号", "民事"), ("（2022）豫13破1号", "民事"),
])
def test_a_type_the_number_contradicts_is_refused(number: str, case_type: str) -> None:
    with pytest.raises(CaseTypeMismatch) as caught:
        case_numbers.check_case_type(case_numbers.parse(number), case_type)
    assert caught.value.code == "court_case.case_type_mismatch"
    assert "case_type" in caught.value.details
