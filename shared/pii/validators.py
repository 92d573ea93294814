"""Yes/no checks of personal and organisation numbers, kept for the callers that predate
`shared.identifiers`; each delegates to the parser there (which says *why* a number is refused).

They accept a number only as typed without inner spaces or full-width characters (outer spaces
and a lower-case x or letter are fine), as they always did: a caller that stores what it checked
stores no stray space.  New code uses `shared.identifiers` and stores the parser's normalised form.
"""

from __future__ import annotations

from shared.identifiers import credit_code, id_card, phone
from shared.identifiers.problems import InvalidIdentifier


def id_check_digit(first17: str) -> str:
    """The GB 11643 校验码 of the first seventeen digits."""
    return id_card.check_character(first17)


def is_valid_id_number(value: str) -> bool:
    """A 居民身份证号码 that `shared.identifiers.id_card.parse_id_number` accepts."""
    typed = value.strip().upper()
    return id_card.normalise(value) == typed and id_card.is_valid_id_number(typed)


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 校验码 of the first seventeen characters."""
    return credit_code.check_character(first17)


def is_valid_credit_code(value: str) -> bool:
    """A 统一社会信用代码 that `shared.identifiers.credit_code.parse_credit_code` accepts."""
    typed = value.strip().upper()
    return credit_code.normalise(value) == typed and credit_code.is_valid_credit_code(typed)


def is_valid_mobile(value: str) -> bool:
    """A mainland mobile number written as its eleven digits (13–19…); landlines are checked elsewhere."""
    typed = value.strip()
    try:
        parsed = phone.parse_phone(typed)
    except InvalidIdentifier:
        return False
    return parsed.kind is phone.PhoneKind.MOBILE and parsed.number == typed
