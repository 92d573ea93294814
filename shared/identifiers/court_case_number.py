"""The court's 案号 under 《最高人民法院关于人民法院案件案号的若干规定》 (法〔2015〕137号, from 2016-01-01).

（收案年度）法院代字 类型代字 案件编号 号 — （2022）豫13民初1234号:

* 收案年度: four digits in full-width parentheses (ASCII parentheses and full-width digits are
  accepted and normalised); from 2016, when this format began — older numbers read
  （2015）宛民初字第123号 and are refused with `case_number.year`;
* 法院代字: 最高法, or a province's 简称 (豫, the 高级人民法院) with two digits for a 中级人民法院
  (豫13) and two more for a 基层人民法院 (豫1302); 兵 for the courts of the 新疆生产建设兵团; 71–74
  after the 简称 are the 铁路运输, 海事, 知识产权 and 金融 courts;
* 类型代字 from `data/court_case_types.csv` (《人民法院案件类型及其代字标准》, with its case class and
  stage; 商事 cases carry 民 codes and cannot be told from other 民事 cases by the number);
* 案件编号: a positive integer without leading zeros, then 号.

Refused with `case_number.format`, `case_number.year`, `case_number.court`, `case_number.type`,
`case_number.serial`.  Not checked: whether a court with those digits exists (the court codes are
allocated by the 高级人民法院 and only mostly follow GB/T 2260) and whether the case does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from shared.calendar.clock import beijing_today
from shared.identifiers.divisions import read_table
from shared.identifiers.problems import accepts, halfwidth_digits, refuse, serial_number

FIRST_YEAR = 2016
SUPREME_COURT = "最高法"

#: 法院代字's province 简称 → GB/T 2260 province code.  The courts write 内 for 内蒙古 and 黔 for 贵州.
COURT_PROVINCES: dict[str, str] = {
    "京": "11", "津": "12", "冀": "13", "晋": "14", "内": "15", "辽": "21", "吉": "22", "黑": "23",
    "沪": "31", "苏": "32", "浙": "33", "皖": "34", "闽": "35", "赣": "36", "鲁": "37",
    "豫": "41", "鄂": "42", "湘": "43", "粤": "44", "桂": "45", "琼": "46",
    "渝": "50", "川": "51", "黔": "52", "云": "53", "藏": "54",
    "陕": "61", "甘": "62", "青": "63", "宁": "64", "新": "65", "兵": "65",
}

#: The first two digits after the 简称 that name a specialised court rather than a prefecture.
SPECIALISED_COURTS = {"71": "铁路运输法院", "72": "海事法院", "73": "知识产权法院", "74": "金融法院"}

COURT_LEVELS = {0: "高级", 2: "中级", 4: "基层"}


@dataclass(frozen=True)
class CaseType:
    """A 类型代字 of the standard."""

    code: str
    case_class: str  # 刑事, 民事, 行政, 赔偿, 执行, 破产, 其他
    stage: str  # 一审, 二审, 申请再审审查, 再审, 首次执行, …
    name: str


@dataclass(frozen=True)
class CourtCaseNumber:
    """A 案号 that passed every check."""

    text: str  # normalised: （2022）豫13民初1234号
    year: int
    court_code: str  # 最高法, 豫, 豫13, 豫1302
    court_level: str  # 最高, 高级, 中级, 基层
    court_kind: str | None  # 兵团, 铁路运输法院, 海事法院, 知识产权法院, 金融法院; None for the ordinary courts
    province_code: str | None  # GB/T 2260, None for the 最高人民法院
    type_code: str
    case_class: str
    stage: str
    serial: int


@lru_cache(maxsize=1)
def case_types() -> dict[str, CaseType]:
    """The 类型代字 table, by code."""
    return {row["code"]: CaseType(row["code"], row["case_class"], row["stage"], row["name"]) for row in read_table("court_case_types.csv")}


_SHAPE = re.compile(r"（(?P<year>[^（）]*)）(?P<body>.+?)(?P<serial>\d+)号")


def normalise(value: str) -> str:
    """Spaces removed, ASCII digits, full-width parentheses."""
    text = "".join(halfwidth_digits(value).split())
    return text.replace("(", "（").replace(")", "）")


def parse_case_number(value: str, *, today: date | None = None) -> CourtCaseNumber:
    """Parse and check a 案号; raise `InvalidIdentifier` naming the first rule broken."""
    text = normalise(value)
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        refuse(
            "case_number.format",
            "案号应为“（年度）法院代字类型代字编号号”，如（2022）豫13民初1234号；括号用（），不用〔〕",
            "A case number reads (year) court code, type code, serial and 号, e.g. （2022）豫13民初1234号, with （）, not 〔〕",
        )
    year = _year(shape["year"], today or beijing_today())
    body = shape["body"]
    court_code, level, kind, province = _court(body)
    type_code = body[len(court_code):]
    case_type = case_types().get(type_code)
    if case_type is None:
        refuse(
            "case_number.type",
            f"“{type_code}”不是案件类型代字",
            f"“{type_code}” is no case type code of the standard",
        )
    serial = serial_number(shape["serial"], code="case_number.serial", what_zh="案件编号")
    return CourtCaseNumber(
        text=text,
        year=year,
        court_code=court_code,
        court_level=level,
        court_kind=kind,
        province_code=province,
        type_code=type_code,
        case_class=case_type.case_class,
        stage=case_type.stage,
        serial=serial,
    )


def is_valid_case_number(value: str, *, today: date | None = None) -> bool:
    """Whether `parse_case_number` accepts the number."""
    return accepts(parse_case_number, value, today=today)


def ensure_year_not_after(number: CourtCaseNumber, day: date) -> None:
    """Refuse (`case_number.year`) a case filed in a year after `day`'s, e.g. the petition's receipt."""
    if number.year > day.year:
        refuse(
            "case_number.year",
            f"案号年度{number.year}晚于{day.isoformat()}",
            f"The case year {number.year} is after {day.isoformat()}",
        )


def _year(digits: str, today: date) -> int:
    if re.fullmatch(r"\d{4}", digits) and FIRST_YEAR <= int(digits) <= today.year:
        return int(digits)
    if re.fullmatch(r"\d{4}", digits) and int(digits) < FIRST_YEAR:
        refuse(
            "case_number.year",
            f"{digits}年的案号是2016年以前的格式（如“（2015）宛民初字第123号”），不按本规定解析",
            f"A case number of {digits} has the format used before 2016 (…字第…号), not parsed here",
        )
    refuse(
        "case_number.year",
        f"收案年度“{digits}”应为2016年至今年的四位年份",
        f"The year “{digits}” is a four-digit year from 2016 to this year",
    )


def _court(body: str) -> tuple[str, str, str | None, str | None]:
    """(法院代字, level, kind, province code) from the start of the number after the year."""
    if body.startswith(SUPREME_COURT):
        return SUPREME_COURT, "最高", None, None
    court = re.match(r"(?P<p>\D)(?P<d>\d*)", body)
    if court and court["p"] in COURT_PROVINCES and len(court["d"]) in COURT_LEVELS:
        digits = court["d"]
        kind = "兵团" if court["p"] == "兵" else SPECIALISED_COURTS.get(digits[:2])
        return court.group(), COURT_LEVELS[len(digits)], kind, COURT_PROVINCES[court["p"]]
    refuse(
        "case_number.court",
        "法院代字应为“最高法”或省份简称加两位（中级法院）或四位（基层法院）数字，如豫13、豫1302",
        "The court code is 最高法, or a province's abbreviation with 2 (intermediate) or 4 (basic court) digits, e.g. 豫13",
    )
