"""From an import file's cells to cases, with every problem named by its row and column.

Nothing here touches the database: service.import_file checks the natural keys against what is
stored and writes everything in one transaction, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.utils import get_column_letter

from services.review.cases.hanging import layout
from services.review.cases.hanging.files import Cell, Sheet
from services.review.cases.hanging.layout import AMOUNT, CHOICE, DATE, Column
from services.review.cases.hanging.rows import (
    CaseIn,
    CellError,
    Fault,
    MeasureIn,
    PropertyIn,
    SuspectIn,
    check,
    normalise_case_number,
    parse_amount,
    parse_date,
)


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # the row's number in the file (1 = the header); None: the file as a whole
    column: str | None  # the column's header text
    column_letter: str | None  # A, B, ... as Excel shows it
    code: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "column_letter": self.column_letter, "code": self.code,
                "message": {"zh": self.message_zh, "en": self.message_en}}


@dataclass(frozen=True)
class ParsedRow:
    row: int
    case: CaseIn


@dataclass(frozen=True)
class Parsed:
    rows: list[ParsedRow]
    problems: list[RowProblem]
    position: dict[str, int]  # column key -> 0-based position in the file


def parse(sheet: Sheet, *, today: date) -> Parsed:
    """The cases of ``sheet``; ``problems`` lists every broken rule (then ``rows`` must not be stored)."""
    problems: list[RowProblem] = []
    position: dict[str, int] = {}
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        column = layout.BY_HEADER.get(header)
        if column is None:
            problems.append(RowProblem(1, header, get_column_letter(index + 1), "hanging_import.unknown_column",
                                       f"未知的列“{header}”，请使用导入模板的列名", f"Unknown column {header!r}; use the template's headers"))
        elif column.key in position:
            problems.append(RowProblem(1, header, get_column_letter(index + 1), "hanging_import.duplicate_column",
                                       f"列“{header}”重复", f"Column {header!r} appears twice"))
        else:
            position[column.key] = index
    for column in layout.CASE_COLUMNS:
        if column.required and column.key not in position:
            problems.append(RowProblem(1, column.header, None, "hanging_import.missing_column",
                                       f"缺少必填列“{column.header}”", f"The required column {column.header!r} is missing"))
    for group in (*layout.SUSPECT_GROUPS, *layout.MEASURE_GROUPS, *layout.PROPERTY_GROUPS):
        if any(c.key in position for c in group):
            for column in group:
                if column.required and column.key not in position:
                    problems.append(RowProblem(1, column.header, None, "hanging_import.missing_column",
                                               f"缺少列“{column.header}”（同组其他列已存在）",
                                               f"The column {column.header!r} of a group in use is missing"))
    if problems:
        return Parsed([], problems, position)
    parsed: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in sheet.rows:
        row = _Row(number, cells, position)
        case = row.case(today)
        if case is not None:
            key = (case.investigating_organ, case.case_number)
            if key in seen:
                row.problem("case_number", "hanging_import.duplicate_in_file",
                            f"与第{seen[key]}行为同一案件（侦查机关与案号相同）", f"Same case as row {seen[key]} (organ and 案号)")
            else:
                seen[key] = number
        if row.problems:
            problems.extend(row.problems)
        elif case is not None:
            parsed.append(ParsedRow(number, case))
    return Parsed(parsed, problems, position)


def column_key(where: tuple[str | int, ...]) -> str:
    """A rule's place (``("measures", 0, "ends_on")``) as the import column (``measure1_ends_on``)."""
    if len(where) == 1:
        return str(where[0])
    group, index, name = where
    assert isinstance(index, int)
    prefix = {"suspects": "suspect", "measures": "measure", "property": "property"}[str(group)]
    return f"{prefix}{index + 1}_{'suspect' if name == 'suspect_name' else name}"


class _Row:
    """One row being read: its cells by column key, and the problems found so far."""

    def __init__(self, number: int, cells: list[Cell], position: dict[str, int]) -> None:
        self.number, self.cells, self.position = number, cells, position
        self.problems: list[RowProblem] = []

    def problem(self, key: str, code: str, zh: str, en: str) -> None:
        column = layout.BY_KEY[key]
        index = self.position.get(key)
        self.problems.append(RowProblem(self.number, column.header,
                                        get_column_letter(index + 1) if index is not None else None, code, zh, en))

    def raw(self, key: str) -> Cell:
        index = self.position.get(key)
        if index is None or index >= len(self.cells):
            return None
        value = self.cells[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def value(self, column: Column, *, required: bool) -> Any:
        raw = self.raw(column.key)
        if raw is None:
            if required:
                self.problem(column.key, "hanging_import.required", f"“{column.header}”必填", f"{column.header} is required")
            return None
        try:
            if column.kind == DATE:
                return parse_date(raw)
            if column.kind == AMOUNT:
                return parse_amount(raw)
        except CellError as exc:
            self.problem(column.key, exc.code, exc.message_zh, exc.message_en)
            return None
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
        if column.kind == CHOICE and text not in column.choices:
            self.problem(column.key, "hanging_import.bad_choice", f"“{column.header}”应为：{'、'.join(column.choices)}",
                         f"{column.header} must be one of {', '.join(column.choices)}")
            return None
        if len(text) > column.max_length:
            self.problem(column.key, "hanging_import.too_long", f"“{column.header}”最多{column.max_length}字",
                         f"{column.header} is longer than {column.max_length} characters")
            return None
        return text

    def _group(self, group: tuple[Column, ...]) -> dict[str, Any] | None:
        if all(self.raw(c.key) is None for c in group):
            return None
        # The key without its group prefix: suspect1_name -> name.
        return {c.key.split("_", 1)[1]: self.value(c, required=c.required) for c in group}

    def case(self, today: date) -> CaseIn | None:
        values = {c.key: self.value(c, required=c.required) for c in layout.CASE_COLUMNS}
        if values["case_number"] is not None:
            try:
                values["case_number"] = normalise_case_number(values["case_number"])
            except CellError as exc:
                self.problem("case_number", exc.code, exc.message_zh, exc.message_en)
        suspects = [g for g in map(self._group, layout.SUSPECT_GROUPS)]
        measures = [g for g in map(self._group, layout.MEASURE_GROUPS)]
        items = [g for g in map(self._group, layout.PROPERTY_GROUPS)]
        if self.problems:
            return None
        case = CaseIn(
            **values,
            suspects=[SuspectIn(g["name"], layout.ROLE_OF_TEXT[g["role"]], g["id_number"]) for g in suspects if g],
            measures=[MeasureIn(layout.MEASURE_OF_TEXT[g["kind"]], g["started_on"], g["ends_on"], g["lifted_on"],
                                g["suspect"]) for g in measures if g],
            property=[PropertyIn(layout.PROPERTY_OF_TEXT[g["kind"]], g["description"], g["amount"], g["seized_on"],
                                 g["returned_on"]) for g in items if g],
        )
        # A blank group between used ones (measure 1 empty, measure 2 filled) keeps its column numbers.
        _renumber = {"suspects": [i for i, g in enumerate(suspects) if g],
                     "measures": [i for i, g in enumerate(measures) if g],
                     "property": [i for i, g in enumerate(items) if g]}
        for fault in check(case, today=today):
            self._fault(fault, _renumber)
        return case

    def _fault(self, fault: Fault, renumber: dict[str, list[int]]) -> None:
        where = fault.where
        if len(where) == 3:
            group, index, name = where
            assert isinstance(index, int)
            where = (group, renumber[str(group)][index], name)
        self.problem(column_key(where), fault.code, fault.message_zh, fault.message_en)
