"""HTTP API of petitions: register (idempotent), read, list."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from services.intake.petitions import service
from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_EXAMPLE, PetitionCreate, PetitionListArgs, PetitionRead
from shared import idempotency
from shared.web.app import db_session

blp = Blueprint("petitions", __name__, url_prefix="/api/v1/petitions", description="信访件登记 Petitions")


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 200:
        abort(422, message="Idempotency-Key must be 1–200 characters", errors={"Idempotency-Key": ["1–200 characters"]})
    return key


@blp.route("")
class Petitions(MethodView):
    @blp.arguments(PetitionCreate, example=PETITION_EXAMPLE)
    @blp.response(201, PetitionRead)
    @blp.doc(parameters=[{
        "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 200},
        "description": "Retrying with the same key returns the first answer and creates nothing new",
    }])
    def post(self, petition_in: dict[str, Any]) -> tuple[Petition, int, dict[str, str]]:
        """Register a petition received by 信、访、网、电."""
        key = _idempotency_key()
        registration = service.register(
            db_session(),
            petition_in=petition_in,
            actor="system",
            idempotency_key=key,
            request_hash=idempotency.fingerprint(request.get_json(silent=True)) if key else None,
        )
        headers = {"Location": f"/api/v1/petitions/{registration.petition.id}"}
        if registration.replayed:
            headers["Idempotent-Replayed"] = "true"
        return registration.petition, 201, headers

    @blp.arguments(PetitionListArgs, location="query")
    @blp.response(200, PetitionRead(many=True))
    def get(self, args: dict[str, Any]) -> list[Petition]:
        """List petitions, newest first."""
        return service.list_(db_session(), **args)


@blp.route("/<string:petition_id>")
class PetitionById(MethodView):
    @blp.response(200, PetitionRead)
    def get(self, petition_id: str) -> Petition:
        """One petition, personal numbers masked."""
        return service.get_or_raise(db_session(), petition_id)
