"""Why a number is refused: a machine-readable problem code with its Chinese and English message.

Every parser in this package raises `InvalidIdentifier`, a `DomainError` of kind INVALID (422 at the
API) whose `code` is the problem's code (`id_number.check_character`, `case_number.type`, …), so a
schema can put the code and both messages beside the field, and a caller that wants a yes/no
uses the module's `is_valid_…` function.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, NoReturn

from shared.errors import DomainError


@dataclass(frozen=True)
class Problem:
    """One reason a number is refused."""

    code: str
    message_zh: str
    message_en: str


class InvalidIdentifier(DomainError):
    """A number a clerk typed cannot be real; `problem` says which rule it breaks."""

    code = "identifier.invalid"
    message_zh = "号码无效"
    message_en = "The number is not valid"

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message_en, problem.message_zh)
        self.code = problem.code
        self.problem = problem


def refuse(code: str, message_zh: str, message_en: str) -> NoReturn:
    """Raise `InvalidIdentifier` for this problem."""
    raise InvalidIdentifier(Problem(code, message_zh, message_en))


def halfwidth(value: str) -> str:
    """Full-width digits, Latin letters and ＋／－ as their ASCII forms (NFKC), outer spaces stripped.

    Used for numbers made of ASCII characters only (ID card, credit code, phone); the 案号 and the
    文书号 keep their Chinese punctuation and convert only what `halfwidth_digits` does.
    """
    return unicodedata.normalize("NFKC", value).strip()


def accepts(parse: Callable[..., object], value: str, **options: Any) -> bool:
    """Whether `parse(value, **options)` returns rather than raising `InvalidIdentifier`."""
    try:
        parse(value, **options)
    except InvalidIdentifier:
        return False
    return True


def serial_number(digits: str, *, code: str, what_zh: str) -> int:
    """The 编号 of a 案号 or 文书号: a positive integer written without leading zeros."""
    if digits.startswith("0"):
        refuse(code, f"{what_zh}应为不以0开头的正整数", "The serial is a positive number without leading zeros")
    return int(digits)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def halfwidth_digits(value: str) -> str:
    """Full-width digits as ASCII digits; every other character as typed."""
    return value.translate(_FULLWIDTH_DIGITS)
