"""A `Document` as PDF bytes: HTML and CSS laid out by WeasyPrint, its fonts embedded.

WeasyPrint shapes text with Debian's Pango and HarfBuzz and embeds subsets of the OpenType
fonts fontconfig finds, CFF outlines included (Noto CJK is CFF, which reportlab cannot embed).
The page geometry comes from `layout`; the faces from `fonts`.
"""

from __future__ import annotations

import logging
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from shared.documents import fonts
from shared.documents.layout import (
    BODY_PT, BOTTOM_MM, CHAR_PITCH_MM, CHARS_PER_LINE, LEFT_MM, LINE_PITCH_MM, ORGAN_RED, PAGE_NUMBER_BELOW_MM,
    PAGE_NUMBER_PT, RIGHT_MM, STAMP_LINES, TABLE_PT, TITLE_PT, TOP_MM, Document, Heading, Paragraph, chinese_date,
    closing_indents,
)

_PT_MM = 25.4 / 72
# A hair under the exact pitch, so rounding never pushes the 28th character onto the next line.
_TRACKING_MM = CHAR_PITCH_MM - BODY_PT * _PT_MM - 0.002
_env = Environment(loader=PackageLoader("shared.documents", "templates"), autoescape=select_autoescape(["html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_MEASURES = {
    "top": TOP_MM, "right": RIGHT_MM, "bottom": BOTTOM_MM, "left": LEFT_MM,
    # The line box a hair under the pitch as well: 22 of them must fit the 225 mm 版心.
    "line": round(LINE_PITCH_MM - 0.005, 3), "tracking": round(_TRACKING_MM, 4), "char": round(CHAR_PITCH_MM, 4),
    "body_pt": BODY_PT, "title_pt": TITLE_PT, "organ_pt": 26.0, "page_number_pt": PAGE_NUMBER_PT, "table_pt": TABLE_PT,
    # At 4号 with line-height 1 the numerals' top is 0.9 mm under the line box's: so much less padding.
    "page_number_below": PAGE_NUMBER_BELOW_MM - 0.9, "stamp_lines": STAMP_LINES,
    "red": ORGAN_RED, "chars_per_line": CHARS_PER_LINE,
}


def _kind(block: object) -> str:
    if isinstance(block, Paragraph):
        return "paragraph"
    return "heading" if isinstance(block, Heading) else "table"


def html(doc: Document) -> str:
    """The document as the HTML WeasyPrint lays out (also what a test or a preview reads)."""
    context: dict[str, Any] = {
        "doc": doc, "m": _MEASURES, "dated": chinese_date(doc.dated),
        "date_right": closing_indents(doc.signature, chinese_date(doc.dated))[1],
        "faces": {face.role: face for face in fonts.FACES},
        "blocks": [{"kind": _kind(block), "item": block} for block in doc.body],
    }
    return _env.get_template("documents/gbt9704.html").render(**context)


def render(doc: Document) -> bytes:
    """The document as PDF bytes, fonts embedded.

    :raise fonts.FontMissing: a face's font is not installed (the PDF would show another font or tofu).
    """
    fonts.require()
    from weasyprint import HTML  # imported here: it loads Pango, which only PDF rendering needs

    # WeasyPrint logs every CSS property it ignores at WARNING; the template uses none it lacks.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return bytes(HTML(string=html(doc)).write_pdf())
