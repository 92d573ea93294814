"""The actions' documents (催办函 …): PDF and DOCX read back (text, fonts, the table, the red 版头),
rendered with pdftoppm; the API's refusals (no flag, another unit, bad input) with their codes; the
scan's statements on SQLite too (the local stack)."""

from __future__ import annotations

import datetime as _dt
import io
import shutil
from pathlib import Path

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.cases.clearance import jobs
from services.review.cases.clearance.models import ClearanceAction
from shared.documents import layout
from tests.support.auth import AuthKeys
from tests.support.clearance import add_case
from tests.support.documents import dark_fraction, pdf_fonts, read_pdf, render_png
from tests.unit.services.handling.conftest import client

D = _dt.date
FONTS = {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}


def _flagged(sessions: sessionmaker[Session], today: _dt.date) -> tuple[str, str]:
    with sessions() as session, session.begin():
        flagged = add_case(session, filed_on=D(2024, 3, 1), number="宛公经立字〔2024〕101号").id
        fresh = add_case(session, filed_on=today - _dt.timedelta(days=10)).id
    jobs.run_once(sessions, today=today)
    return flagged, fresh


def test_the_urge_letter_as_pdf_and_docx(review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys,
                                        today: _dt.date, tmp_path: Path) -> None:
    case_id, _ = _flagged(sessions, today)
    prosecutor = client(review_app, test_keys, "prosecutor", "NY-JCY-WC")
    seen = prosecutor.get(f"/api/v1/hanging-clearance/cases/{case_id}").json
    assert {f["rule_code"] for f in seen["flags"]} == {"hanging_case.no_measure", "hanging_case.urge"}
    assert "公通字〔2017〕25号" in next(f["basis"] for f in seen["flags"] if f["rule_code"] == "hanging_case.no_measure")
    assert set(seen["available_actions"]) == {"urge", "explain", "withdraw_notice", "listed"}
    answer = prosecutor.post(f"/api/v1/hanging-clearance/cases/{case_id}/actions",
                             json={"kind": "urge", "text": "请于收到本函后十日内书面告知侦查进展。"})
    assert answer.status_code == 201, answer.json
    action = answer.json
    assert action["document_number"] == f"宛检侦监催〔{today.year}〕1号"
    data = prosecutor.get(action["pdf_url"]).data
    back = read_pdf(data)
    lines = back.lines()
    assert back.page_size_mm == pytest.approx((210, 297), abs=0.1)
    assert lines[0] == "宛城区人民检察院" and lines[1] == action["document_number"] and lines[2] == "催办函"
    assert lines[3] == "南阳市公安局宛城分局："
    for text in ("宛公经立字〔2024〕101号", "第五百六十四条", "请于收到本函后十日内书面告知侦查进展", "南阳某机械有限公司",
                 "立案满3个月未侦查终结", "2024年3月1日立案侦查"):
        assert text in back.flat, text
    fonts = pdf_fonts(data)
    assert set(fonts) <= FONTS | {"AR-PL-UKai-CN"} and all(fonts.values())
    title = [c for c in back.chars if c.text in "催办函" and round(c.size) == 22]
    assert title and {c.font for c in title} == {"Noto-Serif-CJK-SC-Bold"}
    body = [c for c in back.chars if c.text in "加快侦查进度" and round(c.size) == 16]
    assert body and {c.font for c in body} == {"Noto-Serif-CJK-SC"}
    for c in back.chars:
        if c.top_mm < 262:
            assert layout.LEFT_MM - 0.5 <= c.x0_mm and c.x1_mm <= layout.LEFT_MM + layout.TEXT_WIDTH_MM + 0.5, c
    pngs = render_png(data, tmp_path, dpi=60)
    png = pngs[0]
    assert dark_fraction(png, top_mm=0, bottom_mm=297, left_mm=0, right_mm=27) == 0
    for n, page in enumerate(pngs, start=1):
        shutil.copy(page, Path(f"/tmp/clearance-urge-letter-{n}.png"))
    doc = read_docx(io.BytesIO(prosecutor.get(action["docx_url"]).data))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "宛城区人民检察院" and texts[1] == action["document_number"] and texts[2] == "催办函"
    [table] = doc.tables
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows}
    assert rows["案号"] == "宛公经立字〔2024〕101号" and rows["监督事由"] == "立案满3个月未侦查终结"
    body_para = next(p for p in doc.paragraphs if "加快侦查进度" in p.text)
    assert {r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in body_para.runs} == {"仿宋_GB2312"}
    assert str(doc.paragraphs[0].runs[0].font.color.rgb) == "E60012"
    # A second 催办函 of the organ that year takes the next number; the reader above may read it, not send one.
    again = prosecutor.post(f"/api/v1/hanging-clearance/cases/{case_id}/actions", json={"kind": "urge"})
    assert again.json["document_number"] == f"宛检侦监催〔{today.year}〕2号"
    leader = client(review_app, test_keys, "unit_leader", "NY-JCY")
    assert leader.get(action["pdf_url"]).status_code == 200
    assert leader.post(f"/api/v1/hanging-clearance/cases/{case_id}/actions", json={"kind": "urge"}).status_code == 403


def test_refusals_have_codes_and_store_nothing(review_app: Flask, sessions: sessionmaker[Session],
                                               test_keys: AuthKeys, today: _dt.date) -> None:
    flagged, fresh = _flagged(sessions, today)
    prosecutor = client(review_app, test_keys, "prosecutor", "NY-JCY-WC")
    no_flag = prosecutor.post(f"/api/v1/hanging-clearance/cases/{fresh}/actions", json={"kind": "urge"})
    assert no_flag.status_code == 409 and no_flag.json["code"] == "action_not_available"
    bad = prosecutor.post(f"/api/v1/hanging-clearance/cases/{flagged}/actions", json={"kind": "letter"})
    assert bad.status_code == 422
    continued = prosecutor.post(f"/api/v1/hanging-clearance/cases/{flagged}/outcome",
                                json={"outcome": "continued", "outcome_on": today.isoformat()})
    assert continued.status_code == 422
    elsewhere = client(review_app, test_keys, "prosecutor", "NY-JCY-WL")
    missing = elsewhere.get(f"/api/v1/hanging-clearance/cases/{flagged}")
    assert missing.status_code == 404 and missing.json["code"] == "hanging_case_not_found"
    assert client(review_app, test_keys, "case_handler", "NY-JCY-WC").get(
        f"/api/v1/hanging-clearance/cases/{flagged}").status_code == 403
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ClearanceAction)) == 0
    # Cleared: the flags resolve, the queue filter by status finds it.
    done = prosecutor.post(f"/api/v1/hanging-clearance/cases/{flagged}/outcome",
                           json={"outcome": "withdrawn", "outcome_on": today.isoformat()})
    assert done.status_code == 200 and all(f["resolved_on"] == today.isoformat() for f in done.json["flags"])
    listed = prosecutor.get("/api/v1/hanging-clearance/cases?status=cleared").json
    assert [r["id"] for r in listed["rows"]] == [flagged]
