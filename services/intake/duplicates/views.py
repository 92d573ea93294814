"""HTTP API of 重复件: a petition's duplicate links, and the audited split."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake.duplicates import service
from services.intake.duplicates.schemas import SPLIT_EXAMPLE, DuplicateSplitIn, DuplicatesRead
from shared.auth import require_principal, requires
from shared.auth.principal import CASE_ROLES
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("duplicates", __name__, url_prefix="/api/v1/petitions", description="重复件 Duplicate petitions")


@blp.route("/<string:petition_id>/duplicates")
class PetitionDuplicates(MethodView):
    @requires(*CASE_ROLES)
    @blp.response(200, DuplicatesRead)
    def get(self, petition_id: str) -> service.Duplicates:
        """This petition's link to an earlier case (重复件), its split links, and the petitions linked to it."""
        return service.duplicates_of(db_session(), petition_id=petition_id, principal=require_principal())


@blp.route("/<string:petition_id>/duplicate-split")
class PetitionDuplicateSplit(MethodView):
    @requires(*service.SPLIT_ROLES)
    @blp.arguments(DuplicateSplitIn, example=SPLIT_EXAMPLE)
    @blp.response(200, DuplicatesRead)
    def post(self, args: dict[str, Any], petition_id: str) -> service.Duplicates:
        """Split a 重复件 from its original case: it gets a handling track of its own (audited, 409 if not linked)."""
        with transaction(db_session()) as session:
            service.split(session, petition_id=petition_id, reason=args["reason"], actor=request_actor())
            return service.duplicates_of(session, petition_id=petition_id, principal=require_principal())
