"""HTTP API of 12368 工单: create from a 事项, list, read, reply, 转办, 改派."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.work_orders import reading, service
from services.review.work_orders.schemas import (
    WorkOrderCreate,
    WorkOrderListArgs,
    WorkOrderRead,
    WorkOrderReassignIn,
    WorkOrderReplyIn,
    WorkOrderTransferIn,
)
from shared.auth import require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("work_orders", __name__, url_prefix="/api/v1/work-orders", description="12368 工单 Work orders to judges")

CREATE_EXAMPLE = {"related_case_number": "（2026）豫13民初1234号", "request": "来电人询问开庭时间，请承办法官回复",
                  "to_username": "demo-judge-ms2"}


@blp.route("")
class WorkOrders(MethodView):
    @requires(*service.READ_ROLES)
    @blp.arguments(WorkOrderListArgs, location="query")
    @blp.response(200, WorkOrderRead(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Orders you see: `mine` (held by you), `unit` (your division's or your center's), `visible`; open first,
        nearest due date (the overdue) first."""
        session = db_session()
        rows = service.list_(session, principal=require_principal(), **args)
        return reading.as_read_many(session, rows, today=beijing_today())


@blp.route("/items/<string:petition_id>")
class ItemWorkOrders(MethodView):
    @requires(*service.CREATE_ROLES)
    @blp.arguments(WorkOrderCreate, example=CREATE_EXAMPLE)
    @blp.response(201, WorkOrderRead)
    def post(self, order_in: dict[str, Any], petition_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
        """A 12368 contact's work order to a judge or division of the court (or its answer on the spot)."""
        with transaction(db_session()) as session:
            order = service.create(session, petition_id=petition_id, order_in=order_in, actor=request_actor())
            order_id = order.id
        return self._read(order_id), 201, {"Location": f"/api/v1/work-orders/{order_id}"}

    @staticmethod
    def _read(order_id: str) -> dict[str, Any]:
        session = db_session()
        return reading.read(session, order_id, principal=require_principal(), today=beijing_today())


@blp.route("/<string:order_id>")
class WorkOrderById(MethodView):
    @requires(*service.READ_ROLES)
    @blp.response(200, WorkOrderRead)
    def get(self, order_id: str) -> dict[str, Any]:
        """One order with its clock, transfers and escalations."""
        return reading.read(db_session(), order_id, principal=require_principal(), today=beijing_today())


@blp.route("/<string:order_id>/reply")
class WorkOrderReply(MethodView):
    @requires(*service.ANSWER_ROLES)
    @blp.arguments(WorkOrderReplyIn, example={"reply_text": "开庭时间定于10月12日上午9时", "delivery": "phone"})
    @blp.response(200, WorkOrderRead)
    def post(self, reply_in: dict[str, Any], order_id: str) -> dict[str, Any]:
        """Reply (text, how the caller was told): the owner's clock is met or missed."""
        with transaction(db_session()) as session:
            service.reply(session, order_id=order_id, reply_in=reply_in, actor=request_actor())
        return reading.read(db_session(), order_id, principal=require_principal(), today=beijing_today())


@blp.route("/<string:order_id>/transfer")
class WorkOrderTransfer(MethodView):
    @requires(*service.TRANSFER_ROLES)
    @blp.arguments(WorkOrderTransferIn, example={"to_unit_code": "NY-FY-MS1", "reasons": "本案由民一庭审理"})
    @blp.response(200, WorkOrderRead)
    def post(self, transfer_in: dict[str, Any], order_id: str) -> dict[str, Any]:
        """转办 to a judge or division of another division, with reasons: the new owner's clock starts."""
        with transaction(db_session()) as session:
            service.transfer(session, order_id=order_id, transfer_in=transfer_in, actor=request_actor())
        return reading.read(db_session(), order_id, principal=require_principal(), today=beijing_today())


@blp.route("/<string:order_id>/reassign")
class WorkOrderReassign(MethodView):
    @requires(*service.REASSIGN_ROLES)
    @blp.arguments(WorkOrderReassignIn, example={"to_username": "demo-judge-ms2", "reasons": "原承办法官休假"})
    @blp.response(200, WorkOrderRead)
    def post(self, reassign_in: dict[str, Any], order_id: str) -> dict[str, Any]:
        """改派 by the division head to another judge of the division: the clock runs on."""
        with transaction(db_session()) as session:
            service.reassign(session, order_id=order_id, reassign_in=reassign_in, actor=request_actor())
        return reading.read(db_session(), order_id, principal=require_principal(), today=beijing_today())
