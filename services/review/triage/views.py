"""HTTP API of the triage queue."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.triage import queue, service
from services.review.triage.models import TriageItem
from services.review.triage.schemas import QueueArgs, QueuePageRead, TriageItemRead, TriageListArgs
from shared.calendar import beijing_today
from shared.auth import require_principal, requires
from shared.context import db_session

blp = Blueprint("triage", __name__, url_prefix="/api/v1/triage", description="受理分流 Triage queue")


@blp.route("")
class TriageItems(MethodView):
    @requires("triage_officer", "case_handler", "unit_leader", "task_force")
    @blp.arguments(TriageListArgs, location="query")
    @blp.response(200, TriageItemRead(many=True))
    def get(self, args: dict[str, Any]) -> list[TriageItem]:
        """The triage queue, oldest petition first."""
        return service.list_(db_session(), **args, principal=require_principal())


@blp.route("/queue")
class TriageQueue(MethodView):
    @requires("triage_officer", "case_handler", "unit_leader", "task_force")
    @blp.arguments(QueueArgs, location="query")
    @blp.response(200, QueuePageRead)
    def get(self, args: dict[str, Any]) -> queue.QueuePage:
        """The queue as the page shows it: filters, nearest due date first, keyset pages (`after`), counts per status."""
        return queue.page(db_session(), principal=require_principal(), filters=queue.filters_from(args),
                          today=beijing_today(), limit=args["limit"], after=args.get("after"))
