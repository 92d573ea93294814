"""The 答复书: PDF and DOCX from one description, read back (text, fonts, the table, the red 版头), rendered
with pdftoppm and looked at; the 发文字号 numbered per organ and year."""

from __future__ import annotations

import datetime as _dt
import io
import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from shared.documents import layout
from tests.support.auth import AuthKeys
from tests.support.documents import dark_fraction, pdf_fonts, read_pdf, render_png
from tests.unit.services.handling.conftest import HANDLING_UNIT, client, route_item

TEXT = "经本院督促，有关机关已于2026年11月25日解除对该公司基本账户的冻结。"
BODY = {"kind": "final", "text": TEXT, "outcome": "resolved", "delivery": "post", "replied_on": "2026-11-27",
        "legal_basis": "《人民检察院办理群众来信工作规定》（2019年）：属本院管辖的，3个月内答复办理结果"}
FONTS = {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}


def _reply(app: Flask, keys: AuthKeys, sessions: sessionmaker[Session], today: _dt.date,
           body: dict[str, Any] = BODY) -> tuple[dict[str, Any], Any]:
    pid = route_item(sessions, received_on=_dt.date(2026, 11, 23), routed_on=today)
    handler = client(app, keys, "case_handler", HANDLING_UNIT)
    assert handler.post(f"/api/v1/handling/items/{pid}/accept").status_code == 200
    answer = handler.post(f"/api/v1/handling/items/{pid}/replies", json=body)
    assert answer.status_code == 201, answer.json
    return answer.json, handler


def test_the_pdf_carries_the_unit_number_petitioner_text_basis_and_chinese_date(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date,
        tmp_path: Path) -> None:
    reply, handler = _reply(review_app, test_keys, sessions, today)
    data = handler.get(reply["pdf_url"]).data
    back = read_pdf(data)
    lines = back.lines()
    assert back.page_size_mm == pytest.approx((210, 297), abs=0.1)
    assert lines[0] == "宛城区人民检察院" and lines[1] == "宛检信复〔2026〕1号"
    assert "关于信访事项的答复" in lines[2] and lines[3].startswith("南阳某机械有限公司（张*）")
    flat = back.flat
    for text in ("2026年11月23日通过网上方式反映", reply["case_number"], "解除对该公司基本账户的冻结",
                 "处理结果：已解决", "依据：《人民检察院办理群众来信工作规定》", "宛城区人民检察院", "邮寄",
                 "2026年11月27日"):
        assert text in flat, text
    assert back.pages == 1 and lines[-3:-1] == ["宛城区人民检察院", "2026年11月27日"]  # 落款, then the page number
    # Fonts: embedded, the title 小标宋's stand-in, the body 仿宋's.
    fonts = pdf_fonts(data)
    assert set(fonts) <= FONTS | {"AR-PL-UKai-CN"} and all(fonts.values())
    title = [c for c in back.chars if c.text in "关于信访事项的答复" and round(c.size) == 22]
    assert title and {c.font for c in title} == {"Noto-Serif-CJK-SC-Bold"}
    body = [c for c in back.chars if c.text in "解除对该公司基本账户的冻结" and round(c.size) == 16]
    assert body and {c.font for c in body} == {"Noto-Serif-CJK-SC"}
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # 版头 in red (GB/T 9704 §7.2.3)
        organ = [c for c in pdf.pages[0].chars if c["top"] < 200 and c["text"] in "宛城区人民检察院"
                 and round(c["size"]) == 26]
        colours = {tuple(round(v, 2) for v in c["non_stroking_color"]) for c in organ}
    assert organ and all(col[0] > 0.8 and col[1] < 0.2 for col in colours), colours
    for c in back.chars:  # in the 版心, the page number excepted
        if c.top_mm < 262:
            assert layout.LEFT_MM - 0.5 <= c.x0_mm and c.x1_mm <= layout.LEFT_MM + layout.TEXT_WIDTH_MM + 0.5, c
    [png, *_] = render_png(data, tmp_path)
    top, bottom = min(c.top_mm for c in title), max(c.bottom_mm for c in title)
    assert dark_fraction(png, top_mm=top, bottom_mm=bottom, left_mm=28, right_mm=184) > 0.03
    assert dark_fraction(png, top_mm=0, bottom_mm=297, left_mm=0, right_mm=27) == 0


def test_the_docx_names_the_office_fonts_and_holds_the_table(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    reply, handler = _reply(review_app, test_keys, sessions, today)
    doc = read_docx(io.BytesIO(handler.get(reply["docx_url"]).data))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "宛城区人民检察院" and texts[1] == "宛检信复〔2026〕1号" and texts[2] == "关于信访事项的答复"
    assert any("解除对该公司基本账户的冻结" in t for t in texts) and texts[-1] == "2026年11月27日"
    [table] = doc.tables
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows}
    assert rows == {"案件编号": reply["case_number"], "承办单位": "宛城区人民检察院", "送达方式": "邮寄"}
    body = next(p for p in doc.paragraphs if "解除对该公司" in p.text)
    east_asia = {r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in body.runs}
    assert east_asia == {"仿宋_GB2312"}
    organ_run = doc.paragraphs[0].runs[0]
    assert str(organ_run.font.color.rgb) == "E60012"


def test_numbers_follow_per_organ_and_year(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    first, _ = _reply(review_app, test_keys, sessions, today)
    second, _ = _reply(review_app, test_keys, sessions, today, {**BODY, "kind": "procedural", "outcome": None})
    assert (first["document_number"], second["document_number"]) == ("宛检信复〔2026〕1号", "宛检信复〔2026〕2号")
    procedural = read_pdf(client(review_app, test_keys, "case_handler", HANDLING_UNIT).get(second["pdf_url"]).data)
    assert "关于信访事项的程序性回复" in procedural.flat and "处理结果" not in procedural.flat


@pytest.mark.screenshots
def test_write_the_reply_screenshot(review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys,
                                    today: _dt.date, tmp_path: Path) -> None:
    """docs/screenshots/handling-reply-pdf.png (-m screenshots): the final reply's PDF as pdftoppm renders it."""
    reply, handler = _reply(review_app, test_keys, sessions, today)
    [png] = render_png(handler.get(reply["pdf_url"]).data, tmp_path)
    target = Path(__file__).resolve().parents[4] / "docs" / "screenshots" / "handling-reply-pdf.png"
    shutil.copy(png, target) if target.parent.is_dir() else pytest.fail(f"{target.parent} missing")
