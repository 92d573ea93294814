"""The public query API (no account): a case number and its 查询码, or a credit code and its access code.

POST only, so the code never appears in a URL, a log line or a browser's history; the answer is
never cached (no-store, the app's default).  A wrong code and an unknown number answer the same
404; a spent address window and a locked number answer 429 with Retry-After
(services/intake/public/service.py says why each).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import config
from services.intake.public import service
from services.intake.status.schemas import (
    EnterpriseQueryIn,
    EnterpriseViewRead,
    StatusFeedbackIn,
    StatusQueryIn,
    TimelineRead,
)
from services.intake.status.timeline import Timeline
from shared.auth import public
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("public_queries", __name__, url_prefix="/api/v1/public", description="公众查询 Public queries")


@blp.route("/status-queries")
class StatusQueries(MethodView):
    @public
    @blp.arguments(StatusQueryIn, example={"case_number": "12309-2026-000123", "query_code": "7KQ-3XM-9TA"})
    @blp.response(200, TimelineRead)
    @blp.alt_response(404, description="no such matter, or a wrong code (one body: `status_query.not_found`)")
    @blp.alt_response(429, description="the address's window is spent, or the number is locked; see Retry-After")
    def post(self, args: dict[str, Any]) -> Timeline:
        """案件进度查询: the procedural timeline of one matter (404 `status_query.not_found` for any mismatch)."""
        with transaction(db_session()) as session:  # the window's row, the lock's count, the audit row
            return service.query(session, case_number=args["case_number"], code=args["query_code"],
                                 actor=request_actor(), settings=config.current(), now=config.now())


@blp.route("/status-feedback")
class StatusFeedback(MethodView):
    @public
    @blp.arguments(StatusFeedbackIn, example={"case_number": "12309-2026-000123", "query_code": "7KQ-3XM-9TA",
                                              "rating": "dissatisfied", "reasons": "答复没有回应账户冻结的问题"})
    @blp.response(201, TimelineRead)
    @blp.alt_response(404, description="no such matter, or a wrong code (`status_query.not_found`)")
    @blp.alt_response(409, description="nothing to rate yet, or rated already (`status_feedback.*`)")
    @blp.alt_response(429, description="the address's window is spent, or the number is locked; see Retry-After")
    def post(self, args: dict[str, Any]) -> Timeline:
        """评价: rate the present round's result reply, once (满意 / 基本满意 / 不满意 with reasons)."""
        with transaction(db_session()) as session:
            return service.give_feedback(session, case_number=args["case_number"], code=args["query_code"],
                                         rating=args["rating"], reasons=args["reasons"], actor=request_actor(),
                                         settings=config.current(), now=config.now())


@blp.route("/enterprise-queries")
class EnterpriseQueries(MethodView):
    @public
    @blp.arguments(EnterpriseQueryIn, example={"credit_code": "91411302MA44TFGN0Q", "access_code": "7KQ3-XM9T-AB"})
    @blp.response(200, EnterpriseViewRead)
    @blp.alt_response(404, description="no verified enterprise, or a wrong code (`enterprise_query.not_found`)")
    @blp.alt_response(429, description="the address's window is spent, or the credit code is locked; see Retry-After")
    def post(self, args: dict[str, Any]) -> service.EnterpriseView:
        """企业查询: every matter of the enterprise across both lines (404 `enterprise_query.not_found`)."""
        with transaction(db_session()) as session:
            return service.enterprise_query(session, credit_code=args["credit_code"], code=args["access_code"],
                                            actor=request_actor(), settings=config.current(), now=config.now())
