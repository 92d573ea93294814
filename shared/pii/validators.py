"""Check digits of the 公民身份号码 (GB 11643-1999) and the 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # index = weighted sum mod 11
_ID_RE = re.compile(r"^\d{17}[\dX]$")

# GB 32100: 31 characters, no I, O, Z, S, V (they look like digits).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    """An 18-digit 居民身份证号码 with a real birth date and the right check character."""
    value = value.strip().upper()
    if not _ID_RE.match(value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > date.today():
        return False
    return id_check_digit(value[:17]) == value[17]


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    """An 18-character 统一社会信用代码 whose last character is the GB 32100 check character."""
    value = value.strip().upper()
    if not _USCC_RE.match(value):
        return False
    return credit_code_check_char(value[:17]) == value[17]


def is_valid_mobile(value: str) -> bool:
    """A mainland mobile number (11 digits starting 13–19); landlines are accepted elsewhere."""
    return bool(_MOBILE_RE.match(value.strip()))
