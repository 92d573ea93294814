"""Reading an import file (CSV or XLSX) into header and cell values, before any rule is applied.

* XLSX: the first sheet, read with openpyxl in read-only mode (values, not formulas); Excel date
  cells arrive as dates.
* CSV: UTF-8 with or without BOM; a file that is not valid UTF-8 but decodes as GB18030 is read
  as GB18030 (what Excel on a Chinese Windows writes).  The test is reliable because Chinese text
  in GB18030 is almost never valid UTF-8 (its lead bytes 0x81–0xFE followed by ASCII-range trail
  bytes break UTF-8's continuation rule), so UTF-8 is tried first and strictly.

The format is told by the bytes (an XLSX is a ZIP: ``PK\\x03\\x04``), not by the file name.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

#: A larger file is refused before it is parsed (a 10,000-row XLSX is about 1.5 MB).
MAX_BYTES = 20 * 1024 * 1024
#: Rows beyond the header; more is a second file.
MAX_ROWS = 20_000

CSV = "csv"
XLSX = "xlsx"

Cell = str | int | float | date | datetime | None


class FileProblem(Exception):
    """The file as a whole cannot be read (not a CSV/XLSX, empty, too large, undecodable)."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message_zh, self.message_en = code, message_zh, message_en


@dataclass(frozen=True)
class Sheet:
    file_format: str  # csv | xlsx
    encoding: str | None  # csv: utf-8, utf-8-sig or gb18030
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (the row's number as the clerk sees it, its cells)


def sniff(data: bytes) -> str:
    return XLSX if data[:4] == b"PK\x03\x04" else CSV


def read(data: bytes) -> Sheet:
    """The header and the non-blank rows of ``data``; raise FileProblem when it cannot be read."""
    if not data:
        raise FileProblem("hanging_import.empty_file", "文件为空", "The file is empty")
    if len(data) > MAX_BYTES:
        raise FileProblem("hanging_import.too_large", f"文件超过 {MAX_BYTES // 1024 // 1024} MB",
                          f"The file is larger than {MAX_BYTES // 1024 // 1024} MB")
    sheet = _read_xlsx(data) if sniff(data) == XLSX else _read_csv(data)
    if not sheet.headers or not any(sheet.headers):
        raise FileProblem("hanging_import.no_header", "第1行应为表头（列名）", "Row 1 must hold the column headers")
    if not sheet.rows:
        raise FileProblem("hanging_import.no_rows", "文件没有数据行", "The file has no data rows")
    if len(sheet.rows) > MAX_ROWS:
        raise FileProblem("hanging_import.too_many_rows", f"一次最多导入 {MAX_ROWS} 行，请分文件导入",
                          f"At most {MAX_ROWS} rows per file; split it")
    return sheet


def _blank(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem("hanging_import.bad_xlsx", "无法读取该 XLSX 文件", f"The XLSX file cannot be read ({exc})") from None
    try:
        ws = book.worksheets[0]
        headers: list[str] = []
        rows: list[tuple[int, list[Cell]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells: list[Cell] = [_cell(v) for v in values]
            if number == 1:
                headers = [str(c).strip() if c is not None else "" for c in cells]
                continue
            if not _blank(cells):
                rows.append((number, cells))
    finally:
        book.close()
    while headers and not headers[-1]:
        headers.pop()
    return Sheet(XLSX, None, headers, rows)


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, (str, int, float, date)):
        return value
    return str(value)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise FileProblem("hanging_import.bad_encoding", "无法识别文件编码，请另存为 UTF-8 CSV 或 XLSX",
                          "The encoding is not UTF-8 or GB18030; save as UTF-8 CSV or XLSX") from None


def _read_csv(data: bytes) -> Sheet:
    text, encoding = decode(data)
    if "\x00" in text:
        raise FileProblem("hanging_import.bad_file", "文件不是 CSV 或 XLSX", "The file is neither CSV nor XLSX")
    reader = csv.reader(io.StringIO(text, newline=""))
    headers: list[str] = []
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for values in reader:
            number = reader.line_num  # a quoted cell may span lines; report where the record ends
            if not headers:
                headers = [v.strip() for v in values]
                continue
            cells: list[Cell] = list(values)
            if not _blank(cells):
                rows.append((number, cells))
    except csv.Error as exc:
        raise FileProblem("hanging_import.bad_csv", "CSV 格式错误", f"The CSV is malformed ({exc})") from None
    return Sheet(CSV, encoding, headers, rows)
