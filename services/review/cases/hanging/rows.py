"""A case as entered (an import row or the hand-entry form), its cell parsing and its rules.

The rules (each refusal has a machine code and a Chinese and English message):

* 案号: a police 立案决定书 number ``宛公经立字〔2026〕15号`` (any bracket pair is accepted and
  written 〔〕; the year must be the 立案 year) or a 警综平台 case number ``A`` + 22 digits.
* 立案日期 not after today; 侦查终结日期 between 立案 and today.
* 统一社会信用代码 by GB 32100, 身份证号 by GB 11643 (shared/identifiers).
* A measure starts on or after 立案 and not after today; its end is not before its start; a 取保候审
  runs at most 12 months and a 监视居住 at most 6 (刑诉法 art. 79); lifted between start and today;
  its 对象, when given, is one of the row's suspects.
* Property: amount ≥ 0 with at most two decimals; returned between 查扣 and today.
* Enumerations: the Chinese words of layout.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation



from services.review.cases.hanging.models import BAIL, RESIDENTIAL, HangingCase
from shared.calendar import add_months
from shared.identifiers import InvalidIdentifier, parse_credit_code, parse_id_number

#: 刑诉法 art. 79: 取保候审 at most 12 months, 监视居住 at most 6.
MAX_TERM_MONTHS = {BAIL: 12, RESIDENTIAL: 6}


@dataclass
class SuspectIn:
    name: str
    role: str
    id_number: str | None = None


@dataclass
class MeasureIn:
    kind: str
    started_on: date
    ends_on: date | None = None
    lifted_on: date | None = None
    suspect_name: str | None = None


@dataclass
class PropertyIn:
    kind: str
    description: str
    amount: Decimal | None = None
    seized_on: date | None = None
    returned_on: date | None = None


@dataclass
class CaseIn:
    case_number: str
    investigating_organ: str
    case_title: str
    charge: str
    filed_on: date
    enterprise_name: str
    investigating_organ_code: str | None = None
    enterprise_credit_code: str | None = None
    investigation_concluded_on: date | None = None
    notes: str | None = None
    suspects: list[SuspectIn] = field(default_factory=list)
    measures: list[MeasureIn] = field(default_factory=list)
    property: list[PropertyIn] = field(default_factory=list)


@dataclass(frozen=True)
class Fault:
    """One broken rule: where (``("filed_on",)`` or ``("measures", 0, "ends_on")``), code, messages."""

    where: tuple[str | int, ...]
    code: str
    message_zh: str
    message_en: str


# --- cells -------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class CellError(ValueError):
    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message_zh, self.message_en = code, message_zh, message_en


def parse_date(value: object) -> date:
    """An Excel date cell, or text 2026-03-15 / 2026/3/15 / 2026.3.15 / 2026年3月15日."""
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise CellError("hanging_import.date_with_time", "日期不应含时间", "A date without a time is expected")
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_TEXT.match(str(value).strip())
    if match is None:
        raise CellError("hanging_import.bad_date", "日期格式应为 2026-03-15", "A date like 2026-03-15 is expected")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellError("hanging_import.no_such_date", "日期不存在", "No such calendar date") from None


def parse_amount(value: object) -> Decimal:
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise CellError("hanging_import.bad_amount", "金额应为数字（元）", "An amount in yuan is expected") from None
    if not amount.is_finite() or amount < 0:
        raise CellError("hanging_import.negative_amount", "金额不能为负数", "An amount cannot be negative")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("hanging_import.amount_precision", "金额最多两位小数", "At most two decimals (分)")
    if amount >= Decimal("1e16"):
        raise CellError("hanging_import.amount_too_large", "金额过大", "The amount is too large")
    return amount.quantize(Decimal("0.01"))


# --- 案号 ---------------------------------------------------------------------------------------

_BRACKETS = "〔［[【(（"
_CLOSERS = "〕］]】)）"
_DOC_NUMBER = re.compile(
    rf"^(?P<mark>[\u4e00-\u9fff（）()]{{1,20}}?)(?P<word>立字|立)[{re.escape(_BRACKETS)}](?P<year>\d{{4}})"
    rf"[{re.escape(_CLOSERS)}](?P<serial>\d{{1,6}})号$")
_PLATFORM_NUMBER = re.compile(r"^A\d{22}$")


def normalise_case_number(text: str) -> str:
    """The police 案号 in its stored form: 宛公经立字〔2026〕15号 or A + 22 digits."""
    value = re.sub(r"\s+", "", text)
    if _PLATFORM_NUMBER.match(value.upper()):
        return value.upper()
    match = _DOC_NUMBER.match(value)
    if match is None:
        raise CellError("hanging.bad_case_number", "案号应为立案决定书文号（如 宛公经立字〔2026〕15号）或警综平台案件编号（A+22位数字）",
                        "The 案号 must be a 立案 number like 宛公经立字〔2026〕15号 or a platform number A + 22 digits")
    return f"{match['mark']}{match['word']}〔{match['year']}〕{int(match['serial'])}号"


def case_number_year(number: str) -> int:
    if number.startswith("A"):
        return int(number[13:17])  # A + 12-digit organ code + yyyymm + serial
    return int(number[number.index("〔") + 1:number.index("〕")])


# --- the rules ---------------------------------------------------------------------------------


def check(case: CaseIn, *, today: date) -> list[Fault]:
    """Every rule ``case`` breaks (an empty list: it may be stored)."""
    return list(_faults(case, today))


def _faults(case: CaseIn, today: date) -> Iterator[Fault]:
    if case.filed_on > today:
        yield Fault(("filed_on",), "hanging.filed_in_future", "立案日期不能晚于今天", "立案 cannot be after today")
    try:
        if case_number_year(case.case_number) != case.filed_on.year:
            yield Fault(("case_number",), "hanging.case_number_year", "案号年份与立案日期年份不一致",
                        "The 案号's year is not the 立案 year")
    except ValueError:
        pass
    if case.enterprise_credit_code:
        try:
            case.enterprise_credit_code = parse_credit_code(case.enterprise_credit_code).code
        except InvalidIdentifier as exc:
            yield Fault(("enterprise_credit_code",), exc.problem.code, exc.problem.message_zh, exc.problem.message_en)
    concluded = case.investigation_concluded_on
    if concluded is not None and not case.filed_on <= concluded <= today:
        yield Fault(("investigation_concluded_on",), "hanging.concluded_out_of_range",
                    "侦查终结日期应在立案日期与今天之间", "侦查终结 must fall between 立案 and today")
    names = {s.name for s in case.suspects}
    for i, suspect in enumerate(case.suspects):
        if suspect.id_number:
            try:
                suspect.id_number = parse_id_number(suspect.id_number, today=today).number
            except InvalidIdentifier as exc:
                yield Fault(("suspects", i, "id_number"), exc.problem.code, exc.problem.message_zh, exc.problem.message_en)
    for i, m in enumerate(case.measures):
        yield from _measure_faults(i, m, case, today, names)
    for i, p in enumerate(case.property):
        if p.seized_on is not None and p.seized_on > today:
            yield Fault(("property", i, "seized_on"), "hanging.seized_in_future", "查扣日期不能晚于今天",
                        "Seized after today")
        if p.returned_on is not None:
            low = p.seized_on or case.filed_on
            if not low <= p.returned_on <= today:
                yield Fault(("property", i, "returned_on"), "hanging.returned_out_of_range",
                            "返还日期应在查扣日期（或立案日期）与今天之间", "Returned must fall between seizure (or 立案) and today")


def _measure_faults(i: int, m: MeasureIn, case: CaseIn, today: date, names: set[str]) -> Iterator[Fault]:
    if m.started_on < case.filed_on:
        yield Fault(("measures", i, "started_on"), "hanging.measure_before_filing", "强制措施开始日期不能早于立案日期",
                    "A measure cannot start before 立案")
    if m.started_on > today:
        yield Fault(("measures", i, "started_on"), "hanging.measure_in_future", "强制措施开始日期不能晚于今天",
                    "A measure cannot start after today")
    if m.ends_on is not None:
        if m.ends_on < m.started_on:
            yield Fault(("measures", i, "ends_on"), "hanging.end_before_start", "到期日期不能早于开始日期",
                        "The term cannot end before it starts")
        months = MAX_TERM_MONTHS.get(m.kind)
        if months is not None and m.ends_on > add_months(m.started_on, months):
            yield Fault(("measures", i, "ends_on"), "hanging.term_too_long",
                        f"该强制措施期限最长{months}个月（刑诉法第七十九条）",
                        f"This measure lasts at most {months} months (刑诉法 art. 79)")
    if m.lifted_on is not None and not m.started_on <= m.lifted_on <= today:
        yield Fault(("measures", i, "lifted_on"), "hanging.lifted_out_of_range", "解除日期应在开始日期与今天之间",
                    "Lifted must fall between the start and today")
    if m.suspect_name and m.suspect_name not in names:
        yield Fault(("measures", i, "suspect_name"), "hanging.unknown_suspect", "强制措施对象不是本案嫌疑人",
                    "The measure's person is not one of the case's suspects")


# --- the content hash: unchanged rows are no-ops -----------------------------------------------


def content_hash(case: CaseIn) -> str:
    """SHA-256 of the case's content, whatever the file format it came in (and after hand edits)."""
    def plain(value: object) -> object:
        if isinstance(value, (date, Decimal)):
            return str(value)
        return value

    content = asdict(case)
    text = json.dumps(content, default=plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def from_model(row: HangingCase) -> CaseIn:
    """The stored case as input again: its content hash compares with an import row's."""
    return CaseIn(
        case_number=row.case_number, investigating_organ=row.investigating_organ, case_title=row.case_title,
        charge=row.charge, filed_on=row.filed_on, enterprise_name=row.enterprise_name,
        investigating_organ_code=row.investigating_organ_code, enterprise_credit_code=row.enterprise_credit_code,
        investigation_concluded_on=row.investigation_concluded_on, notes=row.notes,
        suspects=[SuspectIn(s.name, s.role, s.id_number) for s in row.suspects],
        measures=[MeasureIn(m.kind, m.started_on, m.ends_on, m.lifted_on, m.suspect_name) for m in row.measures],
        property=[PropertyIn(p.kind, p.description, p.amount, p.seized_on, p.returned_on) for p in row.property_items],
    )
