"""Answering with a reply's document (PDF or DOCX), for the API and the page link alike.

The file is read back through the store's verified open (a corrupted blob is never sent under a
good name), named by case number and 发文字号 (RFC 6266 ``filename*``), never cached, and each
download is audited.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

from services.review.handling import service
from services.review.handling.files import blob_store
from services.review.handling.models import HandlingReply
from shared.actor import Actor
from shared.context import db_session
from shared.db.transaction import transaction

FORMATS = {"pdf": service.PDF, "docx": service.DOCX}


def headers(row: HandlingReply, fmt: str) -> dict[str, str]:
    name = f"答复-{row.case_number}-{row.document_number}.{fmt}"
    fallback = f"reply-{row.case_number}.{fmt}".encode("ascii", "replace").decode().replace("?", "_")
    disposition = "inline" if fmt == "pdf" else "attachment"
    return {"Content-Type": FORMATS[fmt],
            "Content-Disposition": f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store"}


def document_response(reply_id: str, fmt: str, *, actor: Actor) -> Response:
    """The reply's document if the actor sees its item (ReplyNotFound otherwise); the download audited."""
    assert actor.principal is not None
    with transaction(db_session()) as session:
        row = service.get_reply(session, reply_id, principal=actor.principal)
        key, digest = (row.pdf_key, row.pdf_sha256) if fmt == "pdf" else (row.docx_key, row.docx_sha256)
        with blob_store().open_verified(key, sha256=digest) as stream:
            data = stream.read()
        service.document_issued(session, row, fmt=fmt, actor=actor)
        answer = Response(data, headers=headers(row, fmt))
    return answer
