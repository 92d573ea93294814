"""HTTP API of 跟踪督办: the 督办 list, one 督办, 挂牌督办, reports and their acceptance or rejection."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.review.supervision import listing, service
from services.review.supervision.models import Supervision, SupervisionReport
from services.review.supervision.schemas import (
    ListPageRead,
    ReportCreate,
    ReportRead,
    ReportReject,
    SupervisionDetailRead,
    SupervisionListArgs,
    SupervisionOpen,
    SupervisionRead,
)
from services.review.triage.access import get_item
from services.review.triage.models import TriageItem
from shared.actor import Actor
from shared.auth import require_principal, requires
from shared.calendar import Unit, beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

# Who reads the 督办 list: the units above (leaders, the task force) and the units below that report.
READERS = ("case_handler", "unit_leader", "triage_officer", "task_force")
# Who puts an item under 挂牌督办 and decides on reports: the supervising unit's leaders, the task force.
SUPERVISORS = ("unit_leader", "task_force")
# Who reports back for the supervised unit (its own people; the service checks the unit).
REPORTERS = ("case_handler", "unit_leader", "triage_officer")

blp = Blueprint("supervision", __name__, url_prefix="/api/v1/supervision", description="跟踪督办 Supervision")


def _staff() -> Actor:
    actor = request_actor()
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


def detail(supervision: Supervision) -> dict[str, Any]:
    """One 督办 as the API shows it: its fields, its item's case number and status, its reports."""
    session = db_session()
    item = session.scalars(select(TriageItem).where(TriageItem.petition_id == supervision.petition_id)).one()
    fields = {name: getattr(supervision, name) for name in SupervisionRead().fields}
    return {**fields, "case_number": item.case_number, "item_status": item.status,
            "overdue": supervision.overdue(beijing_today()),
            "report_history": service.reports_of(session, supervision.id)}


@blp.route("")
class SupervisionList(MethodView):
    @requires(*READERS)
    @blp.arguments(SupervisionListArgs, location="query")
    @blp.response(200, ListPageRead)
    def get(self, args: dict[str, Any]) -> listing.ListPage:
        """The 督办 list: every 督办 the caller sees, nearest due date first, keyset pages (`after`)."""
        return listing.page(db_session(), principal=require_principal(), filters=listing.filters_from(args),
                            today=beijing_today(), limit=args["limit"], after=args.get("after"))


@blp.route("/items/<string:petition_id>")
class ItemSupervisions(MethodView):
    @requires(*READERS)
    @blp.response(200, SupervisionRead(many=True))
    def get(self, petition_id: str) -> list[Supervision]:
        """The item's 督办 the caller sees (open ones first); 404 for an item the caller does not see."""
        session, principal = db_session(), require_principal()
        get_item(session, petition_id, principal=principal)
        return service.of_item(session, petition_id, principal=principal)

    @requires(*SUPERVISORS)
    @blp.arguments(SupervisionOpen, example={"amount": 10, "unit": "working_day",
                                             "instructions": "请于期限内查明企业账户冻结情况并报告"})
    @blp.response(201, SupervisionDetailRead)
    def post(self, body: dict[str, Any], petition_id: str) -> dict[str, Any]:
        """挂牌督办: the caller's unit (strictly above the handling unit, or the task force) supervises the item."""
        with transaction(db_session()) as session:
            supervision = service.open_(session, petition_id=petition_id, amount=body["amount"],
                                        unit=Unit(body["unit"]), instructions=body["instructions"],
                                        actor=_staff())
        return detail(supervision)


@blp.route("/<string:supervision_id>")
class SupervisionDetail(MethodView):
    @requires(*READERS)
    @blp.response(200, SupervisionDetailRead)
    def get(self, supervision_id: str) -> dict[str, Any]:
        """One 督办 with its reports."""
        return detail(service.get(db_session(), supervision_id, principal=require_principal()))


@blp.route("/<string:supervision_id>/reports")
class Reports(MethodView):
    @requires(*REPORTERS)
    @blp.arguments(ReportCreate, example={"text": "已约谈企业负责人，账户已于本周解冻，材料附后。"})
    @blp.response(201, ReportRead)
    def post(self, body: dict[str, Any], supervision_id: str) -> SupervisionReport:
        """The supervised unit reports back (its own people only)."""
        with transaction(db_session()) as session:
            return service.report(session, supervision_id=supervision_id, text=body["text"], actor=_staff())


@blp.route("/<string:supervision_id>/accept")
class Accept(MethodView):
    @requires(*SUPERVISORS)
    @blp.response(200, SupervisionDetailRead)
    def post(self, supervision_id: str) -> dict[str, Any]:
        """The supervising unit accepts the waiting report: the 督办 closes."""
        with transaction(db_session()) as session:
            supervision = service.accept(session, supervision_id=supervision_id, actor=_staff())
        return detail(supervision)


@blp.route("/<string:supervision_id>/reject")
class Reject(MethodView):
    @requires(*SUPERVISORS)
    @blp.arguments(ReportReject, example={"reasons": "未说明超期原因，请补充。"})
    @blp.response(200, SupervisionDetailRead)
    def post(self, body: dict[str, Any], supervision_id: str) -> dict[str, Any]:
        """The supervising unit rejects the waiting report with reasons: the supervised unit reports again."""
        with transaction(db_session()) as session:
            supervision = service.reject(session, supervision_id=supervision_id, reasons=body["reasons"],
                                         actor=_staff())
        return detail(supervision)
