"""Phone numbers: mobile, landline with area code and extension, 400/800; hotlines refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.identifiers import InvalidIdentifier, PhoneKind, is_valid_phone, parse_phone
from shared.pii import is_valid_mobile


@pytest.mark.parametrize(
    ("typed", "number", "kind"),
    [
        ("13800138000", "13800138000", PhoneKind.MOBILE),
        ("+86 138 0013 8000", "13800138000", PhoneKind.MOBILE),
        ("0086-13800138000", "13800138000", PhoneKind.MOBILE),
        ("8613800138000", "13800138000", PhoneKind.MOBILE),
        ("138-0013-8000", "13800138000", PhoneKind.MOBILE),
        ("１９９１２３４５６７８", "19912345678", PhoneKind.MOBILE),
        ("0377-63123456", "0377-63123456", PhoneKind.LANDLINE),
        ("(0377)63123456", "0377-63123456", PhoneKind.LANDLINE),
        ("（0377）6312345", "0377-6312345", PhoneKind.LANDLINE),
        ("01062345678", "010-62345678", PhoneKind.LANDLINE),
        ("021 6234 5678", "021-62345678", PhoneKind.LANDLINE),
        ("+86 377 63123456", "0377-63123456", PhoneKind.LANDLINE),
        ("0377-63123456-1234", "0377-63123456-1234", PhoneKind.LANDLINE),
        ("0377-63123456转8", "0377-63123456-8", PhoneKind.LANDLINE),
        ("400-123-4567", "4001234567", PhoneKind.SERVICE),
        ("800 123 4567", "8001234567", PhoneKind.SERVICE),
    ],
)
def test_accepted_and_normalised(typed: str, number: str, kind: PhoneKind) -> None:
    parsed = parse_phone(typed)
    assert (parsed.number, parsed.kind) == (number, kind)
    assert parse_phone(parsed.number) == parsed  # the normalised form parses to itself


def test_landline_parts() -> None:
    parsed = parse_phone("0377-63123456转1234")
    assert (parsed.area_code, parsed.local_number, parsed.extension) == ("0377", "63123456", "1234")


@pytest.mark.parametrize(
    "typed",
    ["12309", "12368", "12345", "110", "95588", "63123456", "12800138000", "1380013800", "0377-0123456",
     "0377-123456", "+1 415 555 1234", "", "+86 400 1234567", "0377-63123456-1234567", "abc"],
)
def test_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        parse_phone(typed)
    assert caught.value.code == "phone.format"
    assert caught.value.problem.message_zh and caught.value.problem.message_en


def test_hotline_message_says_why() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        parse_phone("12309")
    assert "热线" in caught.value.message_zh


def test_pii_is_valid_mobile_keeps_the_eleven_digit_contract() -> None:
    assert is_valid_mobile("13800138000") and not is_valid_mobile("12800138000")
    assert not is_valid_mobile("+86 13800138000") and is_valid_phone("+86 13800138000")


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", "+86", "0086", "86"]), st.sampled_from(["", " ", "-"]))
def test_mobile_round_trip(second: str, rest: str, prefix: str, separator: str) -> None:
    number = "1" + second + rest
    typed = prefix + separator + separator.join([number[:3], number[3:7], number[7:]])
    assert parse_phone(typed).number == number
