"""The procuratorate's 文书号 (检察法律文书编号): 宛检刑诉〔2022〕12号.

院代字 (the 人民检察院's short name: 豫 for the 省院, 宛 or 南阳宛城 for a lower one) + 检 + an
optional 内设机构 (一部 … 十部, since the 2019 reorganisation) + the 文书代字 from
`data/procuratorate_doc_types.csv` + 〔年度〕 + 编号 + 号.  The year's brackets may be typed as 〔〕,
[], ［］, （） or (); they are normalised to 〔〕, the form of 《党政机关公文格式》 (GB/T 9704).

Refused with `doc_number.format`, `doc_number.office`, `doc_number.type`, `doc_number.year`,
`doc_number.serial`.  Not checked: whether a procuratorate uses that 院代字 (each 省院 allocates
them and there is no published national table) and whether the document exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from shared.calendar.clock import beijing_today
from shared.identifiers.divisions import read_table
from shared.identifiers.problems import accepts, halfwidth_digits, refuse, serial_number

#: 人民检察院 were re-established in 1978 (1978年宪法); no 文书号 is older.
FIRST_YEAR = 1978
MAX_OFFICE_LENGTH = 8

_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕"})
_SHAPE = re.compile(r"(?P<office>[^〔〕\d]*?)检(?P<department>[一二三四五六七八九十]{1,2}部)?(?P<type>[^〔〕\d]*)〔(?P<year>[^〔〕]*)〕(?P<serial>\d+)号")
_OFFICE = re.compile(rf"[\u4e00-\u9fff]{{1,{MAX_OFFICE_LENGTH}}}")


@dataclass(frozen=True)
class DocType:
    """A 文书代字."""

    code: str
    area: str  # the 检察 line it belongs to: 刑事检察, 民事检察, 公益诉讼检察, …
    name: str


@dataclass(frozen=True)
class ProcuratorateDocNumber:
    """A 文书号 that passed every check."""

    text: str  # normalised: 宛检刑诉〔2022〕12号
    office_code: str  # 院代字: 宛, 豫, 南阳宛城
    department: str | None  # 一部 … 十部, when written
    doc_type_code: str
    doc_type_name: str
    area: str
    year: int
    serial: int


@lru_cache(maxsize=1)
def doc_types() -> dict[str, DocType]:
    """The 文书代字 table, by code."""
    return {row["code"]: DocType(row["code"], row["area"], row["name"]) for row in read_table("procuratorate_doc_types.csv")}


def normalise(value: str) -> str:
    """Spaces removed, ASCII digits, the year in 〔〕."""
    return "".join(halfwidth_digits(value).split()).translate(_BRACKETS)


def parse_doc_number(value: str, *, today: date | None = None) -> ProcuratorateDocNumber:
    """Parse and check a 检察文书号; raise `InvalidIdentifier` naming the first rule broken."""
    text = normalise(value)
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        refuse(
            "doc_number.format",
            "文书号应为“院代字检文书代字〔年度〕编号号”，如宛检刑诉〔2022〕12号",
            "A document number reads office, 检, document code, 〔year〕, serial and 号, e.g. 宛检刑诉〔2022〕12号",
        )
    office = shape["office"]
    if not _OFFICE.fullmatch(office):
        refuse(
            "doc_number.office",
            f"“检”字前应为1至{MAX_OFFICE_LENGTH}个汉字的院代字，如“宛”“豫”",
            f"Before 检 comes the procuratorate's short name of 1 to {MAX_OFFICE_LENGTH} Chinese characters, e.g. 宛",
        )
    doc_type = doc_types().get(shape["type"])
    if doc_type is None:
        refuse(
            "doc_number.type",
            f"“{shape['type']}”不是检察文书代字",
            f"“{shape['type']}” is no procuratorate document code",
        )
    year = shape["year"]
    if not (re.fullmatch(r"\d{4}", year) and FIRST_YEAR <= int(year) <= (today or beijing_today()).year):
        refuse(
            "doc_number.year",
            f"年度“{year}”应为1978年至今年的四位年份",
            f"The year “{year}” is a four-digit year from 1978 to this year",
        )
    serial = serial_number(shape["serial"], code="doc_number.serial", what_zh="文书编号")
    return ProcuratorateDocNumber(
        text=text,
        office_code=office,
        department=shape["department"],
        doc_type_code=doc_type.code,
        doc_type_name=doc_type.name,
        area=doc_type.area,
        year=int(year),
        serial=serial,
    )


def is_valid_doc_number(value: str, *, today: date | None = None) -> bool:
    """Whether `parse_doc_number` accepts the number."""
    return accepts(parse_doc_number, value, today=today)
