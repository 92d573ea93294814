"""Allocating case numbers (案件编号) of petitions, and reading one back as a person types it.

The format, after the GB/T 9704 发文字号 (代字 + 〔年份〕 + 序号 + 号):

    机关代字 + 线路 + 〔收案年度〕 + 序号 + 号      宛检12309〔2026〕12号 / 宛中法12368〔2026〕7号

- 机关代字: the receiving organ's (services/intake/petitions/receiving_units.py DAIZI).  A
  department (NY-JCY-KS) numbers under its organ: what it receives, its 院 has received, and two
  counters under one 代字 would hand out the same number twice.  A petition without a unit (a
  system caller) and a unit the table does not know number under the line's city organ (宛检,
  宛中法), logged, never refused: a registration must not fail for want of a 代字.
- 线路: 12309 or 12368, in digits.  It says which hotline the matter came through, which is what
  a person quoting the number is asked first, and digits there keep the number apart from the
  organ's own 文书号 (宛检刑诉〔2026〕3号: the mark is words) and from a court 案号 ((2026)豫13民初1号:
  year first, in round brackets, a numeric court code).  Nobody should take a petition number for
  either.
- 收案年度: the Beijing year of *registration*, not of the received date.  Serials run in the order
  they are handed out; a letter received on 30 December and registered on 4 January is the new
  year's work (the 2016 案号 规定 likewise numbers by 收案年度), and a received date typed in by a
  clerk cannot reopen a year already closed and counted.
- 序号: 1, 2, 3… per organ, line and year, with no leading zeros (GB/T 9704: 不编虚位) and no gaps.

No gaps, even under concurrent registrations and rollbacks: `allocate` increments the
`case_number_counters` row inside the caller's transaction (UPDATE … RETURNING), so the row lock
orders registrations of one organ, line and year (others are not held up) and a rollback takes
the increment back with the petition.  The lock lasts until the caller commits: allocate *late*,
after any slow work (hashing the 查询码), and commit soon after.

Numbers issued before this scheme (``12309-2026-000001``) keep their form; both are accepted
where a person types one (`normalise`, `is_case_number`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.intake.numbering.models import CaseNumberCounter
from services.intake.petitions.receiving_units import DAIZI, ORGAN_CODE_OF_LINE, ORGAN_OF_DEPARTMENT
from shared.calendar.clock import beijing_date, utcnow
from shared.events.intake import LINES

log = logging.getLogger(__name__)

PATTERN = re.compile(r"^(?P<daizi>[\u4e00-\u9fff]{1,8})(?P<line>12309|12368)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")
# Numbers issued before this scheme (a global sequence with leading zeros).
EARLIER_PATTERN = re.compile(r"^(12309|12368)-\d{4}-\d{6}$")
_INSERTS: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
# What people type for the 六角括号: round, square and lenticular brackets, full- or half-width
# (NFKC has already folded the full-width ones).
_OPENING, _CLOSING = "([【〖{［", ")]】〗}］"


@dataclass(frozen=True)
class CaseNumber:
    """A case number taken apart."""

    daizi: str
    line: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.daizi}{self.line}〔{self.year}〕{self.serial}号"


def issuing_organ(unit_code: str | None, *, line: str) -> str:
    """The organ whose 代字 and counter number a petition of `unit_code` on `line`."""
    if unit_code is None:
        return ORGAN_CODE_OF_LINE[line]
    if unit_code in DAIZI:
        return unit_code
    if unit_code in ORGAN_OF_DEPARTMENT:
        return ORGAN_OF_DEPARTMENT[unit_code]
    log.warning("unit %s has no 代字 (receiving_units.DAIZI): numbering under the %s organ", unit_code, line)
    return ORGAN_CODE_OF_LINE[line]


def year_of(at: datetime) -> int:
    """The 收案年度 of a registration at `at` (aware): its Beijing year."""
    return beijing_date(at).year


def allocate(session: Session, *, unit_code: str | None, line: str, at: datetime | None = None) -> str:
    """The next case number of the organ receiving for `unit_code` on `line`, in the year of `at` (default now).

    Flushes nothing of the caller's; takes the counter's row lock until the caller's transaction
    ends (call it late), and a rollback of that transaction (or of a savepoint around the call)
    gives the serial back.

    :raise ValueError: `line` is not 12309 or 12368.
    """
    if line not in LINES:
        raise ValueError(f"unknown line {line!r}")
    organ = issuing_organ(unit_code, line=line)
    year = year_of(at or utcnow())
    key: dict[str, Any] = {"unit_code": organ, "line": line, "year": year}
    serial = _increment(session, key)
    if serial is None:
        # The year's first number: make the row (a concurrent first waits on its key, then does
        # nothing), then increment it under the lock like any other.
        insert = _INSERTS[session.get_bind().dialect.name]
        session.execute(insert(CaseNumberCounter).values(**key, last_serial=0).on_conflict_do_nothing())
        serial = _increment(session, key)
    assert serial is not None  # the row exists now and nothing deletes counters
    return str(CaseNumber(DAIZI[organ], line, year, serial))


def _increment(session: Session, key: dict[str, Any]) -> int | None:
    stmt = (
        update(CaseNumberCounter)
        .where(*(getattr(CaseNumberCounter, name) == value for name, value in key.items()))
        .values(last_serial=CaseNumberCounter.last_serial + 1)
        .returning(CaseNumberCounter.last_serial)
        .execution_options(synchronize_session=False)
    )
    return session.scalar(stmt)


def parse(text: str) -> CaseNumber | None:
    """A number of this scheme taken apart, or None (an earlier number or anything else)."""
    match = PATTERN.match(text)
    if match is None:
        return None
    return CaseNumber(match["daizi"], match["line"], int(match["year"]), int(match["serial"]))


def normalise(typed: str) -> str:
    """A number as a person typed it, in the form it was issued.

    Full-width digits folded (NFKC), spaces gone, any bracket around the year a 六角括号, a
    missing trailing 号 added; an earlier number's long dashes made hyphens.
    """
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", typed))
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    text = text.translate(str.maketrans(_OPENING + _CLOSING, "〔" * len(_OPENING) + "〕" * len(_CLOSING)))
    if PATTERN.match(text + "号"):
        text += "号"
    return text


def is_case_number(text: str) -> bool:
    """Whether `text` (normalised) has the form of a case number, of this scheme or the earlier one."""
    return PATTERN.match(text) is not None or EARLIER_PATTERN.match(text) is not None
