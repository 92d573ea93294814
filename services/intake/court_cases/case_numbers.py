"""The 案号 of a flagged case: parsed by shared/identifiers (2016 规定), read for what the flag needs.

A thin adapter: the parser lives in `shared.identifiers.court_case_number`; this module adds
what only a 涉企 flag asks of a number, namely which of the flag's case types (民事/商事/行政/
执行/刑事) its 类型代字 allows.  A refused number raises the parser's `InvalidIdentifier` (its
problem code, e.g. ``case_number.type``, is the API's error code) with the field named.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.errors import DomainError
from shared.identifiers import CourtCaseNumber, InvalidIdentifier, parse_case_number

#: The case types a court may flag as 涉企.
CASE_TYPES = ("民事", "商事", "行政", "执行", "刑事")

# What a 类型代字's case class (the standard's column) allows.  商事 cases carry 民 codes (民初,
# 民终) and 破产 is commercial; 赔偿 (国家赔偿) and 其他 (司法救助, 司法制裁, …) do not say.
_TYPES_OF_CLASS: Mapping[str, tuple[str, ...]] = {
    "民事": ("民事", "商事"),
    "破产": ("商事",),
    "行政": ("行政",),
    "执行": ("执行",),
    "刑事": ("刑事",),
}


class CaseTypeMismatch(DomainError):
    code = "court_case.case_type_mismatch"
    message_zh = "案件类型与案号的类型代字不符"
    message_en = "The case type does not match the type code of the case number"


def parse(value: str) -> CourtCaseNumber:
    """The checked 案号 (its `text` is the normalised form that is stored and looked up).

    :raise InvalidIdentifier: the number breaks a rule of the 2016 规定 (details name the field).
    """
    try:
        return parse_case_number(value)
    except InvalidIdentifier as exc:
        exc.details = {"case_number": [exc.problem.code]}
        raise


def normalise(value: str) -> str:
    """The stored form of a 案号 someone typed, or the text as typed if it does not parse."""
    try:
        return parse_case_number(value).text
    except InvalidIdentifier:
        return value.strip()


def allowed_case_types(number: CourtCaseNumber) -> tuple[str, ...]:
    """The flag's case types this number's 类型代字 allows (all five when it does not say)."""
    return _TYPES_OF_CLASS.get(number.case_class, CASE_TYPES)


def check_case_type(number: CourtCaseNumber, case_type: str) -> None:
    """:raise CaseTypeMismatch: e.g. 执行 given for a 民初 number."""
    allowed = allowed_case_types(number)
    if case_type not in allowed:
        raise CaseTypeMismatch(
            f"{number.type_code} ({number.case_class}) allows {', '.join(allowed)}, not {case_type}",
            f"类型代字“{number.type_code}”（{number.case_class}）对应{'、'.join(allowed)}，不是{case_type}",
            case_type=[f"one of {', '.join(allowed)}"],
        )
