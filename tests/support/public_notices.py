"""`public_notice.requested` as a workflow of review sends it (custody's 582 notice, dishonesty's 诚信证明):
the contact encrypted with shared.pii under notify's purposes, the PDF base64 with its SHA-256."""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
from typing import Any

from pypdf import PdfWriter

from services.notify.deliveries.notices import EMAIL_PURPOSE, PHONE_PURPOSE
from shared.events import Envelope, new_event
from shared.pii import encrypt


def notice_pdf(title: str = "羁押必要性审查结果通知书") -> bytes:
    """A small real PDF (one A4 page) whose bytes the tests compare."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title, "/Subject": uuid.uuid4().hex})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def public_notice_event(*, notice_id: str | None = None, email: str | None = "zhang.san@example.com",
                        phone: str | None = None, document: bytes | None = None, **fields: Any) -> Envelope:
    """One request; pass the same `notice_id` to re-send one notice under a new event id."""
    document = notice_pdf() if document is None else document
    data: dict[str, Any] = {
        "notice_id": notice_id or str(uuid.uuid4()), "notice_kind": "custody_review.outcome",
        "subject_id": "cr-1", "case_number": "宛检捕审〔2026〕3号", "unit_code": "NY-JCY-XS", "mandatory": True,
        "recipient_name": "张*", "recipient_email_enc": email and encrypt(email, purpose=EMAIL_PURPOSE),
        "recipient_phone_enc": phone and encrypt(phone, purpose=PHONE_PURPOSE),
        "title": "羁押必要性审查结果通知书",
        "body": "你申请对犯罪嫌疑人李*进行羁押必要性审查一案，本院经审查，决定向侦查机关提出释放或者变更强制措施的建议。\n特此通知。",
        "document_name": "羁押必要性审查结果通知书.pdf" if document else None,
        "document_sha256": hashlib.sha256(document).hexdigest() if document else None,
        "document_b64": base64.b64encode(document).decode("ascii") if document else None,
    }
    data.update(fields)
    return new_event("public_notice.requested", subject=str(data["subject_id"]), source="review", data=data)
