"""The PDF 受理回执: GET /api/v1/petitions/<id>/receipt (a reprint, no code), POST with the code (printed
only if it verifies), and the receipt page's 下载 PDF 回执 — read back, looked at, and audited."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.documents import layout
from tests.support.documents import ReadBack, dark_fraction, pdf_fonts, read_pdf, render_png
from tests.unit.portal.conftest import post_form, soup
from tests.unit.services.intake.conftest import ID, PHONE, Browser, audit_rows, register_by_form

FONTS = {"Noto-Serif-CJK-SC-Bold", "Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}


def _pdf(resp: Any, case_number: str) -> ReadBack:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/pdf" and resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["Content-Disposition"].startswith("inline; ")
    assert f"filename*=UTF-8''{quote(f'受理回执-{case_number}.pdf')}" in resp.headers["Content-Disposition"]
    assert resp.data.startswith(b"%PDF-")
    return read_pdf(resp.data)


def _common(back: ReadBack, registered: dict[str, Any]) -> None:
    text = back.flat
    assert back.pages == 1 and back.page_size_mm == pytest.approx((210, 297), abs=0.1)
    assert "南阳市人民检察院" in back.lines()[0] and "受理回执" in back.lines()[1]
    assert registered["case_number"] in text and "南阳市人民检察院控告申诉检察部" in text
    assert "7日内告知受理情况" in text and "3个月内答复办理过程或结果" in text  # RULES §1
    assert "北京时间" in text and "张*" in text and "网上" in text and "http://localhost/public/status" in text
    assert "张三" not in text and ID not in text and PHONE not in text
    for c in back.chars:  # everything but the page number inside the GB/T 9704 版心
        if c.top_mm < 262:
            assert layout.LEFT_MM - 0.5 <= c.x0_mm and c.x1_mm <= layout.LEFT_MM + layout.TEXT_WIDTH_MM + 0.5, c
            assert c.top_mm >= layout.TOP_MM - 0.5, c


def test_the_reprint_pdf_has_the_facts_and_no_code(intake_app: Flask, intake_client: FlaskClient,
                                                   registered: dict[str, Any], tmp_path: Path) -> None:
    resp = intake_client.get(f"/api/v1/petitions/{registered['id']}/receipt")
    back = _pdf(resp, registered["case_number"])
    _common(back, registered)
    assert registered["query_code"] not in back.text and registered["query_code"].replace("-", "") not in back.text
    assert "补打的回执不再显示" in back.flat and "重新签发" in back.flat
    assert set(pdf_fonts(resp.data)) <= FONTS | {"AR-PL-UKai-CN"} and all(pdf_fonts(resp.data).values())
    title = [c for c in back.chars if c.text in "受理回执" and round(c.size) == 22]
    assert title and {c.font for c in title} == {"Noto-Serif-CJK-SC-Bold"}
    [row] = audit_rows(intake_app, "petition.receipt")
    assert (row.outcome, row.subject_id, row.detail["with_code"]) == ("success", registered["id"], False)
    # Looked at: the title band holds glyphs, the 订口 is blank.
    [png] = render_png(resp.data, tmp_path)
    top, bottom = min(c.top_mm for c in title), max(c.bottom_mm for c in title)
    assert dark_fraction(png, top_mm=top, bottom_mm=bottom, left_mm=28, right_mm=184) > 0.04
    assert dark_fraction(png, top_mm=0, bottom_mm=297, left_mm=0, right_mm=27) == 0


def test_the_code_is_printed_when_it_verifies(intake_app: Flask, intake_client: FlaskClient,
                                             registered: dict[str, Any]) -> None:
    typed = registered["query_code"].replace("-", "").lower()  # as a person might type it
    resp = intake_client.post(f"/api/v1/petitions/{registered['id']}/receipt", json={"query_code": typed})
    back = _pdf(resp, registered["case_number"])
    _common(back, registered)
    code_line = next(line for line in back.lines() if line.startswith("查询码"))
    assert registered["query_code"] in code_line  # the display form, ABCD-EFGH
    assert {c.font for c in back.chars if c.text in registered["query_code"] and c.top_mm > 150} >= {"Noto-Sans-CJK-SC"}
    [row] = audit_rows(intake_app, "petition.receipt")
    assert (row.outcome, row.detail["with_code"]) == ("success", True)
    assert registered["query_code"].replace("-", "") not in str(row.detail)


@pytest.mark.parametrize("code", ["ABCD-EFGH", "", "2222-2222"])
def test_a_code_that_does_not_verify_prints_nothing(intake_app: Flask, intake_client: FlaskClient,
                                                   registered: dict[str, Any], code: str) -> None:
    resp = intake_client.post(f"/api/v1/petitions/{registered['id']}/receipt", json={"query_code": code})
    assert resp.status_code == 422 and resp.mimetype == "application/json"
    if code:
        assert resp.json["code"] == "query_code_mismatch"
        assert resp.json["message"]["zh"].startswith("查询码与该件不符") and "query code" in resp.json["message"]["en"]
        [row] = audit_rows(intake_app, "petition.receipt")
        assert (row.outcome, row.detail["reason"]) == ("failure", "query_code_mismatch")
    else:
        assert "query_code" in str(resp.json["errors"])
    assert not resp.data.startswith(b"%PDF")


def test_another_petitions_code_does_not_open_this_one(intake_client: FlaskClient, registered: dict[str, Any]) -> None:
    other = intake_client.post("/api/v1/petitions", json=copy.deepcopy(PETITION_EXAMPLE)).json
    resp = intake_client.post(f"/api/v1/petitions/{registered['id']}/receipt", json={"query_code": other["query_code"]})
    assert resp.status_code == 422 and resp.json["code"] == "query_code_mismatch"


def test_a_reissued_code_replaces_the_old_one_on_the_pdf(intake_client: FlaskClient, registered: dict[str, Any]) -> None:
    new = intake_client.post(f"/api/v1/petitions/{registered['id']}/query-code", json={"reason": "信访人遗失受理回执"}).json
    path = f"/api/v1/petitions/{registered['id']}/receipt"
    assert intake_client.post(path, json={"query_code": registered["query_code"]}).status_code == 422
    assert new["query_code"] in read_pdf(intake_client.post(path, json={"query_code": new["query_code"]}).data).text


def test_another_units_petition_is_404_code_or_not(test_keys: Any, intake_app: Flask, registered: dict[str, Any]) -> None:
    client = intake_app.test_client()
    for role, unit in [("intake_clerk", "NY-JCY-WC"), ("court_clerk", "NY-FY")]:
        headers = test_keys.headers(role, unit)
        path = f"/api/v1/petitions/{registered['id']}/receipt"
        assert client.get(path, headers=headers).status_code == 404
        assert client.post(path, json={"query_code": registered["query_code"]}, headers=headers).status_code == 404
    assert audit_rows(intake_app, "petition.receipt") == []


@pytest.mark.parametrize("role", ["triage_officer", "case_handler", "unit_leader", "task_force", "auditor", "admin"])
def test_only_the_registering_roles_get_the_pdf(test_keys: Any, intake_app: Flask, registered: dict[str, Any],
                                                role: str) -> None:
    client = intake_app.test_client()
    path = f"/api/v1/petitions/{registered['id']}/receipt"
    assert client.get(path, headers=test_keys.headers(role, "NY-JCY")).status_code == 403
    assert client.post(path, json={"query_code": registered["query_code"]},
                       headers=test_keys.headers(role, "NY-JCY")).status_code == 403
    assert client.get(path).status_code == 401


def test_a_12368_receipt_carries_the_courts_commitments(test_keys: Any, intake_app: Flask) -> None:
    court = intake_app.test_client()
    headers = test_keys.headers("court_clerk")
    body = copy.deepcopy(PETITION_EXAMPLE) | {"line": "12368", "petition_type": "联系法官", "channel": "电",
                                            "related_case_number": "（2022）豫13民初1234号"}
    created = court.post("/api/v1/petitions", json=body, headers=headers).json
    resp = court.post(f"/api/v1/petitions/{created['id']}/receipt", json={"query_code": created["query_code"]},
                      headers=headers)
    back = _pdf(resp, created["case_number"])
    assert back.lines()[0] == "南阳市中级人民法院" and "12368 诉讼服务受理回执" in back.lines()[1]
    assert "当场答复" in back.flat and "2个工作日内回复" in back.flat and "7日" not in back.flat
    assert created["query_code"] in back.text and back.pages == 1


def test_the_receipt_page_downloads_its_pdf_with_the_code(intake_app: Flask, browser: Browser) -> None:
    clerk = browser("intake_clerk")
    page = register_by_form(clerk)
    assert page.status_code == 201
    html = soup(page.data)
    code = html.find(class_="query-code").get_text()
    form = html.find("form", attrs={"action": lambda a: bool(a) and a.endswith("/receipt.pdf")})
    hidden = {i["name"]: i["value"] for i in form.find_all("input", attrs={"type": "hidden"})}
    assert form["method"] == "post" and hidden["query_code"] == code and hidden["csrf_token"]
    assert form.find("button").get_text() == "下载 PDF 回执"
    resp = clerk.post(form["action"], data=hidden, headers={"Origin": "http://localhost"})
    assert resp.mimetype == "application/pdf" and code in read_pdf(resp.data).text
    # Without the form's CSRF token nothing is printed.
    assert clerk.post(form["action"], data={"query_code": code}).status_code == 400


def test_the_reprint_page_links_the_pdf_and_a_forged_code_is_refused(intake_app: Flask, browser: Browser,
                                                                     registered: dict[str, Any]) -> None:
    clerk = browser("intake_clerk")
    receipt_path = f"/petitions/{registered['id']}/receipt"
    link = soup(clerk.get(receipt_path).data).find("a", class_="receipt-pdf")
    assert link["href"] == f"{receipt_path}.pdf" and link.get_text() == "下载 PDF 回执"
    resp = clerk.get(link["href"])
    assert resp.mimetype == "application/pdf" and resp.headers["Cache-Control"] == "no-store"
    assert registered["query_code"] not in read_pdf(resp.data).text
    forged = post_form(clerk, f"{receipt_path}.pdf", {"query_code": "ABCD-EFGH"}, form_on=receipt_path)
    assert forged.status_code == 422 and forged.mimetype == "text/html"
    assert "查询码与该件不符" in forged.get_data(as_text=True) and "ABCD-EFGH" not in forged.get_data(as_text=True)
    assert browser("triage_officer").get(link["href"]).status_code == 403
    assert browser("intake_clerk", "NY-JCY-WC").get(link["href"]).status_code == 404


@pytest.mark.screenshots
def test_write_the_receipt_screenshot(intake_client: FlaskClient, registered: dict[str, Any], tmp_path: Path) -> None:
    """docs/screenshots/receipt-pdf.png (make screenshots): the receipt with its code, as pdftoppm renders it."""
    resp = intake_client.post(f"/api/v1/petitions/{registered['id']}/receipt",
                              json={"query_code": registered["query_code"]})
    [png] = render_png(resp.data, tmp_path, dpi=80)
    target = Path(__file__).resolve().parents[4] / "docs" / "screenshots" / "receipt-pdf.png"
    os.replace(png, target) if target.parent.is_dir() else pytest.fail(f"{target.parent} missing")
