"""居民身份证号码: GB 11643 check character, birth date, GB/T 2260 province and prefecture."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.identifiers import InvalidIdentifier, Sex, is_valid_id_number, parse_id_number
from shared.identifiers.divisions import prefecture
from shared.pii import is_valid_id_number as pii_is_valid_id_number
from tests.unit.shared.identifiers.support import refusal

TODAY = date(2024, 6, 1)


def iso7064_mod_11_2(first17: str) -> str:
    """The check character written from ISO 7064 itself: weights 2^(17-i) mod 11, (12 - sum) mod 11."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def complete(first17: str) -> str:
    return first17 + iso7064_mod_11_2(first17)


def problem(value: str, today: date = TODAY) -> str:
    return refusal(parse_id_number, value, today=today)


def test_published_example_and_parts() -> None:
    # GB 11643-1999's own example number.
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31) and parsed.sex is Sex.FEMALE
    assert (parsed.province_code, parsed.province_name, parsed.prefecture_code) == ("11", "北京市", "1101")
    assert not parsed.residence_permit


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [("41130219900101121x", "41130219900101121X"), (" 4113 0219 9001 0112 36 ", "411302199001011236"), ("４１１３０２１９９００１０１１２３６", "411302199001011236")],
)
def test_normalisation(typed: str, normalised: str) -> None:
    assert parse_id_number(typed, today=TODAY).number == normalised


def test_sex_from_the_order_code() -> None:
    assert parse_id_number(complete("41130219900101123"), today=TODAY).sex is Sex.MALE
    assert parse_id_number(complete("41130219900101124"), today=TODAY).sex is Sex.FEMALE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("4113021990010112", "id_number.length"),
        ("4113021990010112361", "id_number.length"),
        ("41130219900101123Y", "id_number.characters"),
        ("4113021990O101123X", "id_number.characters"),
        ("411302199001011237", "id_number.check_character"),
        (complete("41130219900230123"), "id_number.birth_date"),  # 30 February
        (complete("41130218991231123"), "id_number.birth_date"),  # before 1900
        (complete("41130220240602123"), "id_number.birth_date"),  # tomorrow
        (complete("99999919900101123"), "id_number.province"),  # the address code that used to pass
        (complete("71000019900101123"), "id_number.province"),  # 台湾省: no number is issued under 71
        (complete("91000019900101123"), "id_number.province"),
        (complete("41990019900101123"), "id_number.prefecture"),
        (complete("11990019900101123"), "id_number.prefecture"),
    ],
)
def test_each_refusal(value: str, code: str) -> None:
    assert problem(value) == code


def test_birth_date_today_is_accepted_and_today_defaults_to_beijing() -> None:
    assert parse_id_number(complete("41130220240601123"), today=TODAY).birth_date == TODAY
    assert problem(complete("41130230000101123"), today=date.today()) == "id_number.birth_date"
    with pytest.raises(InvalidIdentifier):
        parse_id_number(complete("41130230000101123"))


@pytest.mark.parametrize(
    ("first6", "name"),
    [
        ("342601", "巢湖地区"),  # abolished: became 3414 巢湖市 in 1999, itself abolished in 2011
        ("341421", "巢湖市"),
        ("412901", "南阳地区"),  # became 4113 南阳市 in 1994
        ("422401", "荆州地区"),
        ("512501", "宜宾地区"),
        ("371201", "莱芜市"),  # merged into 济南 in 2019
        ("419001", "省直辖县级行政区划"),
        ("429004", "省直辖县级行政区划"),
        ("469001", "省直辖县级行政区划"),
        ("659001", "自治区直辖县级行政区划"),
        ("110228", "县"),  # 北京 密云县 before 2015
        ("500230", "县"),
    ],
)
def test_historical_and_grouping_prefectures_are_accepted(first6: str, name: str) -> None:
    parsed = parse_id_number(complete(first6 + "19800101123"), today=TODAY)
    assert parsed.prefecture_code == first6[:4]
    found = prefecture(first6[:4])
    assert found is not None and name in found.names


def test_abolished_prefecture_is_marked_not_current() -> None:
    chaohu, nanyang = prefecture("3426"), prefecture("4113")
    assert chaohu is not None and not chaohu.current and chaohu.last_revision < "2000"
    assert nanyang is not None and nanyang.current and nanyang.name == "南阳市"


@pytest.mark.parametrize(("first6", "region"), [("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("830000", "台湾地区")])
def test_residence_permit_numbers(first6: str, region: str) -> None:
    parsed = parse_id_number(complete(first6 + "19900101123"), today=TODAY)
    assert parsed.residence_permit and parsed.province_name == region and parsed.prefecture_code is None
    assert problem(complete(first6[:2] + "010119900101123")) == "id_number.province"  # only the whole code


def test_pii_keeps_its_contract() -> None:
    assert pii_is_valid_id_number("411302199001011236") and pii_is_valid_id_number(" 41130219900101121x")
    assert not pii_is_valid_id_number(complete("99999919900101123"))
    assert not pii_is_valid_id_number("4113 02199001011236")  # a caller storing what it checked stores no space


valid_numbers = st.builds(
    lambda region, born, order: complete(region + born.strftime("%Y%m%d") + f"{order:03d}"),
    st.sampled_from(["411302", "110105", "342601", "659001", "540102"]),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


@given(valid_numbers, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_substitution_breaks_the_check_character(number: str, position: int, shift: int) -> None:
    assert is_valid_id_number(number, today=TODAY)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    current = alphabet.index(number[position])
    changed = alphabet[(current + shift) % len(alphabet)]
    if changed == number[position]:
        return
    mutated = number[:position] + changed + number[position + 1 :]
    assert problem(mutated) == "id_number.check_character"


@given(valid_numbers)
def test_normalisation_round_trips(number: str) -> None:
    parsed = parse_id_number(number.lower(), today=TODAY)
    assert parsed.number == number
    assert parse_id_number(parsed.number, today=TODAY) == parsed
