"""HTTP API of 考评反馈: record a 评价, reopen or close after a 不满意, a matter's rounds, the rates per unit."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.feedback import rates, service
from services.review.feedback.models import Feedback, HandlingRound
from services.review.feedback.schemas import (
    FEEDBACK_EXAMPLE,
    DecisionCreate,
    FeedbackCreate,
    FeedbackRead,
    ItemFeedbackRead,
    RatesArgs,
    UnitRatesRead,
    RoundRead,
)
from services.review.triage.access import get_item
from shared.auth import require_principal, requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")

blp = Blueprint("feedback", __name__, url_prefix="/api/v1/feedback", description="考评反馈 Evaluation")


@blp.route("/items/<string:petition_id>")
class ItemFeedback(MethodView):
    @requires(*READERS)
    @blp.response(200, ItemFeedbackRead)
    def get(self, petition_id: str) -> dict[str, Any]:
        """A matter's 评价 and handling rounds (404 if not a matter you see)."""
        session = db_session()
        return service.overview(session, get_item(session, petition_id, principal=require_principal()))


@blp.route("/items/<string:petition_id>/feedback")
class RecordFeedback(MethodView):
    @requires(*service.RECORD_ROLES)
    @blp.arguments(FeedbackCreate, example=FEEDBACK_EXAMPLE)
    @blp.response(201, FeedbackRead)
    def post(self, body: dict[str, Any], petition_id: str) -> Feedback:
        """Record the petitioner's 评价 of the present round (handling unit only; one per round, else 409)."""
        with transaction(db_session()) as session:
            return service.record(session, petition_id=petition_id, actor=request_actor(), **body)


@blp.route("/items/<string:petition_id>/reopen")
class Reopen(MethodView):
    @requires(*service.DECIDE_ROLES)
    @blp.arguments(DecisionCreate, example={"reason": "答复未涉及账户冻结问题，重新核查"})
    @blp.response(201, RoundRead)
    def post(self, body: dict[str, Any], petition_id: str) -> HandlingRound:
        """After a 不满意: a new handling round with a new result-reply deadline from today."""
        with transaction(db_session()) as session:
            return service.reopen(session, petition_id=petition_id, reason=body["reason"], actor=request_actor())


@blp.route("/items/<string:petition_id>/close")
class Close(MethodView):
    @requires(*service.DECIDE_ROLES)
    @blp.arguments(DecisionCreate, example={"reason": "已依法答复，诉求缺乏法律依据，不再重新办理"})
    @blp.response(200, ItemFeedbackRead)
    def post(self, body: dict[str, Any], petition_id: str) -> dict[str, Any]:
        """After a 不满意: close the matter anyway, with the reason."""
        with transaction(db_session()) as session:
            item = service.close(session, petition_id=petition_id, reason=body["reason"], actor=request_actor())
            return service.overview(session, item)


@blp.route("/rates")
class Rates(MethodView):
    @requires(*READERS)
    @blp.arguments(RatesArgs, location="query")
    @blp.response(200, UnitRatesRead(many=True))
    def get(self, args: dict[str, Any]) -> list[rates.UnitRates]:
        """满意率 and 按期率 per unit over ``from``..``to`` (Beijing days), for the units you see."""
        return rates.for_principal(db_session(), require_principal(), since=args["since"], until=args["until"],
                                   requested=args.get("unit"))
