"""Chinese telephone numbers a petitioner can be called back on.

Accepted, after removing spaces and converting full-width characters:

* mobile: 1[3-9] and nine digits, grouped with spaces or hyphens as people write them, with an
  optional +86, 0086 or 86 in front; normalised to the eleven digits (`13800138000`);
* landline: a 长途区号 (010, 02X or a four-digit 0XXX) and a 7–8 digit local number beginning 2–9,
  the area code optionally in parentheses or after +86 without its 0, with an optional extension
  (`-1234` or `转1234`, up to six digits); normalised to `0377-63123456` or `0377-63123456-1234`;
* service: 400 and 800 numbers of ten digits, normalised to the digits.

Refused with `phone.format`, among others: the short 特服号码 such as 12309, 12368, 12345 and 110
(they reach a hotline, never the petitioner), a local number without its area code (which city is
not known), and foreign numbers.  Whether a prefix or an area code is actually allocated is not
checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from shared.identifiers.problems import InvalidIdentifier, accepts, halfwidth, refuse


class PhoneKind(str, Enum):
    MOBILE = "mobile"
    LANDLINE = "landline"
    SERVICE = "service"  # 400/800


@dataclass(frozen=True)
class Phone:
    """A phone number that passed the checks, in its normalised form."""

    number: str  # normalised text, see the module docstring
    kind: PhoneKind
    area_code: str | None  # landlines only, with its 0
    local_number: str | None  # landlines only
    extension: str | None  # landlines only


_COUNTRY = re.compile(r"^(?:\+|00)86[-]?|^86(?=-|1[3-9]\d{9}$)-?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")
_AREA = r"010|02\d|0[3-9]\d{2}"
_LANDLINE = re.compile(rf"(?:\((?P<pa>{_AREA})\)|(?P<a>{_AREA}))-?(?P<n>[2-9]\d{{6,7}})(?:(?:-|转)(?P<x>\d{{1,6}}))?")
_HOTLINE = re.compile(r"1\d{2,4}|9\d{4}")


def parse_phone(value: str) -> Phone:
    """Parse a phone number; raise `InvalidIdentifier` (`phone.format`) if it is none of the kinds."""
    text = "".join(halfwidth(value).split()).replace("（", "(").replace("）", ")")
    rest = _COUNTRY.sub("", text, count=1)
    international = rest != text
    digits = rest.replace("-", "")
    if _MOBILE.fullmatch(digits):
        return Phone(digits, PhoneKind.MOBILE, None, None, None)
    if not international and _SERVICE.fullmatch(digits):
        return Phone(digits, PhoneKind.SERVICE, None, None, None)
    if international and rest[:1].isdigit() and not rest.startswith("0"):
        rest = "0" + rest  # +86 377 … drops the trunk 0 of the area code
    landline = _LANDLINE.fullmatch(rest)
    if landline:
        area = landline["pa"] or landline["a"]
        ext = landline["x"]
        number = f"{area}-{landline['n']}" + (f"-{ext}" if ext else "")
        return Phone(number, PhoneKind.LANDLINE, area, landline["n"], ext)
    if _HOTLINE.fullmatch(digits):
        refuse(
            "phone.format",
            f"{digits}是服务热线或特服号码，不能作为联系电话",
            f"{digits} is a hotline or service short number, not a number to reach the person on",
        )
    refuse(
        "phone.format",
        "联系电话应为手机号码、带区号的固定电话或400/800号码",
        "A contact number is a mobile number, a landline with its area code, or a 400/800 number",
    )


def is_valid_phone(value: str) -> bool:
    """Whether `parse_phone` accepts the number."""
    return accepts(parse_phone, value)


def is_valid_mobile(value: str) -> bool:
    """Whether the number is a mainland mobile number (in any form `parse_phone` accepts)."""
    try:
        return parse_phone(value).kind is PhoneKind.MOBILE
    except InvalidIdentifier:
        return False
