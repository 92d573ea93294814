"""shared/documents: the same Document as PDF and DOCX on the GB/T 9704 page, read back and looked at."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from shared.documents import Document, Heading, Paragraph, Table, fonts, layout, pdf, word
from tests.support.documents import ReadBack, dark_fraction, first_dark_row_mm, pdf_fonts, read_pdf, render_png

FULL_LINE = "南阳市人民检察院依法受理企业反映的问题并及时答复" + "办理情况"  # 28 characters
DOC = Document(
    organ="南阳市人民检察院",
    number="宛检控〔2026〕12号",
    title="关于某某事项的检察建议书",
    addressee="南阳市宛城区示例机械有限公司",
    body=(
        Paragraph(FULL_LINE * 2, indent=False),
        Heading("一、基本情况"),
        Paragraph("本院在履行法律监督职责中发现，贵单位存在以下问题。" * 3),
        Heading("（一）具体问题", level=2),
        Table(rows=(("案件编号", "NY-12309-2026-000012"), ("查询码", "7KQ3-XM9T")), emphasis=frozenset({"查询码"})),
        Paragraph("特此函告。"),
    ),
    signature="南阳市人民检察院控告申诉检察部",
    dated=date(2026, 12, 3),
)


@pytest.fixture(scope="module")
def made() -> bytes:
    return pdf.render(DOC)


@pytest.fixture(scope="module")
def back(made: bytes) -> ReadBack:
    return read_pdf(made)


def _chars_of(back: ReadBack, text: str) -> list:  # type: ignore[type-arg]
    """The characters of the first line that reads `text`."""
    for line in sorted({(c.page, round(c.top_mm, 1)) for c in back.chars}):
        row = sorted((c for c in back.chars if (c.page, round(c.top_mm, 1)) == line), key=lambda c: c.x0_mm)
        if text in "".join(c.text for c in row):
            return row
    raise AssertionError(f"no line reads {text!r}")


def test_the_text_reads_back_in_order(back: ReadBack) -> None:
    lines = back.lines()
    assert lines[:3] == ["南阳市人民检察院", "宛检控〔2026〕12号", "关于某某事项的检察建议书"]
    assert "南阳市宛城区示例机械有限公司：" in lines
    assert "2026年12月3日" in back.text and "南阳市人民检察院控告申诉检察部" in back.text
    assert "NY-12309-2026-000012" in back.text and "7KQ3-XM9T" in back.text


def test_the_fonts_are_embedded_and_are_the_chosen_ones(made: bytes, back: ReadBack) -> None:
    assert pdf_fonts(made) == {"Noto-Serif-CJK-SC-Bold": True, "Noto-Serif-CJK-SC": True,
                               "Noto-Sans-CJK-SC": True, "AR-PL-UKai-CN": True}
    title = _chars_of(back, "检察建议书")
    assert {c.font for c in title} == {"Noto-Serif-CJK-SC-Bold"} and round(title[0].size) == 22  # 2号
    body = _chars_of(back, "本院在履行法律监督职责中发现")
    assert {c.font for c in body} == {"Noto-Serif-CJK-SC"} and round(body[0].size) == 16  # 3号
    assert {c.font for c in _chars_of(back, "一、基本情况")} == {"Noto-Sans-CJK-SC"}  # 黑体
    assert {c.font for c in _chars_of(back, "（一）具体问题")} == {"AR-PL-UKai-CN"}  # 楷体
    assert {c.font for c in _chars_of(back, "7KQ3-XM9T") if c.text.strip()} == {"Noto-Sans-CJK-SC"}
    organ = _chars_of(back, "南阳市人民检察院")
    assert {c.font for c in organ} == {"Noto-Serif-CJK-SC-Bold"}


def test_a4_with_everything_inside_the_type_area(back: ReadBack) -> None:
    assert back.page_size_mm == pytest.approx((210, 297), abs=0.1)
    number = [c for c in back.chars if c.top_mm > 262]
    inside = [c for c in back.chars if c not in number]
    assert min(c.x0_mm for c in inside) >= layout.LEFT_MM - 0.5
    assert max(c.x1_mm for c in inside) <= layout.LEFT_MM + layout.TEXT_WIDTH_MM + 0.5
    assert min(c.top_mm for c in inside) >= layout.TOP_MM - 0.5
    assert max(c.bottom_mm for c in inside) <= layout.TOP_MM + layout.TEXT_HEIGHT_MM + 0.5
    # The text starts at the 订口 (a left margin of 28 mm), not somewhere inside it.
    assert min(c.x0_mm for c in inside) == pytest.approx(layout.LEFT_MM, abs=0.5)


def test_28_characters_a_line_and_22_lines_a_page(back: ReadBack) -> None:
    rows = sorted({(c.page, round(c.top_mm, 1)) for c in back.chars})
    lines = [sorted((c for c in back.chars if (c.page, round(c.top_mm, 1)) == row), key=lambda c: c.x0_mm)
             for row in rows]
    first, second = [line for line in lines if "".join(c.text for c in line) == FULL_LINE]  # one paragraph, two lines
    assert first[-1].x1_mm == pytest.approx(layout.LEFT_MM + layout.TEXT_WIDTH_MM, abs=0.6)
    assert second[0].top_mm - first[0].top_mm == pytest.approx(layout.TEXT_HEIGHT_MM / 22, abs=0.05)


def test_the_page_number_sits_under_the_type_area_and_the_date_is_four_characters_in(back: ReadBack) -> None:
    pages = {c.page for c in back.chars}
    for page in pages:
        number = [c for c in back.chars if c.page == page and c.top_mm > 262]
        assert "".join(c.text for c in number).replace(" ", "") == f"—{page}—"
        assert {round(c.size) for c in number} == {14}  # 4号
        assert min(c.top_mm for c in number) > layout.TOP_MM + layout.TEXT_HEIGHT_MM
        if page % 2:  # odd: right, one character in; even: left
            assert max(c.x1_mm for c in number) == pytest.approx(184 - 14 / 72 * 25.4, abs=1.5)
    dated = _chars_of(back, "2026年12月3日")
    # This 署名 (15 characters) is so long that, centred on a date 右空四字, it would leave the
    # 版心: both move left until the 署名 keeps 右空二字.
    assert signed_right(back) == pytest.approx(184 - 2 * layout.CHAR_PITCH_MM, abs=1.0)
    signed = _chars_of(back, "控告申诉检察部")
    centre = (signed[0].x0_mm + signed[-1].x1_mm) / 2
    assert centre == pytest.approx((dated[0].x0_mm + dated[-1].x1_mm) / 2, abs=1.0)  # 署名 centred on the date
    assert dated[0].top_mm > signed[0].top_mm


def test_the_page_renders_with_text_in_the_title_band_and_clean_margins(made: bytes, back: ReadBack,
                                                                        tmp_path: Path) -> None:
    pages = render_png(made, tmp_path)
    assert len(pages) == back.pages
    title = _chars_of(back, "检察建议书")
    band = dark_fraction(pages[0], top_mm=title[0].top_mm, bottom_mm=title[0].bottom_mm, left_mm=28, right_mm=184)
    assert band > 0.05, band  # glyphs, not an empty band (nor tofu boxes, which are mostly white)
    organ = dark_fraction(pages[0], top_mm=37, bottom_mm=60, left_mm=28, right_mm=184)
    assert organ > 0.02
    assert dark_fraction(pages[0], top_mm=0, bottom_mm=297, left_mm=0, right_mm=27) == 0  # the 订口 is blank
    assert dark_fraction(pages[0], top_mm=0, bottom_mm=36, left_mm=0, right_mm=210) == 0  # the 天头 too
    # §7.5: the page number's line 7 mm under the 版心, right on odd pages and left on even ones.
    bottom = layout.TOP_MM + layout.TEXT_HEIGHT_MM
    for number, png in enumerate(pages, start=1):
        left, right = (150, 184) if number % 2 else (28, 62)
        top = first_dark_row_mm(png, top_mm=bottom + 0.5, bottom_mm=297, left_mm=left, right_mm=right)
        assert top is not None and top - bottom == pytest.approx(layout.PAGE_NUMBER_BELOW_MM, abs=0.5)
        other = (28, 62) if number % 2 else (150, 184)
        assert first_dark_row_mm(png, top_mm=bottom + 0.5, bottom_mm=297, left_mm=other[0], right_mm=other[1]) is None


def signed_right(back: ReadBack) -> float:
    return float(_chars_of(back, "控告申诉检察部")[-1].x1_mm)


def test_a_short_signature_leaves_the_date_four_characters_in() -> None:
    doc = Document(title="通知", body=(Paragraph("特此通知。"),), signature="南阳市人民检察院", dated=date(2026, 12, 3))
    back = read_pdf(pdf.render(doc))
    dated = _chars_of(back, "2026年12月3日")
    assert dated[-1].x1_mm == pytest.approx(184 - 4 * layout.CHAR_PITCH_MM, abs=1.0)  # 右空四字
    signed = _chars_of(back, "南阳市人民检察院")
    assert (signed[0].x0_mm + signed[-1].x1_mm) / 2 == pytest.approx((dated[0].x0_mm + dated[-1].x1_mm) / 2, abs=1.0)
    assert layout.closing_indents("南阳市人民检察院", "2026年12月3日") == (3.25, 4.0)


def test_text_is_escaped_not_markup() -> None:
    doc = Document(title="<b>标题</b>", body=(Paragraph("a < b & c"),), signature="某院", dated=date(2026, 1, 5))
    text = read_pdf(pdf.render(doc)).text
    assert "<b>标题</b>" in text and "a < b & c" in text and "2026年1月5日" in text


def test_a_missing_font_is_refused_not_substituted(monkeypatch: pytest.MonkeyPatch) -> None:
    ghost = fonts.Face("body", "No Such Font SC", 400, "仿宋_GB2312", "fonts-no-such")
    monkeypatch.setattr(fonts, "FACES", (fonts.TITLE, ghost))
    assert fonts.missing() == [ghost]
    with pytest.raises(fonts.FontMissing, match="fonts-no-such"):
        pdf.render(DOC)


def test_the_chinese_date_has_no_leading_zeros() -> None:
    assert layout.chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert layout.chinese_date(date(2026, 12, 31)) == "2026年12月31日"


def _east_asia(run: object) -> str | None:
    rpr = run._r.rPr  # type: ignore[attr-defined]
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def test_the_docx_has_the_same_text_the_office_fonts_and_the_gbt9704_page() -> None:
    opened = docx.Document(io.BytesIO(word.render(DOC)))
    section = opened.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.left_margin, section.right_margin,
                                   section.bottom_margin)] == [37, 28, 26, 35]
    texts = [p.text for p in opened.paragraphs if p.text]
    assert texts[:3] == ["南阳市人民检察院", "宛检控〔2026〕12号", "关于某某事项的检察建议书"]
    assert "南阳市宛城区示例机械有限公司：" in texts and texts[-2:] == ["南阳市人民检察院控告申诉检察部", "2026年12月3日"]
    by_text = {p.text: p for p in opened.paragraphs if p.text}
    cases = {"关于某某事项的检察建议书": ("方正小标宋简体", 22), FULL_LINE * 2: ("仿宋_GB2312", 16),
             "一、基本情况": ("黑体", 16), "（一）具体问题": ("楷体_GB2312", 16), "2026年12月3日": ("仿宋_GB2312", 16)}
    for text, (east_asia, size) in cases.items():
        run = by_text[text].runs[0]
        assert (_east_asia(run), run.font.name, run.font.size.pt) == (east_asia, "Times New Roman", size), text
    assert by_text["南阳市人民检察院"].runs[0].font.color.rgb == docx.shared.RGBColor(0xE6, 0x00, 0x12)
    body = by_text["本院在履行法律监督职责中发现，贵单位存在以下问题。" * 3].paragraph_format
    assert round(body.first_line_indent.mm, 1) == round(2 * layout.CHAR_PITCH_MM, 1)
    assert round(body.line_spacing.mm, 1) == round(layout.LINE_PITCH_MM, 1)
    [table] = opened.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["案件编号", "NY-12309-2026-000012"],
                                                                  ["查询码", "7KQ3-XM9T"]]
    assert _east_asia(table.rows[1].cells[1].paragraphs[0].runs[0]) == "黑体"
    footer = section.footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in section.even_page_footer.paragraphs[0]._p.xml
    assert opened.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
