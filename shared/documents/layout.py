"""What a document says, as plain data, and the GB/T 9704-2012 page it is laid on.

A workflow builds a `Document` (版头, 标题, 主送机关, 正文 as blocks, 署名 and 成文日期) and hands it
to `shared.documents.pdf.render` or `shared.documents.word.render`; both lay out the same content
on the same page.  The measures below are the standard's (§5.2, §7): A4, a 版心 of 156 mm × 225 mm
with 天头 37 mm and 订口 28 mm, 22 lines of 28 characters in 3号 (16 pt) 仿宋.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# §5.2 page and 版心, in millimetres.
PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
TOP_MM = 37.0  # 天头
LEFT_MM = 28.0  # 订口
TEXT_WIDTH_MM = 156.0
TEXT_HEIGHT_MM = 225.0
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TEXT_WIDTH_MM  # 26 mm
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TEXT_HEIGHT_MM  # 35 mm
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_MM = TEXT_HEIGHT_MM / LINES_PER_PAGE  # 10.23 mm: 22 lines fill the 版心
CHAR_PITCH_MM = TEXT_WIDTH_MM / CHARS_PER_LINE  # 5.57 mm: 28 characters fill a line
# §7: 号 in points.
BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
TABLE_PT = 14.0  # 4号: the standard leaves a table's size open; a form's table fits a page in it
PAGE_NUMBER_BELOW_MM = 7.0  # §7.5: the 一字线 of the page number 7 mm under the 版心
DATE_RIGHT_CHARS = 4  # §7.3.5.1: 成文日期 右空四字
SIGNATURE_RIGHT_MIN_CHARS = 2  # a long 署名 still keeps 右空二字
STAMP_LINES = 1  # §7.3.5.1: the 印章 (pressed over 署名 and 日期) reaches to within a line of the body
ORGAN_RED = "#E60012"  # §7.2.3 发文机关标志 and §7.2.6 分隔线 are red


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of 正文: 首行缩进二字 unless `indent` is off."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Heading:
    """一级标题 (黑体, ``一、``) or 二级标题 (楷体, ``（一）``); the caller writes the ordinal."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Table:
    """A key–value table (项目 / 内容), e.g. a receipt's facts; `emphasis` names the keys to set in bold."""

    rows: tuple[tuple[str, str], ...]
    emphasis: frozenset[str] = frozenset()


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class Document:
    """One document: 版头 (`organ`, `number`), 标题, 主送机关, 正文, 署名 and 成文日期.

    `organ` is the 发文机关标志 (red, with the red 分隔线 under the 发文字号); without it the
    document starts at its title.  `signature` and `dated` close it at the right, the 印章 room
    left blank above them (`stamp`).
    """

    title: str  # a newline breaks it into lines (§7.3.1: a long title on several lines)
    body: tuple[Block, ...]
    signature: str
    dated: date
    organ: str | None = None
    number: str | None = None
    addressee: str | None = None
    stamp: bool = True
    filename: str = field(default="document", compare=False)  # without extension


def width_in_chars(text: str) -> float:
    """A text's width in characters of the grid: Latin letters and Arabic numerals count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def closing_indents(signature: str, dated: str) -> tuple[float, float]:
    """How many characters the 署名 and the 成文日期 stand in from the right edge of the 版心.

    §7.3.5.1: the date 右空四字, the 署名 centred on it.  A 署名 so much longer than the date that
    it would come closer to the edge than two characters (or past it) moves both left until it
    keeps 右空二字, the date still under its middle (as §7.3.5.3 does for the unstamped form).
    """
    half_difference = (width_in_chars(signature) - width_in_chars(dated)) / 2
    date_right = max(float(DATE_RIGHT_CHARS), SIGNATURE_RIGHT_MIN_CHARS + half_difference)
    # A 署名 wider than the line less two characters: it starts at the left edge instead of past it.
    room = CHARS_PER_LINE - width_in_chars(signature)
    date_right = min(date_right, max(0.0, room) + half_difference)
    return date_right - half_difference, date_right


def chinese_date(day: date) -> str:
    """成文日期 as §7.3.5.1 writes it, in Arabic numerals without leading zeros: ``2026年12月3日``."""
    return f"{day.year}年{day.month}月{day.day}日"
