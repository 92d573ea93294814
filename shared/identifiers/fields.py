"""marshmallow fields for the numbers of this package: a refused number is a field problem with its code.

Each field loads to the parser's normalised text (the form every store and index keeps), so a
number typed with full-width digits or a lower-case x is stored as one typed plainly; the
refusal carries the parser's problem code and both messages (shared/validation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import fields

from shared.identifiers.court_case_number import parse_case_number
from shared.identifiers.credit_code import parse_credit_code
from shared.identifiers.id_card import parse_id_number
from shared.identifiers.phone import parse_phone
from shared.identifiers.problems import InvalidIdentifier, Problem
from shared.identifiers.procuratorate_doc_number import parse_doc_number
from shared.validation import invalid


def _parse(parse: Callable[[str], Any], value: str) -> Any:
    try:
        return parse(value)
    except InvalidIdentifier as exc:
        raise invalid(exc.problem.code, exc.problem.message_zh, exc.problem.message_en) from None


class _Identifier(fields.String):
    _parser: Callable[[str], Any]
    _attribute = "number"

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        return getattr(_parse(type(self)._parser, text), self._attribute)


class IdNumber(_Identifier):
    """居民身份证号码 (GB 11643): check character, birth date, address code of some GB/T 2260 edition."""

    _parser = staticmethod(parse_id_number)


class CreditCode(_Identifier):
    """统一社会信用代码 (GB 32100): check character, registration authority and type, division."""

    _parser = staticmethod(parse_credit_code)
    _attribute = "code"


class Phone(_Identifier):
    """A mobile, landline (with area code) or 400/800 number, normalised (13800138000, 0377-63123456)."""

    _parser = staticmethod(parse_phone)


@dataclass(frozen=True)
class RelatedCase:
    """The case a matter concerns: a court 案号 or a procuratorate 文书号, parsed."""

    kind: str  # court / procuratorate
    text: str
    year: int
    organ: str  # the court code (豫13) or the procuratorate's 院代字 (宛)
    type_code: str
    case_class: str | None  # a court case's class (民事, 刑事, …); None for a 文书号


def parse_related_case(value: str) -> RelatedCase:
    """A 案号 if it reads as one (it opens with a bracketed year), else a 文书号.

    :raise InvalidIdentifier: neither; the problem is the 案号's when the text looks like one.
    """
    stripped = value.strip()
    if stripped[:1] in "（(":
        number = parse_case_number(stripped)
        return RelatedCase("court", number.text, number.year, number.court_code, number.type_code, number.case_class)
    try:
        doc = parse_doc_number(stripped)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(Problem(
            "related_case.format",
            f"关联案号无法识别：法院案号如（2022）豫13民初1234号，检察文书号如宛检刑诉〔2022〕12号（{exc.problem.message_zh}）",
            f"neither a court 案号 like （2022）豫13民初1234号 nor a 文书号 like 宛检刑诉〔2022〕12号 ({exc.problem.message_en})",
        )) from None
    return RelatedCase("procuratorate", doc.text, doc.year, doc.office_code, doc.doc_type_code, None)


class RelatedCaseNumber(fields.String):
    """A court 案号 or a procuratorate 文书号; loads to a `RelatedCase`."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        return _parse(parse_related_case, super()._deserialize(value, attr, data, **kwargs))
