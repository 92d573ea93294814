"""诚信证明: issued only for a removed record, the PDF parsed back (text, embedded CJK fonts, the QR
code's payload), the verification code stored only hashed, the notice to notify, and the public check
(valid / revoked / not found / rate limit with Retry-After), every check audited."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import segno
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.review.dishonesty import certificate
from services.review.dishonesty.models import Certificate
from shared.audit.models import AuditEntry
from shared.outbox.models import OutboxMessage
from shared.pii import decrypt
from tests.support.dishonesty import API, ID_NUMBER, Courts, at, register, step
from tests.support.documents import pdf_fonts, read_pdf, render_png

VERIFY = "/api/v1/public/certificates/verify"


def _removed(client: FlaskClient, courts: Courts, **over: Any) -> dict[str, Any]:
    with time_machine.travel(at(date(2026, 9, 30)), tick=False):
        listing = register(client, courts.clerk, listed_on="2026-03-02", **over)
        step(client, courts.clerk, f"{listing['id']}/removal-ground", {"ground": "performed", "evidence": "履行完毕确认书"})
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        return step(client, courts.judge, f"{listing['id']}/removal", {})  # type: ignore[no-any-return]


def _issue(client: FlaskClient, courts: Courts, listing_id: str) -> dict[str, Any]:
    with time_machine.travel(at(date(2026, 10, 9)), tick=False):
        return step(client, courts.clerk, f"{listing_id}/certificates", {}, 201)  # type: ignore[no-any-return]


def _pdf(app: Flask, certificate_id: str) -> bytes:
    with app.extensions["huhang"].session_factory() as s:
        row = s.get(Certificate, certificate_id)
        assert row is not None
        return row.pdf


def _qr_matrix_of_svg(svg: str) -> list[list[bool]]:
    """The dark modules of segno's SVG path (``M x y h n m dx dy h n ...``): the code as drawn."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path is not None
    cells: set[tuple[int, int]] = set()
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.group(1)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for i in range(int(float(a))):
                cells.add((int(x) + i, int(y - 0.5)))
            x += float(a)
    # The quiet zone: the top-left finder pattern's corner is the code's first dark module.
    left, top = min(c[0] for c in cells), min(c[1] for c in cells)
    size = max(max(c[0] for c in cells) - left, max(c[1] for c in cells) - top) + 1
    return [[(left + col, top + row) in cells for col in range(size)] for row in range(size)]


def test_a_listed_record_gets_no_certificate(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        listing = register(client, courts.clerk)
        refused = client.post(f"{API}/{listing['id']}/certificates", json={}, headers=courts.clerk)
    assert refused.status_code == 409 and refused.get_json()["code"] == "dishonesty.wrong_status"


def test_the_certificate_pdf_reads_back_with_its_facts_fonts_and_qr(
    review_app: Flask, client: FlaskClient, courts: Courts, tmp_path: Path,
) -> None:
    listing = _removed(client, courts)
    issued = _issue(client, courts, listing["id"])
    code, cert = issued["code"], issued["certificate"]
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{16}", code)
    assert cert["number"] == "南法诚证〔2026〕1号" and cert["issued_on"] == "2026-10-09"
    pdf = _pdf(review_app, cert["id"])
    assert hashlib.sha256(pdf).hexdigest() == cert["pdf_sha256"]
    text = read_pdf(pdf).flat
    for fact in ("南阳市中级人民法院", "南法诚证〔2026〕1号", "诚信证明", "南阳市宛城区示例建材有限公司", "（2026）豫13执123号",
                 "支付货款人民币120000元及利息", "2026年10月8日", "2026年10月9日", certificate.shown(code), "特此证明"):
        assert fact in text, fact
    fonts = pdf_fonts(pdf)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("CJK" in name for name in fonts), fonts
    # The QR code drawn is the public check URL with this code (the SVG the PDF embeds, decoded).
    url = certificate.check_url(code)
    assert url.endswith(f"/public/certificates?code={certificate.shown(code)}")
    svg = certificate.qr_svg(url)
    assert _qr_matrix_of_svg(svg) == [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
    assert _qr_matrix_of_svg(svg) != [[bool(v) for v in row] for row in segno.make(url + "X", error="m").matrix]
    png = render_png(pdf, tmp_path, dpi=60)
    assert png  # rendered once; looked at by hand (docs/review/dishonesty.md)
    # Only a keyed hash of the code is stored.
    with review_app.extensions["huhang"].session_factory() as s:
        row = s.get(Certificate, cert["id"])
        assert row is not None and code not in row.code_index and row.code_index == certificate.code_index(code)


def test_the_enterprise_is_notified_with_the_pdf(review_app: Flask, client: FlaskClient, courts: Courts) -> None:
    listing = _removed(client, courts)
    issued = _issue(client, courts, listing["id"])
    with review_app.extensions["huhang"].session_factory() as s:
        notices = [json.loads(m.payload) for m in s.scalars(select(OutboxMessage).where(
            OutboxMessage.event_type == "public_notice.requested"))]
        types = [m.event_type for m in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                 if m.event_type.startswith("dishonesty.")]
    assert types[-1] == "dishonesty.certificate_issued"
    (notice,) = notices
    data = notice["data"]
    assert data["mandatory"] is True and data["subject_id"] == listing["id"] and data["notice_id"] == \
        issued["certificate"]["notice_id"]
    assert data["case_number"] == listing["case_number"] and data["unit_code"] == "NY-FY-ZX"
    assert decrypt(data["recipient_email_enc"], purpose="public_notice.email") == "finance@example.com"
    assert "finance@example.com" not in json.dumps(notice)
    assert base64.b64decode(data["document_b64"]) == _pdf(review_app, issued["certificate"]["id"])
    assert data["document_sha256"] == issued["certificate"]["pdf_sha256"]


def test_one_certificate_in_force_and_the_serials_count_up(client: FlaskClient, courts: Courts) -> None:
    first = _removed(client, courts)
    _issue(client, courts, first["id"])
    with time_machine.travel(at(date(2026, 10, 9)), tick=False):
        twice = client.post(f"{API}/{first['id']}/certificates", json={}, headers=courts.clerk)
    assert twice.status_code == 409 and twice.get_json()["code"] == "dishonesty.certificate_exists"
    second = _removed(client, courts, case_number="（2026）豫13执124号")
    assert _issue(client, courts, second["id"])["certificate"]["number"] == "南法诚证〔2026〕2号"


def test_verify_answers_valid_revoked_or_not_found(review_app: Flask, client: FlaskClient, courts: Courts) -> None:
    listing = _removed(client, courts)
    issued = _issue(client, courts, listing["id"])
    code = issued["code"]
    valid = client.post(VERIFY, json={"code": certificate.shown(code).lower()})
    assert valid.status_code == 200
    assert valid.get_json() == {"result": "valid", "issued_on": "2026-10-09", "issued_by": "南阳市中级人民法院",
                                "enterprise": "南阳市宛城区示例建材有限公司", "number": "南法诚证〔2026〕1号",
                                "revoked_on": None}
    wrong = code[:-1] + ("2" if code[-1] != "2" else "3")
    for unknown in (wrong, "NOT-A-CODE", "x" * 64):
        assert client.post(VERIFY, json={"code": unknown}).get_json() == {
            "result": "not_found", "issued_on": None, "issued_by": None, "enterprise": None, "number": None,
            "revoked_on": None}
    with time_machine.travel(at(date(2026, 10, 12)), tick=False):
        step(client, courts.judge, f"{listing['id']}/certificates/{issued['certificate']['id']}/revocation",
             {"reason": "出具有误"})
    revoked = client.post(VERIFY, json={"code": code}).get_json()
    assert revoked["result"] == "revoked" and revoked["revoked_on"] == "2026-10-12" and revoked["enterprise"] is None
    with review_app.extensions["huhang"].session_factory() as s:
        checks = s.scalars(select(AuditEntry).where(AuditEntry.action == "dishonesty.certificate_verify")
                           .order_by(AuditEntry.id)).all()
    assert [c.detail["result"] for c in checks] == ["valid", "not_found", "not_found", "not_found", "revoked"]
    assert all(code not in json.dumps(c.detail) for c in checks)


def test_a_natural_persons_name_is_masked_in_the_answer(client: FlaskClient, courts: Courts) -> None:
    listing = _removed(client, courts, debtor_kind="person", debtor_name="张三丰", credit_code=None, id_number=ID_NUMBER)
    issued = _issue(client, courts, listing["id"])
    answer = client.post(VERIFY, json={"code": issued["code"]}).get_json()
    assert answer["result"] == "valid" and answer["enterprise"] != "张三丰" and answer["enterprise"].startswith("张")


def test_verify_is_rate_limited_per_address(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_CERTIFICATE_VERIFY_LIMIT", "3")
    monkeypatch.setenv("HUHANG_CERTIFICATE_VERIFY_WINDOW", "60")
    here = {"REMOTE_ADDR": "203.0.113.7"}
    for _ in range(3):
        assert client.post(VERIFY, json={"code": "ABCD"}, environ_base=here).status_code == 200
    limited = client.post(VERIFY, json={"code": "ABCD"}, environ_base=here)
    assert limited.status_code == 429 and limited.get_json()["code"] == "certificate_verify.rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    # Another address has its own window.
    assert client.post(VERIFY, json={"code": "ABCD"}, environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 200
    bad = client.post(VERIFY, json={"code": ""}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert bad.status_code == 422
