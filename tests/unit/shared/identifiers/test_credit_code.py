"""统一社会信用代码: GB 32100 check character, authority and type, division."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.identifiers import InvalidIdentifier, is_valid_credit_code, parse_credit_code
from shared.pii import is_valid_credit_code as pii_is_valid_credit_code
from tests.unit.shared.identifiers.support import refusal

LETTERS = "ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 表2: A=10 … Y=30, without I O S V Z
VALUES = {**{str(d): d for d in range(10)}, **{c: 10 + i for i, c in enumerate(LETTERS)}}
CHARACTERS = {v: c for c, v in VALUES.items()}


def gb32100_check(first17: str) -> str:
    """The check character as the standard states it: C18 = 31 - (Σ Ci × 3^(i-1) mod 31) mod 31."""
    total = sum(VALUES[c] * pow(3, i, 31) for i, c in enumerate(first17)) % 31
    return CHARACTERS[(31 - total) % 31]


def complete(first17: str) -> str:
    return first17 + gb32100_check(first17)


def problem(value: str) -> str:
    return refusal(parse_credit_code, value)


@pytest.mark.parametrize("value", ["91411302MA44TFGN0Q", "91350100M000100Y43", "91110000802100433B"])
def test_examples_in_the_repo_and_a_published_one(value: str) -> None:
    assert is_valid_credit_code(value) and pii_is_valid_credit_code(value)
    assert value[-1] == gb32100_check(value[:17])


def test_parts() -> None:
    parsed = parse_credit_code(" 91411302ma44tfgn0q ")
    assert parsed.code == "91411302MA44TFGN0Q"
    assert (parsed.authority_code, parsed.authority_name, parsed.type_code, parsed.type_name) == ("9", "工商（市场监督管理）", "1", "企业")
    assert (parsed.division_code, parsed.province_code, parsed.province_name) == ("411302", "41", "河南省")
    assert parsed.organisation_code == "MA44TFGN0"


@pytest.mark.parametrize(
    ("first17", "authority", "kind"),
    [
        ("11411300MB1234567", "机构编制", "机关"),
        ("12100000400000624", "机构编制", "事业单位"),
        ("31411300MD1234567", "司法行政", "律师执业机构"),
        ("51411302MJ1234567", "民政", "社会团体"),
        ("53100000500021676", "民政", "基金会"),
        ("92411302MA1234567", "工商（市场监督管理）", "个体工商户"),
        ("93411302MA1234567", "工商（市场监督管理）", "农民专业合作社"),
        ("N2411302MF1234567", "农业", "村级集体经济组织"),
        ("81411300MC1234567", "工会", "基层工会"),
    ],
)
def test_authorities_and_types(first17: str, authority: str, kind: str) -> None:
    parsed = parse_credit_code(complete(first17))
    assert (parsed.authority_name, parsed.type_name) == (authority, kind)


def test_national_registration_has_no_province() -> None:
    parsed = parse_credit_code(complete("12100000400000624"))
    assert parsed.division_code == "100000" and parsed.province_code is None


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91411302MA44TFGN0", "credit_code.length"),
        ("91411302MA44TFGNOQ", "credit_code.characters"),  # the letter O
        ("91411302MA44TFGNIQ", "credit_code.characters"),
        ("91411302MA44TFGN0A", "credit_code.check_character"),
        (complete("B1411302MA44TFGN0"), "credit_code.authority"),
        (complete("94411302MA44TFGN0"), "credit_code.type"),  # 工商 has no type 4
        (complete("54411302MA44TFGN0"), "credit_code.type"),
        (complete("91991302MA44TFGN0"), "credit_code.division"),
        (complete("91419902MA44TFGN0"), "credit_code.division"),
        (complete("91A11302MA44TFGN0"), "credit_code.division"),
        (complete("91710000MA44TFGN0"), "credit_code.division"),
    ],
)
def test_each_refusal(value: str, code: str) -> None:
    assert problem(value) == code


def test_historical_prefecture_and_province_level_divisions() -> None:
    assert parse_credit_code(complete("91342600MA44TFGN0")).division_code == "342600"  # 巢湖地区
    assert parse_credit_code(complete("91410000MA44TFGN0")).province_code == "41"


valid_codes = st.builds(
    lambda head, division, body: complete(head + division + body),
    st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "53", "N1", "Y1"]),
    st.sampled_from(["411302", "411300", "410000", "100000", "342600", "110105"]),
    st.text(alphabet="0123456789" + LETTERS, min_size=9, max_size=9),
)


@given(valid_codes, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
def test_any_single_substitution_breaks_the_check_character(code: str, position: int, shift: int) -> None:
    assert is_valid_credit_code(code)
    changed = CHARACTERS[(VALUES[code[position]] + shift) % 31]
    mutated = code[:position] + changed + code[position + 1 :]
    assert problem(mutated) == "credit_code.check_character"


@given(valid_codes)
def test_normalisation_round_trips(code: str) -> None:
    parsed = parse_credit_code(" " + code.lower())
    assert parsed.code == code and parse_credit_code(parsed.code) == parsed
