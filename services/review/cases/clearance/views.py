"""HTTP API of 挂案清理: the queue, a case's flags and actions, actions, replies, outcomes, property,
the documents, and the campaigns with their burn-down."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.cases.clearance import campaigns, downloads, presenting, queue, service
from services.review.cases.clearance.access import ACTORS, CAMPAIGNERS, READERS, get_case
from services.review.cases.clearance.schemas import (
    ClearanceActionCreate,
    ClearanceActionRead,
    ClearanceBurnDownRead,
    ClearanceCampaignCreate,
    ClearanceCampaignRead,
    CaseClearanceRead,
    ClearanceOutcomeCreate,
    ClearancePropertyReturn,
    ClearanceQueueArgs,
    ClearanceQueuePageRead,
    ClearanceReplyCreate,
)
from shared.actor import Actor
from shared.auth import require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("hanging_clearance", __name__, url_prefix="/api/v1/hanging-clearance",
                description="涉企挂案清理 Hanging-case clearance")


def _staff() -> Actor:
    actor = request_actor()
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


def queue_rows(result: queue.Page) -> dict[str, Any]:
    return {"next_cursor": result.next_cursor, "rows": [
        {**{k: getattr(r.case, k) for k in ("id", "case_number", "case_title", "unit_code", "investigating_organ",
                                             "enterprise_name", "status", "filed_on")},
         "key_on": r.key_on, "age_days": r.age_days, "rules": list(r.rules)} for r in result.rows]}


def filters_from(args: dict[str, Any]) -> queue.Filters:
    return queue.Filters(unit=args.get("unit") or None, status=args.get("status") or None,
                         rule=args.get("rule") or None, min_age_days=args.get("min_age_days"))


@blp.route("/cases")
class Queue(MethodView):
    @requires(*READERS)
    @blp.arguments(ClearanceQueueArgs, location="query")
    @blp.response(200, ClearanceQueuePageRead)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The 挂案 queue: cases the caller sees, oldest (or, with `rule`, most overdue) first; keyset pages."""
        return queue_rows(queue.page(db_session(), principal=require_principal(), filters=filters_from(args),
                                     today=beijing_today(), limit=args["limit"], after=args.get("after")))


@blp.route("/cases/<string:case_id>")
class CaseClearance(MethodView):
    @requires(*READERS)
    @blp.response(200, CaseClearanceRead)
    def get(self, case_id: str) -> dict[str, Any]:
        """A case's flags (each citing its rule), actions and the actions available now."""
        session = db_session()
        return presenting.case_view(session, get_case(session, case_id, principal=require_principal()))


@blp.route("/cases/<string:case_id>/actions")
class Actions(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ClearanceActionCreate, example={"kind": "urge", "text": "请于收到本函后十日内书面告知侦查进展。"})
    @blp.response(201, ClearanceActionRead)
    def post(self, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """催办函 / 要求说明理由 / 通知撤销案件 / 挂牌督办 (the case's own unit; a flag must allow it)."""
        with transaction(db_session()) as session:
            action = service.take_action(session, case_id=case_id, kind=body["kind"], text=body["text"],
                                         actor=_staff())
            return presenting.action_view(action)


@blp.route("/actions/<string:action_id>/reply")
class Reply(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ClearanceReplyCreate, example={"text": "经审查，该案已于12月1日侦查终结，拟移送审查起诉。",
                                                  "replied_on": "2026-12-03"})
    @blp.response(200, ClearanceActionRead)
    def post(self, body: dict[str, Any], action_id: str) -> dict[str, Any]:
        """The police's reply to a 要求说明理由 / 通知撤销案件: its clock met."""
        with transaction(db_session()) as session:
            action = service.record_reply(session, action_id=action_id, text=body["text"],
                                          replied_on=body.get("replied_on"), actor=_staff())
            return presenting.action_view(action)


_DOCUMENT_DOC = {"responses": {"200": {"description": "the action's document (GB/T 9704)", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
        "schema": {"type": "string", "format": "binary"}}}}}}


@blp.route("/actions/<string:action_id>/document.<any(pdf, docx):fmt>")
class ActionDocument(MethodView):
    @requires(*READERS)
    @blp.doc(**_DOCUMENT_DOC)
    def get(self, action_id: str, fmt: str) -> Response:
        """The action's document (GB/T 9704), PDF inline or DOCX."""
        return downloads.response(action_id, fmt, actor=_staff())


@blp.route("/cases/<string:case_id>/outcome")
class Outcome(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ClearanceOutcomeCreate, example={"outcome": "withdrawn", "outcome_on": "2026-12-03"})
    @blp.response(200, CaseClearanceRead)
    def post(self, body: dict[str, Any], case_id: str) -> dict[str, Any]:
        """撤案 / 移送起诉 / 不起诉 (cleared, flags resolved) or 继续侦查 with `continued_until`."""
        with transaction(db_session()) as session:
            case = service.record_outcome(session, case_id=case_id, outcome=body["outcome"],
                                          outcome_on=body["outcome_on"], continued_until=body.get("continued_until"),
                                          note=body.get("note"), actor=_staff())
            return presenting.case_view(session, case)


@blp.route("/cases/<string:case_id>/property/<string:property_id>/return")
class Property(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ClearancePropertyReturn, example={"returned_on": "2026-12-03"})
    @blp.response(200, CaseClearanceRead)
    def post(self, body: dict[str, Any], case_id: str, property_id: str) -> dict[str, Any]:
        """Seized property returned (返还): `hanging_case_property.returned_on`."""
        with transaction(db_session()) as session:
            service.return_property(session, case_id=case_id, property_id=property_id,
                                    returned_on=body["returned_on"], actor=_staff())
            return presenting.case_view(session, get_case(session, case_id, principal=require_principal()))


def campaign_view(session: Any, c: Any) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "owner_unit_code": c.owner_unit_code, "units": campaigns.units_of(session, c.id)}


@blp.route("/campaigns")
class Campaigns(MethodView):
    @requires(*READERS)
    @blp.response(200, ClearanceCampaignRead(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The campaigns the caller sees (one of their units, or set up by a unit they see)."""
        session = db_session()
        return [campaign_view(session, c) for c in campaigns.list_(session, principal=require_principal())]

    @requires(*CAMPAIGNERS)
    @blp.arguments(ClearanceCampaignCreate, example={"name": "2026年涉企挂案专项清理", "starts_on": "2026-10-01",
                                            "ends_on": "2026-12-31", "units": ["NY-JCY-XS"]})
    @blp.response(201, ClearanceCampaignRead)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Set up a 专项清理 over units the caller sees."""
        with transaction(db_session()) as session:
            c = campaigns.create(session, name=body["name"], starts_on=body["starts_on"], ends_on=body["ends_on"],
                                 units=body["units"], actor=_staff())
            return campaign_view(session, c)


@blp.route("/campaigns/<string:campaign_id>")
class Campaign(MethodView):
    @requires(*READERS)
    @blp.response(200, ClearanceBurnDownRead)
    def get(self, campaign_id: str) -> dict[str, Any]:
        """The campaign's burn-down per unit and in total, its outcomes, and the cases past each threshold."""
        session, principal = db_session(), require_principal()
        c = campaigns.get(session, campaign_id, principal=principal)
        return presenting.burn_down_view(campaigns.burn_down(session, c, today=beijing_today(), principal=principal))
