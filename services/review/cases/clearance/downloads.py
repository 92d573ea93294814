"""An action's document (PDF or DOCX), rendered from the stored action on each request, for the API
and the page link alike: the same stored data give the same document, so nothing is stored twice.
Named by kind and 发文字号 (RFC 6266 ``filename*``), never cached; each download audited."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from services.review.cases.clearance import documents, service
from shared.actor import Actor
from shared.audit.service import record
from shared.context import db_session
from shared.db.transaction import transaction
from shared.documents import pdf, word

TYPES = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def render(action_id: str, fmt: str, *, actor: Actor) -> tuple[bytes, str]:
    assert actor.principal is not None
    with transaction(db_session()) as session:
        action, case = service.get_action(session, action_id, principal=actor.principal)
        doc = documents.build(session, action, case)
        data = pdf.render(doc) if fmt == "pdf" else word.render(doc)
        record(session, action="hanging_clearance.document", subject_type="hanging_case", subject_id=case.id,
               detail={"action_id": action.id, "format": fmt, "document_number": action.document_number},
               **actor.fields())
    return data, doc.filename


def response(action_id: str, fmt: str, *, actor: Actor) -> Response:
    data, name = render(action_id, fmt, actor=actor)
    disposition = "inline" if fmt == "pdf" else "attachment"
    headers = {"Content-Type": TYPES[fmt], "Cache-Control": "no-store",
               "Content-Disposition": f"{disposition}; filename=\"clearance.{fmt}\"; filename*=UTF-8''{quote(name)}.{fmt}"}
    return Response(data, headers=headers)
