"""HTTP API of 首违不罚: checks (make, list per enterprise / unit, read), the 检察建议 draft of a
positive check and its documents, and the loaded list versions."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.leniency import catalogue, downloads, service
from services.review.leniency.models import LeniencyCheck, LeniencyList, LeniencyRecommendation
from services.review.leniency.schemas import (
    CHECK_EXAMPLE,
    CheckCreate,
    CheckDetailRead,
    CheckListArgs,
    CheckRead,
    ListVersionRead,
    RecommendationCreate,
    RecommendationRead,
)
from shared.actor import Actor
from shared.auth import require_principal, requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import NotFound

# Who checks and drafts 检察建议: procuratorate staff of these roles (the service checks the unit's kind).
CHECKERS = ("penalty_reviewer", "prosecutor", "unit_leader")
# Who reads checks: the checkers (their unit and those below), the task force (every unit).
READERS = (*CHECKERS, "task_force")

blp = Blueprint("leniency", __name__, url_prefix="/api/v1", description="首违不罚 Leniency checks")


def _staff() -> Actor:
    actor = request_actor()
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


def recommendation_view(row: LeniencyRecommendation) -> dict[str, Any]:
    base = f"/api/v1/leniency-checks/{row.check_id}/recommendation"
    return {**{k: getattr(row, k) for k in ("id", "check_id", "document_number", "addressee", "organ_name",
                                            "drafted_by", "drafted_on")},
            "pdf_url": f"{base}/pdf", "docx_url": f"{base}/docx"}


def detail(check: LeniencyCheck) -> dict[str, Any]:
    row = service.recommendation_of(db_session(), check.id)
    fields = {name: getattr(check, name) for name in CheckRead().fields}
    return {**fields, "recommendation": recommendation_view(row) if row else None}


@blp.route("/leniency-checks")
class Checks(MethodView):
    @requires(*READERS)
    @blp.arguments(CheckListArgs, location="query")
    @blp.response(200, CheckRead(many=True))
    def get(self, args: dict[str, Any]) -> list[LeniencyCheck]:
        """The checks the caller sees, newest first: per enterprise (`credit_code`) and/or unit (`unit`)."""
        return service.list_(db_session(), principal=require_principal(), credit_code=args.get("credit_code"),
                             unit=args.get("unit"), limit=args["limit"])

    @requires(*CHECKERS)
    @blp.arguments(CheckCreate, example=CHECK_EXAMPLE)
    @blp.response(201, CheckDetailRead)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Check one violation against the 首违不罚 list in force on the day of the act; the check is stored."""
        with transaction(db_session()) as session:
            check = service.create(session, check_in=body, actor=_staff())
        return detail(check)


@blp.route("/leniency-checks/<string:check_id>")
class Check(MethodView):
    @requires(*READERS)
    @blp.response(200, CheckDetailRead)
    def get(self, check_id: str) -> dict[str, Any]:
        """One check: its facts, every condition (met / not met / unknown), the basis, its 检察建议."""
        return detail(service.get(db_session(), check_id, principal=require_principal()))


@blp.route("/leniency-checks/<string:check_id>/recommendation")
class Recommendation(MethodView):
    @requires(*CHECKERS)
    @blp.arguments(RecommendationCreate, example={"addressee": "国家税务总局南阳市宛城区税务局"})
    @blp.response(201, RecommendationRead)
    def post(self, body: dict[str, Any], check_id: str) -> dict[str, Any]:
        """The 检察建议 draft (行政违法行为监督) of a positive check; 409 with the failed conditions otherwise."""
        with transaction(db_session()) as session:
            row = service.draft_recommendation(session, check_id=check_id, addressee=body.get("addressee"),
                                               actor=_staff())
        return recommendation_view(row)


_DOCUMENT_DOC = {"responses": {"200": {"description": "the 检察建议 document", "content": {
    downloads.PDF: {"schema": {"type": "string", "format": "binary"}},
    downloads.DOCX: {"schema": {"type": "string", "format": "binary"}}}}}}


@blp.route("/leniency-checks/<string:check_id>/recommendation/<string:fmt>")
class RecommendationDocument(MethodView):
    @requires(*READERS)
    @blp.doc(**_DOCUMENT_DOC)
    def get(self, check_id: str, fmt: str) -> Response:
        """The 检察建议's document: `pdf` or `docx` (GB/T 9704 layout, Chinese fonts)."""
        if fmt not in downloads.FORMATS:
            raise NotFound(fmt=fmt[:10])
        return downloads.document_response(check_id, fmt, actor=_staff())


@blp.route("/leniency-lists")
class Lists(MethodView):
    @requires(*READERS)
    @blp.response(200, ListVersionRead(many=True))
    def get(self) -> list[LeniencyList]:
        """Every loaded version of every 首违不罚 list (with its items and unconfirmed flags)."""
        return catalogue.versions(db_session())
