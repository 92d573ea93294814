"""HTTP API of the triage queue and of its 分流 decisions (classify, route, 一次性告知, 不予受理, 异议, bulk)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.triage import bulk, decisions, queue, service
from services.review.triage.models import TriageItem
from services.review.triage.panel import routing_context
from services.review.triage.schemas import (
    BULK_EXAMPLE,
    CLASSIFY_EXAMPLE,
    DECLINE_EXAMPLE,
    MATERIALS_EXAMPLE,
    OBJECTION_EXAMPLE,
    ROUTE_EXAMPLE,
    BulkIn,
    BulkResultRead,
    ClassifyIn,
    DeclineIn,
    MaterialsIn,
    ObjectionIn,
    QueueArgs,
    QueuePageRead,
    RouteIn,
    TriageDetailRead,
    TriageItemRead,
    TriageListArgs,
)
from shared.actor import Actor
from shared.auth import require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("triage", __name__, url_prefix="/api/v1/triage", description="受理分流 Triage queue")
READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")
# Who triages: a triage officer, and only for their own unit's queue (decisions.py checks the unit).
TRIAGERS = ("triage_officer",)


def _officer() -> Actor:
    actor = request_actor()
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


@blp.route("")
class TriageItems(MethodView):
    @requires(*READERS)
    @blp.arguments(TriageListArgs, location="query")
    @blp.response(200, TriageItemRead(many=True))
    def get(self, args: dict[str, Any]) -> list[TriageItem]:
        """The triage queue, oldest petition first."""
        return service.list_(db_session(), **args, principal=require_principal())


@blp.route("/queue")
class TriageQueue(MethodView):
    @requires(*READERS)
    @blp.arguments(QueueArgs, location="query")
    @blp.response(200, QueuePageRead)
    def get(self, args: dict[str, Any]) -> queue.QueuePage:
        """The queue as the page shows it: filters, nearest due date first, keyset pages (`after`), counts per status."""
        return queue.page(db_session(), principal=require_principal(), filters=queue.filters_from(args),
                          today=beijing_today(), limit=args["limit"], after=args.get("after"))


@blp.route("/items/<string:petition_id>")
class TriageItemDetail(MethodView):
    @requires(*READERS)
    @blp.response(200, TriageDetailRead)
    def get(self, petition_id: str) -> dict[str, object]:
        """One item with its routing suggestion (routing.toml) and the units it may be routed to."""
        return routing_context(db_session(), petition_id, principal=require_principal())


@blp.route("/items/<string:petition_id>/classify")
class Classify(MethodView):
    @requires(*TRIAGERS)
    @blp.arguments(ClassifyIn, example=CLASSIFY_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, args: dict[str, Any], petition_id: str) -> TriageItem:
        """涉企 or not, with the reason; the category confirmed (omitted) or corrected."""
        with transaction(db_session()) as session:
            return decisions.classify(session, petition_id=petition_id, actor=_officer(),
                                      classification=decisions.Classification(**args))


@blp.route("/items/<string:petition_id>/route")
class RouteItem(MethodView):
    @requires(*TRIAGERS)
    @blp.arguments(RouteIn, example=ROUTE_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, args: dict[str, Any], petition_id: str) -> TriageItem:
        """Route a 待分流 item: here, 交办 (with days), 移送 in the tree (5 working days to object) or out."""
        with transaction(db_session()) as session:
            return decisions.route(session, petition_id=petition_id, decision=decisions.Route(**args),
                                   actor=_officer(), today=beijing_today())


@blp.route("/items/<string:petition_id>/materials")
class RequestMaterials(MethodView):
    @requires(*TRIAGERS)
    @blp.arguments(MaterialsIn, example=MATERIALS_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, args: dict[str, Any], petition_id: str) -> TriageItem:
        """一次性告知: list the missing materials once; the 12309 reply clocks pause."""
        with transaction(db_session()) as session:
            return decisions.request_materials(session, petition_id=petition_id, materials=args["materials"],
                                               note=args.get("note"), actor=_officer(), today=beijing_today())


@blp.route("/items/<string:petition_id>/materials/received")
class ReceiveMaterials(MethodView):
    @requires(*TRIAGERS)
    @blp.response(200, TriageItemRead)
    def post(self, petition_id: str) -> TriageItem:
        """The materials arrived: the clocks run again, the item is 待分流."""
        with transaction(db_session()) as session:
            return decisions.receive_materials(session, petition_id=petition_id, actor=_officer(),
                                               today=beijing_today())


@blp.route("/items/<string:petition_id>/decline")
class Decline(MethodView):
    @requires(*TRIAGERS)
    @blp.arguments(DeclineIn, example=DECLINE_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, args: dict[str, Any], petition_id: str) -> TriageItem:
        """不予受理 with reasons and legal basis (meets the 7-day procedural reply)."""
        with transaction(db_session()) as session:
            return decisions.decline(session, petition_id=petition_id, reasons=args["reasons"], basis=args["basis"],
                                     actor=_officer(), today=beijing_today())


@blp.route("/items/<string:petition_id>/transfer-objection")
class TransferObjection(MethodView):
    @requires(*TRIAGERS)
    @blp.arguments(ObjectionIn, example=OBJECTION_EXAMPLE)
    @blp.response(200, TriageItemRead)
    def post(self, args: dict[str, Any], petition_id: str) -> TriageItem:
        """The receiving organ's 异议 to a 移送, within 5 working days: back to the sender."""
        with transaction(db_session()) as session:
            return decisions.object_to_transfer(session, petition_id=petition_id, reasons=args["reasons"],
                                                actor=_officer(), today=beijing_today())


@blp.route("/bulk")
class Bulk(MethodView):
    @requires(*TRIAGERS)
    @blp.arguments(BulkIn, example=BULK_EXAMPLE)
    @blp.response(200, BulkResultRead)
    def post(self, args: dict[str, Any]) -> bulk.BulkResult:
        """classify, assign (交办) or route up to 200 items; each item done or refused on its own."""
        action, ids = args.pop("action"), args.pop("petition_ids")
        with transaction(db_session()) as session:
            return bulk.run(session, action=action, petition_ids=ids, args=args, actor=_officer(),
                            today=beijing_today())
