"""HTTP API of 审查办理: accept/return, the 承办人, 进展汇报, 答复 and the reply's document."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.handling import downloads, service
from services.review.handling.files import blob_store
from services.review.handling.models import HandlingEntry, HandlingReply
from services.review.handling.schemas import (
    HANDLER_EXAMPLE,
    PROGRESS_EXAMPLE,
    REPLY_EXAMPLE,
    RETURN_EXAMPLE,
    EntryRead,
    HandlerAssign,
    HandlingRead,
    ProgressCreate,
    ReplyCreate,
    ReplyRead,
    ReturnCreate,
)
from services.review.triage.access import get_item
from services.review.triage.models import TriageItem
from services.review.triage.schemas import TriageItemRead
from shared.actor import Actor
from shared.auth import requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.storage import staged

# Who acts: the handling unit's case handlers and leaders (the service checks the unit).
ACTORS = ("case_handler", "unit_leader")
READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")

blp = Blueprint("handling", __name__, url_prefix="/api/v1/handling", description="审查办理 Handling")


def _staff() -> Actor:
    actor = request_actor()
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


@blp.route("/items/<string:petition_id>")
class Handling(MethodView):
    @requires(*READERS)
    @blp.response(200, HandlingRead)
    def get(self, petition_id: str) -> dict[str, Any]:
        """The item with its handling history and replies."""
        session = db_session()
        item = get_item(session, petition_id, principal=_staff().principal)
        return {"item": item, "entries": service.entries(session, petition_id=petition_id),
                "replies": service.replies(session, petition_id=petition_id)}


@blp.route("/items/<string:petition_id>/accept")
class Accept(MethodView):
    @requires(*ACTORS)
    @blp.response(200, TriageItemRead)
    def post(self, petition_id: str) -> TriageItem:
        """受理: the handling unit accepts a 交办 item (routed → handling); meets `handling.acceptance`."""
        with transaction(db_session()) as session:
            return service.accept(session, petition_id=petition_id, actor=_staff())


@blp.route("/items/<string:petition_id>/return")
class Return(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ReturnCreate, example=RETURN_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, body: dict[str, Any], petition_id: str) -> TriageItem:
        """退回 with reasons: back to the receiving unit's queue (pending, no handling unit)."""
        with transaction(db_session()) as session:
            return service.return_(session, petition_id=petition_id, reasons=body["reasons"], actor=_staff())


@blp.route("/items/<string:petition_id>/handler")
class Handler(MethodView):
    @requires(*ACTORS)
    @blp.arguments(HandlerAssign, example=HANDLER_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, body: dict[str, Any], petition_id: str) -> TriageItem:
        """承办人: a unit leader assigns a case handler of the unit; a case handler takes it (no id)."""
        with transaction(db_session()) as session:
            return service.assign_handler(session, petition_id=petition_id, actor=_staff(),
                                          handler_user_id=body.get("handler_user_id"))


@blp.route("/items/<string:petition_id>/progress")
class Progress(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ProgressCreate, example=PROGRESS_EXAMPLE)
    @blp.response(201, EntryRead)
    def post(self, body: dict[str, Any], petition_id: str) -> HandlingEntry:
        """进展汇报: recorded on the item's history."""
        with transaction(db_session()) as session:
            return service.report_progress(session, petition_id=petition_id, actor=_staff(), **body)


@blp.route("/items/<string:petition_id>/replies")
class Replies(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ReplyCreate, example=REPLY_EXAMPLE)
    @blp.response(201, ReplyRead)
    def post(self, body: dict[str, Any], petition_id: str) -> HandlingReply:
        """答复 (procedural / progress / final): meets its 期限 and generates the reply document."""
        with staged(blob_store()) as blobs, transaction(db_session()) as session:
            return service.reply(session, petition_id=petition_id, reply_in=service.ReplyIn(**body),
                                 actor=_staff(), blobs=blobs)


_DOCUMENT_DOC = {"responses": {"200": {"description": "the reply document", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    service.DOCX: {"schema": {"type": "string", "format": "binary"}}}}}}


@blp.route("/replies/<string:reply_id>/document.<any(pdf, docx):fmt>")
class ReplyDocument(MethodView):
    @requires(*READERS)
    @blp.doc(**_DOCUMENT_DOC)
    def get(self, reply_id: str, fmt: str) -> Response:
        """The reply's document, PDF (Chinese fonts embedded) or DOCX; the download is audited."""
        return downloads.document_response(reply_id, fmt, actor=_staff())


@blp.route("/mine")
class Mine(MethodView):
    @requires(*ACTORS)
    @blp.response(200, TriageItemRead(many=True))
    def get(self) -> list[TriageItem]:
        """我的案件: the items the caller's unit handles (交办 waiting, 办理中, 已答复), nearest due date first."""
        principal = _staff().principal
        assert principal is not None
        return service.my_items(db_session(), principal=principal)
