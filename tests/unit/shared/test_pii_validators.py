"""GB 11643 and GB 32100 check characters, and masking."""

from __future__ import annotations

import pytest

from shared.pii import is_valid_credit_code, is_valid_id_number, is_valid_mobile, mask_id_number, mask_name, mask_phone
from shared.pii.validators import credit_code_check_char, id_check_digit


@pytest.mark.parametrize("value", ["11010519491231002X", "411302199001011236"])
def test_valid_id_numbers(value: str) -> None:
    assert is_valid_id_number(value)
    assert is_valid_id_number(value.lower())


@pytest.mark.parametrize(
    "value",
    ["11010519491231002Y", "110105194912310021", "41130219900230123X", "4113021990010112", "41130230000101123X"],
)
def test_invalid_id_numbers(value: str) -> None:
    assert not is_valid_id_number(value)


def test_every_wrong_check_digit_is_refused() -> None:
    first17 = "41130219900101123"
    right = id_check_digit(first17)
    for c in "0123456789X":
        assert is_valid_id_number(first17 + c) is (c == right)


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91411302MA44TFGN0Q"])
def test_valid_credit_codes(value: str) -> None:
    assert is_valid_credit_code(value)


def test_credit_code_alphabet_and_check_char() -> None:
    assert not is_valid_credit_code("91411302MA44TFGN0A")
    assert not is_valid_credit_code("91411302MA44TFGNOQ")  # the letter O is not in the alphabet
    assert credit_code_check_char("91411302MA44TFGN0") == "Q"


def test_masks() -> None:
    assert mask_id_number("411302199001011236") == "4113**********1236"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_id_number(None) is None
    assert is_valid_mobile("13800138000") and not is_valid_mobile("12800138000")
