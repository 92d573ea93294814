"""居民身份证号码 (公民身份号码, GB 11643-1999) and the 港澳台居民居住证 numbers built the same way.

Eighteen characters: a six-digit 地址码 (GB/T 2260, the county where the number was first issued),
the eight-digit 出生日期码 (YYYYMMDD), a three-digit 顺序码 (odd for men, even for women) and the
校验码, ISO 7064 MOD 11-2 over the first seventeen, written X for ten.

What is refused, in this order (the first rule broken names the problem):

* `id_number.length` — not 18 characters once spaces are removed;
* `id_number.characters` — not 17 digits and a digit or X (a lower-case x is read as X);
* `id_number.check_character` — the 校验码 does not match: most often a digit typed wrong, so it
  is checked before the meaning of the digits;
* `id_number.birth_date` — not a calendar date, before 1900, or after today (北京时间);
* `id_number.province` — the first two digits are no province that issues numbers;
* `id_number.prefecture` — the first four digits are in no edition of GB/T 2260.

Not checked: whether the county (all six digits) existed when the holder was born or the number was
issued, and whether the number was actually issued (only 公安机关 know that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from shared.calendar.clock import beijing_today
from shared.identifiers.divisions import MAINLAND_PROVINCES, PROVINCES, prefecture
from shared.identifiers.problems import accepts, halfwidth, refuse

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum mod 11
EARLIEST_BIRTH_YEAR = 1900

# 港澳台居民居住证 (国办发〔2018〕81号): a GB 11643 number whose 地址码 is one of these, whole.
RESIDENCE_PERMIT_CODES: dict[str, str] = {
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    "830000": "台湾地区",
}

_SHAPE = re.compile(r"\d{17}[\dX]")


class Sex(str, Enum):
    """性别 from the 顺序码: odd for a man, even for a woman."""

    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IdNumber:
    """A 公民身份号码 that passed every check."""

    number: str  # the normalised 18 characters (upper-case X)
    address_code: str  # 地址码, six digits
    birth_date: date
    sex: Sex
    province_code: str  # two digits
    province_name: str
    prefecture_code: str | None  # four digits; None for a 港澳台居民居住证
    residence_permit: bool  # a 港澳台居民居住证 number (810000, 820000, 830000)


def check_character(first17: str) -> str:
    """The GB 11643 校验码 of seventeen digits (ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalise(value: str) -> str:
    """The number as stored and compared: half-width, no spaces, upper-case X."""
    return "".join(halfwidth(value).split()).upper()


def parse_id_number(value: str, *, today: date | None = None) -> IdNumber:
    """Parse and check a 居民身份证号码; raise `InvalidIdentifier` naming the first rule broken."""
    number = normalise(value)
    if len(number) != 18:
        refuse(
            "id_number.length",
            f"身份证号码应为18位，输入的是{len(number)}位",
            f"An ID-card number has 18 characters, this has {len(number)}",
        )
    if not _SHAPE.fullmatch(number):
        refuse(
            "id_number.characters",
            "身份证号码前17位应为数字，末位为数字或X",
            "An ID-card number is 17 digits followed by a digit or X",
        )
    if check_character(number[:17]) != number[17]:
        refuse(
            "id_number.check_character",
            "身份证号码校验位不符，请核对是否抄错",
            "The check character does not match: a digit is probably mistyped",
        )
    born = _birth_date(number[6:14], today or beijing_today())
    address = number[:6]
    province = address[:2]
    if address in RESIDENCE_PERMIT_CODES:
        return IdNumber(number, address, born, _sex(number), province, RESIDENCE_PERMIT_CODES[address], None, True)
    if province not in MAINLAND_PROVINCES:
        refuse(
            "id_number.province",
            f"身份证号码前两位{province}不是发证的省级行政区代码",
            f"The first two digits {province} are not the code of a province that issues ID cards",
        )
    if prefecture(address[:4]) is None:
        refuse(
            "id_number.prefecture",
            f"身份证号码前四位{address[:4]}不是任何版本行政区划代码（GB/T 2260）中的地级代码",
            f"The first four digits {address[:4]} are no prefecture code of any edition of GB/T 2260",
        )
    return IdNumber(number, address, born, _sex(number), province, PROVINCES[province], address[:4], False)


def is_valid_id_number(value: str, *, today: date | None = None) -> bool:
    """Whether `parse_id_number` accepts the number."""
    return accepts(parse_id_number, value, today=today)


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        born = None
    if born is None or born.year < EARLIEST_BIRTH_YEAR or born > today:
        refuse(
            "id_number.birth_date",
            f"身份证号码中的出生日期{digits}不是1900年以后、今天以前的有效日期",
            f"The birth date {digits} is not a real date between 1900 and today",
        )
    return born


def _sex(number: str) -> Sex:
    return Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
