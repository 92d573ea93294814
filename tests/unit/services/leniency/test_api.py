"""The 首违不罚 API: a check and its answer, refusals (403/404/409/422 with zh+en, nothing stored), the
lists per enterprise and unit, the 检察建议 draft and its documents read back (text, fonts) and
rendered once with pdftoppm."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from flask import Flask
from sqlalchemy import func, select

from services.review.leniency.models import LeniencyCheck
from shared.calendar import beijing_today
from shared.documents import chinese_date
from tests.support.documents import pdf_fonts, read_pdf, render_png
from tests.unit.services.leniency.conftest import CREDIT, GOOD, OTHER_CREDIT

FONTS = {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}


def _stored(app: Flask) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return session.scalar(select(func.count()).select_from(LeniencyCheck)) or 0


def test_a_check_answers_with_every_condition_and_its_basis(api: Any) -> None:
    answer = api("POST", "/api/v1/leniency-checks", body=GOOD)
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert (body["outcome"], body["strength"], body["list_version"]) == ("suggested", "must", 1)
    statuses = {c["key"]: c["status"] for c in body["conditions"]}
    assert statuses["art33.no_harm"] == statuses["list.first"] == statuses["list.corrected"] == "met"
    assert {"list.in_force", "list.item", "art33.minor_violation", "art33.first"} <= set(statuses)
    assert body["basis"][0].startswith("《中华人民共和国行政处罚法》第三十三条第一款")
    assert "国家税务总局公告2021年第6号" in body["basis"][1] and "第3项" in body["basis"][1]
    assert any("未经核实" in u for u in body["unconfirmed"]) and body["recommendation"] is None
    again = api("GET", f"/api/v1/leniency-checks/{body['id']}", "task_force")
    assert again.status_code == 200 and again.json["conditions"] == body["conditions"]


def test_bad_input_is_422_with_the_fields_in_chinese_and_english_and_nothing_stored(review_app: Flask, api: Any) -> None:
    bad = {**GOOD, "credit_code": "91411300MA44XK6U4R", "harm": "huge", "corrected_on": "2026-10-01"}
    answer = api("POST", "/api/v1/leniency-checks", body=bad)
    assert answer.status_code == 422
    problems = {p["field"]: p for p in answer.json["problems"]}
    assert {"credit_code", "harm"} <= set(problems)
    assert problems["credit_code"]["message"]["zh"] and problems["credit_code"]["message"]["en"]
    unknown = api("POST", "/api/v1/leniency-checks", body={**GOOD, "list_code": "samr-2025-1"})
    assert unknown.status_code == 422 and unknown.json["code"] == "leniency_list.unknown"
    future = api("POST", "/api/v1/leniency-checks", body={**GOOD, "act_on": "2026-12-30", "corrected_on": None,
                                                          "discovered_on": None})
    assert future.status_code == 422 and future.json["code"] == "leniency_check.date"
    assert _stored(review_app) == 0


def test_who_may_check_and_who_sees(review_app: Flask, api: Any) -> None:
    assert api("POST", "/api/v1/leniency-checks", "case_handler", body=GOOD).status_code == 403
    court = api("POST", "/api/v1/leniency-checks", "unit_leader", "NY-FY", body=GOOD)
    assert court.status_code == 403 and court.json["code"] == "not_procuratorate"
    mine = api("POST", "/api/v1/leniency-checks", body=GOOD).json["id"]
    theirs = api("POST", "/api/v1/leniency-checks", "prosecutor", "NY-JCY-WC",
                 body={**GOOD, "credit_code": OTHER_CREDIT}).json["id"]
    assert api("GET", f"/api/v1/leniency-checks/{theirs}").status_code == 404  # 行政检察部 does not see 宛城
    assert api("GET", f"/api/v1/leniency-checks/{mine}", "prosecutor", "NY-JCY-WC").status_code == 404
    assert api("GET", f"/api/v1/leniency-checks/{theirs}", "unit_leader").status_code == 200  # 市院 sees below
    by_enterprise = api("GET", f"/api/v1/leniency-checks?credit_code={CREDIT}", "task_force").json
    assert [c["id"] for c in by_enterprise] == [mine]
    by_unit = api("GET", "/api/v1/leniency-checks?unit=NY-JCY-WC", "unit_leader").json
    assert [c["id"] for c in by_unit] == [theirs]
    assert api("GET", "/api/v1/leniency-checks?credit_code=123", "unit_leader").status_code == 422
    assert len(api("GET", "/api/v1/leniency-lists").json) == 2


def test_a_negative_result_explains_and_cannot_become_a_recommendation(api: Any) -> None:
    check = api("POST", "/api/v1/leniency-checks", body={**GOOD, "harm": "significant"}).json
    assert check["outcome"] == "not_applicable" and "危害后果较重" in check["explanation"]
    refused = api("POST", f"/api/v1/leniency-checks/{check['id']}/recommendation", body={})
    assert refused.status_code == 409 and refused.json["code"] == "leniency_check.not_suggested"
    assert api("GET", f"/api/v1/leniency-checks/{check['id']}/recommendation/pdf").status_code == 404


def test_the_recommendation_documents_read_back(api: Any, tmp_path: Path) -> None:
    check = api("POST", "/api/v1/leniency-checks", body=GOOD).json
    drafted = api("POST", f"/api/v1/leniency-checks/{check['id']}/recommendation", "unit_leader", "NY-JCY-XZ", body={})
    assert drafted.status_code == 201, drafted.json
    assert drafted.json["document_number"] == f"南检行建〔{beijing_today().year}〕1号"
    assert api("POST", f"/api/v1/leniency-checks/{check['id']}/recommendation", body={}).status_code == 409
    pdf = api("GET", drafted.json["pdf_url"], "task_force")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.headers["Cache-Control"] == "no-store"
    back = read_pdf(pdf.data)
    lines = back.lines()
    assert lines[0] == "南阳市人民检察院" and lines[1] == drafted.json["document_number"] and "检察建议书" in lines[2]
    assert lines[3].startswith("国家税务总局南阳市宛城区税务局")
    flat = back.flat
    for text in ("南阳市宛城区示例商贸有限公司", CREDIT, "国家税务总局公告2021年第6号", "应当不予处罚",
                 "第三十三条第一款", "核对提示", chinese_date(beijing_today())):
        assert text in flat, text
    assert set(pdf_fonts(pdf.data)) <= FONTS and all(pdf_fonts(pdf.data).values())
    docx = api("GET", drafted.json["docx_url"])
    assert docx.status_code == 200
    word = read_docx(io.BytesIO(docx.data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert drafted.json["document_number"] in text and "检察建议书" in text and "应当不予处罚" in text
    table = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert table["统一社会信用代码"] == CREDIT and table["审查结论"] == "建议应当不予处罚"
    body = next(p for p in word.paragraphs if "本院在履行行政违法行为监督职责中发现" in p.text)
    assert {r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in body.runs} == {"仿宋_GB2312"}
    assert str(word.paragraphs[0].runs[0].font.color.rgb) == "E60012"  # the red 版头
    title = [c for c in back.chars if c.text in "检察建议书" and c.size > 20]
    assert title and {c.font for c in title} == {"Noto-Serif-CJK-SC-Bold"}
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    pngs = render_png(pdf.data, tmp_path, dpi=60)
    assert len(pngs) == back.pages
    for n, png in enumerate(pngs, start=1):  # looked at by hand (docs/review/leniency.md)
        shutil.copy(png, Path(f"/tmp/leniency-recommendation-{n}.png"))
