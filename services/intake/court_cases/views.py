"""HTTP API of flagged court cases: flag, read, list, 立案绿色通道, 立案, 诉讼费 缓交/减交/免交, 查询码."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import config
from services.intake.court_cases import basis, fee_relief, service
from services.intake.court_cases.models import CourtCase, FeeReliefApplication, GreenChannelDecision
from services.intake.court_cases.schemas import (
    COURT_CASE_EXAMPLE,
    FEE_RELIEF_EXAMPLE,
    CourtCaseCreate,
    CourtCaseFlagged,
    CourtCaseListArgs,
    CourtCaseRead,
    FeeReliefApplicationIn,
    FeeReliefDecisionIn,
    FeeReliefRead,
    FilingIn,
    FlaggedCase,
    GreenChannelIn,
    GreenChannelRead,
    PartyQueryCodeIssued,
    PartyQueryCodeReissueIn,
    FeeReliefSituationRead,
)
from services.intake.credentials import codes
from shared.auth import require_principal, requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("court_cases", __name__, url_prefix="/api/v1/court-cases",
                description="涉企案件标记 Court cases flagged as enterprise-related")


@blp.route("")
class CourtCases(MethodView):
    @requires(*service.FLAG_ROLES)
    @blp.arguments(CourtCaseCreate, example=COURT_CASE_EXAMPLE)
    @blp.response(201, CourtCaseFlagged)
    def post(self, court_case_in: dict[str, Any]) -> tuple[FlaggedCase, int, dict[str, str]]:
        """Flag a case as 涉企; each enterprise party's 查询码 is in this answer only. A 案号 already flagged is 409."""
        with transaction(db_session()) as session:
            flagged = service.flag(session, court_case_in=court_case_in, actor=request_actor())
        headers = {"Location": f"/api/v1/court-cases/{flagged.court_case.id}"}
        return FlaggedCase(flagged.court_case, flagged.query_codes), 201, headers

    @requires(*service.READ_ROLES)
    @blp.arguments(CourtCaseListArgs, location="query")
    @blp.response(200, CourtCaseRead(many=True))
    def get(self, args: dict[str, Any]) -> list[CourtCase]:
        """Flagged cases of your units, newest first."""
        return service.list_(db_session(), **args, principal=require_principal())


@blp.route("/fee-relief-situations")
class FeeReliefSituations(MethodView):
    @requires(*service.READ_ROLES)
    @blp.response(200, FeeReliefSituationRead(many=True))
    def get(self) -> list[basis.Situation]:
        """The situations of 诉讼费用交纳办法 arts. 45–47 an application cites, with their codes."""
        return list(basis.SITUATIONS)


@blp.route("/<string:court_case_id>")
class CourtCaseById(MethodView):
    @requires(*service.READ_ROLES)
    @blp.response(200, CourtCaseRead)
    def get(self, court_case_id: str) -> CourtCase:
        """One flagged case with its green channel and fee-relief applications; personal numbers masked."""
        return service.get_or_raise(db_session(), court_case_id, principal=require_principal())


@blp.route("/<string:court_case_id>/green-channel")
class GreenChannel(MethodView):
    @requires(*service.FLAG_ROLES)
    @blp.arguments(GreenChannelIn, example={"granted": True})
    @blp.response(201, GreenChannelRead)
    def post(self, decision_in: dict[str, Any], court_case_id: str) -> GreenChannelDecision:
        """Grant or refuse the 立案绿色通道 (once); a grant sets the day 立案 is due."""
        rule = service.GreenChannelRule.from_settings(config.current())
        with transaction(db_session()) as session:
            return service.decide_green_channel(session, court_case_id=court_case_id, decision_in=decision_in,
                                                actor=request_actor(), rule=rule)


@blp.route("/<string:court_case_id>/filing")
class Filing(MethodView):
    @requires(*service.FLAG_ROLES)
    @blp.arguments(FilingIn, example={"filed_on": "2026-10-09"})
    @blp.response(200, CourtCaseRead)
    def post(self, filing_in: dict[str, Any], court_case_id: str) -> CourtCase:
        """Record 立案 (once): the green channel's time limit closes as met or missed."""
        with transaction(db_session()) as session:
            return service.record_filing(session, court_case_id=court_case_id, filing_in=filing_in,
                                         actor=request_actor())


@blp.route("/<string:court_case_id>/fee-relief-applications")
class FeeReliefApplications(MethodView):
    @requires(*service.FLAG_ROLES)
    @blp.arguments(FeeReliefApplicationIn, example=FEE_RELIEF_EXAMPLE)
    @blp.response(201, FeeReliefRead)
    def post(self, application_in: dict[str, Any], court_case_id: str) -> FeeReliefApplication:
        """Record a party's 缓交/减交/免交 application (诉讼费用交纳办法 arts. 44–48)."""
        with transaction(db_session()) as session:
            return fee_relief.apply(session, court_case_id=court_case_id, application_in=application_in,
                                    actor=request_actor())


@blp.route("/<string:court_case_id>/fee-relief-applications/<string:application_id>/decision")
class FeeReliefDecision(MethodView):
    @requires(*service.FLAG_ROLES)
    @blp.arguments(FeeReliefDecisionIn, example={"granted": True, "granted_percent": 50})
    @blp.response(200, FeeReliefRead)
    def post(self, decision_in: dict[str, Any], court_case_id: str, application_id: str) -> FeeReliefApplication:
        """Grant or refuse an application (once): 减交 at least 30%, a refusal with written reasons, 缓交 before 立案."""
        with transaction(db_session()) as session:
            _, application = fee_relief.decide(session, court_case_id=court_case_id, application_id=application_id,
                                               decision_in=decision_in, actor=request_actor())
            return application


@blp.route("/<string:court_case_id>/parties/<string:party_id>/query-code")
class PartyQueryCode(MethodView):
    @requires(*service.FLAG_ROLES)
    @blp.arguments(PartyQueryCodeReissueIn, example={"reason": "企业遗失查询码"})
    @blp.response(201, PartyQueryCodeIssued)
    def post(self, args: dict[str, Any], court_case_id: str, party_id: str) -> dict[str, Any]:
        """Re-issue an enterprise party's 查询码: the old code stops working; audited as `credential.reissue`."""
        with transaction(db_session()) as session:
            court_case, party, code = service.reissue_query_code(
                session, court_case_id=court_case_id, party_id=party_id, reason=args["reason"], actor=request_actor())
        return {"court_case_id": court_case.id, "case_number": court_case.case_number, "party_id": party.id,
                "query_code": codes.display(code)}
