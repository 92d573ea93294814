"""Answering with a 检察建议's document (PDF or DOCX), for the API and the page link alike.

The document is rendered from the stored check and draft each time (the same data gives the same
text; nothing else is kept), named by its 发文字号 (RFC 6266 ``filename*``), never cached, and
each download is audited.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from services.review.leniency import document, service
from shared.actor import Actor
from shared.context import db_session
from shared.db.transaction import transaction
from shared.documents import pdf as pdf_documents
from shared.documents import word as word_documents

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": PDF, "docx": DOCX}


class NoRecommendation(service.CheckNotFound):
    code = "leniency_recommendation_not_found"
    message_zh = "该审查尚无检察建议"
    message_en = "This check has no recommendation yet"


def document_response(check_id: str, fmt: str, *, actor: Actor) -> Response:
    """The draft's document if the actor sees the check (CheckNotFound otherwise); the download audited."""
    assert actor.principal is not None
    with transaction(db_session()) as session:
        check = service.get(session, check_id, principal=actor.principal)
        row = service.recommendation_of(session, check.id)
        listing = service.listing_of(session, check)
        if row is None or listing is None:
            raise NoRecommendation(check_id=check_id)
        doc = document.build(check, listing, row)
        data = pdf_documents.render(doc) if fmt == "pdf" else word_documents.render(doc)
        service.document_issued(session, check, row, fmt=fmt, actor=actor)
    name = f"检察建议-{row.document_number}.{fmt}"
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(data, headers={
        "Content-Type": FORMATS[fmt], "Cache-Control": "no-store",
        "Content-Disposition": f"{disposition}; filename=\"recommendation.{fmt}\"; filename*=UTF-8''{quote(name)}"})
