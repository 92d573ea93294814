"""The one-file-per-year text format for a 国务院办公厅 放假安排 notice.

This module owns reading and writing that format (specified in
``shared/calendar/FORMAT.md``). It is how an administrator adds a year the
chinese_calendar package does not know yet, both for files shipped in
``shared/calendar/data/`` and for an import command that stores the text in
the database. Example::

    # 国务院办公厅关于2027年部分节假日安排的通知
    year,2027
    source,国办发明电〔2026〕N号
    published,2026-11-05
    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-20,workday,春节

Parsing collects every problem (with line numbers) and raises one
:class:`~shared.calendar.model.CalendarDataError`, so an import can report
them all at once instead of one per attempt.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from pathlib import Path

from .model import CalendarDataError, CalendarYearData, entry_problems
from .statutory import statutory_conflicts

__all__ = ["COLUMNS", "dump_year_file", "load_year_file", "parse_year_text"]

#: The line that ends the header and starts the rows.
COLUMNS = ("date", "kind", "name")
_KINDS = ("holiday", "workday")
_REQUIRED_META = ("year", "source", "published")
_OPTIONAL_META = ("title", "note")


def load_year_file(
    source: str | os.PathLike[str],
    *,
    check_statutory: bool = True,
) -> CalendarYearData:
    """Parse one year's file, given as a path or as its text.

    A ``Path``/``PathLike`` is always read as a file. A ``str`` is treated as
    the file's text when it contains a newline, otherwise as a path — a
    year file always has several lines, a file name never has a newline.

    With ``check_statutory`` (the default) the data must also agree with
    《全国年节及纪念日放假办法》: each statutory day a rest day (see
    :func:`~shared.calendar.statutory.statutory_conflicts`). Turn it off only
    if the 办法 itself has been amended and this package not yet updated.
    """
    if isinstance(source, str) and "\n" in source:
        return parse_year_text(source, check_statutory=check_statutory)
    path = Path(source)
    # utf-8-sig: a file saved from Excel or Notepad starts with a BOM.
    text = path.read_text(encoding="utf-8-sig")
    return parse_year_text(text, origin=str(path), check_statutory=check_statutory)


def parse_year_text(
    text: str,
    *,
    origin: str = "<text>",
    check_statutory: bool = True,
) -> CalendarYearData:
    """Parse the text of one year file; see :func:`load_year_file`."""
    errors: list[str] = []
    meta: dict[str, str] = {}
    meta_line: dict[str, int] = {}
    rows: list[tuple[int, list[str]]] = []
    in_rows = False

    for lineno, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in next(csv.reader([line], skipinitialspace=True))]
        if not in_rows:
            if tuple(f.lower() for f in fields) == COLUMNS:
                in_rows = True
                continue
            if len(fields) != 2:
                errors.append(
                    f"line {lineno}: header lines are 'key,value' "
                    f"(keys: {', '.join(_REQUIRED_META + _OPTIONAL_META)}) "
                    f"until the line '{','.join(COLUMNS)}'"
                )
                continue
            key, value = fields[0].lower(), fields[1]
            if key not in _REQUIRED_META + _OPTIONAL_META:
                errors.append(f"line {lineno}: unknown header key {fields[0]!r}")
            elif key in meta:
                errors.append(f"line {lineno}: {key} given twice (first on line {meta_line[key]})")
            else:
                meta[key] = value
                meta_line[key] = lineno
            continue
        rows.append((lineno, fields))

    if not in_rows:
        errors.append(f"missing the column line '{','.join(COLUMNS)}' before the dates")
    for key in _REQUIRED_META:
        if key not in meta:
            errors.append(f"missing header line '{key},…'")

    year: int | None = None
    if "year" in meta:
        try:
            year = int(meta["year"])
        except ValueError:
            errors.append(f"line {meta_line['year']}: year {meta['year']!r} is not a number")
        else:
            if not 1900 <= year <= 9998:
                errors.append(f"line {meta_line['year']}: year {year} is out of range")
                year = None
    published: _dt.date | None = None
    if "published" in meta:
        try:
            published = _parse_date(meta["published"])
        except ValueError:
            errors.append(
                f"line {meta_line['published']}: published {meta['published']!r} "
                "is not a date (YYYY-MM-DD)"
            )
    if "source" in meta and not meta["source"]:
        errors.append(f"line {meta_line['source']}: source is empty; give the notice number")

    holidays: dict[_dt.date, str] = {}
    workdays: dict[_dt.date, str] = {}
    seen: dict[_dt.date, int] = {}
    for lineno, fields in rows:
        if len(fields) != 3:
            errors.append(
                f"line {lineno}: expected 3 fields date,kind,name, got {len(fields)} "
                "(quote a name that contains a comma)"
            )
            continue
        date_s, kind, name = fields[0], fields[1].lower(), fields[2]
        try:
            day = _parse_date(date_s)
        except ValueError:
            errors.append(f"line {lineno}: {date_s!r} is not a date (YYYY-MM-DD)")
            continue
        if kind not in _KINDS:
            errors.append(f"line {lineno}: kind {fields[1]!r} must be 'holiday' or 'workday'")
            continue
        if day in seen:
            errors.append(f"line {lineno}: {day.isoformat()} already listed on line {seen[day]}")
            continue
        seen[day] = lineno
        if year is not None:
            errors += [f"line {lineno}: {p}" for p in entry_problems(year, day, kind, name)]
        (holidays if kind == "holiday" else workdays)[day] = name

    if errors or year is None:
        raise CalendarDataError(errors or ["no valid year"], origin=origin)

    data = CalendarYearData(
        year=year,
        holidays=holidays,
        workdays=workdays,
        source=meta["source"],
        published=published,
    )
    if check_statutory:
        conflicts = statutory_conflicts(data)
        if conflicts:
            raise CalendarDataError(conflicts, origin=origin)
    return data


def dump_year_file(data: CalendarYearData, *, title: str | None = None) -> str:
    """The canonical text of ``data`` in the year-file format (rows sorted by date)."""
    out: list[str] = []
    if title:
        out.append(f"# {title}")
    out.append(f"year,{data.year}")
    out.append(_csv_line(["source", data.source or "unknown"]))
    if data.published is not None:
        out.append(f"published,{data.published.isoformat()}")
    out.append(",".join(COLUMNS))
    entries = [(d, "holiday", n) for d, n in data.holidays.items()]
    entries += [(d, "workday", n) for d, n in data.workdays.items()]
    for day, kind, name in sorted(entries):
        out.append(_csv_line([day.isoformat(), kind, name]))
    return "\n".join(out) + "\n"


def _parse_date(text: str) -> _dt.date:
    # date.fromisoformat in 3.11 also accepts "20270101" and week dates;
    # insist on the one spelling the format documents.
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(text)
    return _dt.date.fromisoformat(text)


def _csv_line(fields: list[str]) -> str:
    # csv.writer quotes only when needed, so ordinary lines stay hand-editable.
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()
