"""HTTP API of deadlines: list, detail with history, suspend, lift, extend, meet; the rules."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.deadlines import closing, extensions, queries, rules, suspensions
from services.review.deadlines.models import Deadline, DeadlineExtension, DeadlineRule, DeadlineSuspension
from services.review.deadlines.schemas import (
    EXTENSION_EXAMPLE,
    LIFT_EXAMPLE,
    MEET_EXAMPLE,
    SUSPENSION_EXAMPLE,
    DeadlineDetailRead,
    DeadlineListArgs,
    DeadlineRead,
    DeadlineRuleRead,
    ExtensionCreate,
    ExtensionRead,
    MeetCreate,
    SuspensionCreate,
    SuspensionLift,
    SuspensionRead,
)
from shared.actor import Actor
from shared.auth import authenticated, requires
from shared.calendar import Unit
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

# Who works deadlines. Which deadlines: the service scopes every read and write by the unit of the
# deadline (the actor's visible units; another unit's deadline is a 404).
READERS = ("triage_officer", "case_handler", "unit_leader", "court_clerk", "judge", "prosecutor", "task_force")
WRITERS = ("triage_officer", "case_handler", "unit_leader", "court_clerk", "judge", "prosecutor")

blp = Blueprint("deadlines", __name__, url_prefix="/api/v1", description="期限 Deadlines")


def _staff() -> Actor:
    """The request's Actor; views behind ``@requires`` always have a principal."""
    actor = request_actor()
    # An Actor without a principal is a system caller, which sees every unit: never one from a view.
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


def _detail(deadline_id: str) -> dict[str, Any]:
    found = queries.detail(db_session(), deadline_id, principal=_staff().principal)
    deadline = found.pop("deadline")
    out: dict[str, Any] = {name: getattr(deadline, name) for name in DeadlineRead().fields}
    return {**out, **found}


@blp.route("/deadlines")
class Deadlines(MethodView):
    @requires(*READERS)
    @blp.arguments(DeadlineListArgs, location="query")
    @blp.response(200, DeadlineRead(many=True))
    def get(self, args: dict[str, Any]) -> list[Deadline]:
        """Deadlines, filtered by subject (petition or case id), status or rule."""
        return queries.list_(db_session(), **args, principal=_staff().principal)


@blp.route("/deadlines/<deadline_id>")
class DeadlineDetail(MethodView):
    @requires(*READERS)
    @blp.response(200, DeadlineDetailRead)
    def get(self, deadline_id: str) -> dict[str, Any]:
        """One deadline with its suspensions, extensions and full history."""
        return _detail(deadline_id)


@blp.route("/deadlines/<deadline_id>/suspensions")
class Suspensions(MethodView):
    @requires(*WRITERS)
    @blp.arguments(SuspensionCreate, example=SUSPENSION_EXAMPLE)
    @blp.response(201, SuspensionRead)
    def post(self, body: dict[str, Any], deadline_id: str) -> DeadlineSuspension:
        """Pause the clock (补充侦查, 鉴定, waiting for materials, a rule's 不计入 period)."""
        with transaction(db_session()) as session:
            return suspensions.suspend(session, deadline_id=deadline_id, actor=_staff(), **body)


@blp.route("/deadlines/<deadline_id>/suspensions/<suspension_id>/lift")
class SuspensionLiftView(MethodView):
    @requires(*WRITERS)
    @blp.arguments(SuspensionLift, example=LIFT_EXAMPLE)
    @blp.response(200, SuspensionRead)
    def post(self, body: dict[str, Any], deadline_id: str, suspension_id: str) -> DeadlineSuspension:
        """Lift a suspension; the due date is recomputed."""
        with transaction(db_session()) as session:
            return suspensions.lift(session, deadline_id=deadline_id, suspension_id=suspension_id, actor=_staff(),
                                    **body)


@blp.route("/deadlines/<deadline_id>/extensions")
class Extensions(MethodView):
    @requires(*WRITERS)
    @blp.arguments(ExtensionCreate, example=EXTENSION_EXAMPLE)
    @blp.response(201, ExtensionRead)
    def post(self, body: dict[str, Any], deadline_id: str) -> DeadlineExtension:
        """Record an extension approved by ``approved_by``; the due date is recomputed."""
        body["unit"] = Unit(body["unit"])
        with transaction(db_session()) as session:
            return extensions.extend(session, deadline_id=deadline_id, actor=_staff(), **body)


@blp.route("/deadlines/<deadline_id>/meet")
class Meet(MethodView):
    @requires(*WRITERS)
    @blp.arguments(MeetCreate, example=MEET_EXAMPLE)
    @blp.response(200, DeadlineRead)
    def post(self, body: dict[str, Any], deadline_id: str) -> Deadline:
        """The duty was performed: close the timer and record whether it was on time.

        A 12309 result or follow-up reply with ``outcome: progress`` (not the final answer) starts the
        next monthly follow-up; a final reply closes the open follow-ups of the subject."""
        with transaction(db_session()) as session:
            return closing.meet(session, deadline_id=deadline_id, actor=_staff(), **body)


@blp.route("/deadline-rules")
class DeadlineRules(MethodView):
    @authenticated
    @blp.response(200, DeadlineRuleRead(many=True))
    def get(self) -> list[DeadlineRule]:
        """Every deadline rule with its amount, unit, legal basis and effective range."""
        # Seeds an empty rules table on first use, hence a transaction for a read.
        with transaction(db_session()) as session:
            return rules.list_rules(session)
