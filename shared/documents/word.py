"""A `Document` as DOCX bytes (python-docx): the content of the PDF, for the office to edit and sign.

The page is GB/T 9704's (A4, margins 37/26/35/28 mm, a document grid of 22 lines), the runs name
the office fonts for East Asian text (``w:eastAsia``: 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) and
Times New Roman for Latin letters and numerals, and the footer carries the page number as
``— PAGE —`` in 4号, right on odd pages and left on even ones (§7.5).
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from shared.documents import fonts
from shared.documents.layout import (
    BODY_PT, BOTTOM_MM, CHAR_PITCH_MM, LEFT_MM, LINE_PITCH_MM, ORGAN_RED, PAGE_HEIGHT_MM,
    PAGE_NUMBER_BELOW_MM, PAGE_NUMBER_PT, PAGE_WIDTH_MM, RIGHT_MM, STAMP_LINES, TITLE_PT, TOP_MM, Document, Heading,
    Paragraph, Table, chinese_date, closing_indents,
)

_LINE = Mm(LINE_PITCH_MM)  # 固定值 line spacing: every line on the 22-line grid


def _font(target: Run | ParagraphStyle, face: fonts.Face, size_pt: float, *, bold: bool = False,
          color: str | None = None) -> None:
    """Name the face's office font for East Asian text (w:eastAsia) and Times New Roman for the rest."""
    font = target.font
    font.name = fonts.OFFICE_LATIN  # w:ascii and w:hAnsi
    font.size = Pt(size_pt)
    font.bold = bold
    if color:
        font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:  # font.name has just made it; kept for python-docx versions that do not
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), face.office)


def _paragraph(out: DocxDocument, text: str, face: fonts.Face, *, size_pt: float = BODY_PT, bold: bool = False,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False,
               color: str | None = None, exact: bool = True) -> DocxParagraph:
    para = out.add_paragraph()
    fmt = para.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = _LINE
    if indent:
        fmt.first_line_indent = Mm(2 * CHAR_PITCH_MM)
    _font(para.add_run(text), face, size_pt, bold=bold, color=color)
    return para


def _blank(out: DocxDocument, lines: int = 1) -> None:
    for _ in range(lines):
        _paragraph(out, "", fonts.BODY)


def _page_setup(out: DocxDocument) -> None:
    section = out.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    # The number's line sits 7 mm under the 版心: its distance from the page's lower edge.
    section.footer_distance = Mm(BOTTOM_MM - PAGE_NUMBER_BELOW_MM - PAGE_NUMBER_PT * 25.4 / 72)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_MM / 25.4 * 1440)))  # twips
    normal = out.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _font(normal, fonts.BODY, BODY_PT)
    # Odd and even footers differ (§7.5: 单页码居右空一字，双页码居左空一字).
    out.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(para: DocxParagraph, align: WD_ALIGN_PARAGRAPH) -> None:
    para.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        para.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        para.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
    _font(para.add_run("— "), fonts.BODY, PAGE_NUMBER_PT)
    run = para.add_run()
    _font(run, fonts.BODY, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    _font(para.add_run(" —"), fonts.BODY, PAGE_NUMBER_PT)


def _table(out: DocxDocument, table: Table) -> None:
    grid = out.add_table(rows=0, cols=2)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for key, value in table.rows:
        cells = grid.add_row().cells
        face = fonts.HEADING_1 if key in table.emphasis else fonts.BODY
        for cell, text in ((cells[0], key), (cells[1], value)):
            para = cell.paragraphs[0]
            para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(0)
            _font(para.add_run(text), face, BODY_PT)
        cells[0].width, cells[1].width = Mm(6 * CHAR_PITCH_MM + 4), Mm(156 - 6 * CHAR_PITCH_MM - 4)


def render(doc: Document) -> bytes:
    """The document as DOCX bytes."""
    out = new_docx()
    _page_setup(out)
    first = out.paragraphs[0] if out.paragraphs else None
    if first is not None:  # python-docx's template starts with an empty paragraph on some versions
        first._element.getparent().remove(first._element)
    if doc.organ:
        _paragraph(out, doc.organ, fonts.TITLE, size_pt=26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                   color=ORGAN_RED, exact=False)
        if doc.number:
            _blank(out)
            _paragraph(out, doc.number, fonts.BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
        rule = _paragraph(out, "", fonts.BODY)
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for attr, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "1"), ("w:color", ORGAN_RED.lstrip("#"))):
            bottom.set(qn(attr), value)
        border.append(bottom)
        rule._p.get_or_add_pPr().append(border)
        _blank(out)
    _paragraph(out, doc.title, fonts.TITLE, size_pt=TITLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, exact=False)
    _blank(out)
    if doc.addressee:
        _paragraph(out, f"{doc.addressee}：", fonts.BODY)
    for block in doc.body:
        if isinstance(block, Paragraph):
            _paragraph(out, block.text, fonts.BODY, indent=block.indent)
        elif isinstance(block, Heading):
            _paragraph(out, block.text, fonts.HEADING_1 if block.level == 1 else fonts.HEADING_2, indent=True)
        else:
            _table(out, block)
    _blank(out, STAMP_LINES if doc.stamp else 1)
    dated = chinese_date(doc.dated)
    signature_right, date_right = closing_indents(doc.signature, dated)
    sign = _paragraph(out, doc.signature, fonts.BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Mm(signature_right * CHAR_PITCH_MM)
    when = _paragraph(out, dated, fonts.BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
    when.paragraph_format.right_indent = Mm(date_right * CHAR_PITCH_MM)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
