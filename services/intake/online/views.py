"""POST /api/v1/public/petitions: 网上信访 without an account."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import config
from services.intake.online import service
from services.intake.credentials import codes
from services.intake.online.schemas import PUBLIC_PETITION_EXAMPLE, OnlinePetitionReceived, PublicPetitionCreate
from services.intake.petitions import lines, receiving_units
from services.intake.petitions.views import idempotency_key
from shared import idempotency
from shared.auth import public
from shared.context import db_session, request_actor
from shared.db.base import utcnow
from shared.db.transaction import transaction

blp = Blueprint("online", __name__, url_prefix="/api/v1/public/petitions", description="网上信访 Online petitions (public)")


def _capped(view: Callable[..., Any]) -> Callable[..., Any]:
    """This request's body may be at most the online cap (smaller than the service's own)."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = config.current().online_petition_max_bytes
        return view(*args, **kwargs)
    return wrapper


@blp.route("")
class OnlinePetitions(MethodView):
    @public
    @_capped
    @blp.arguments(PublicPetitionCreate, example=PUBLIC_PETITION_EXAMPLE)
    @blp.response(201, OnlinePetitionReceived)
    @blp.alt_response(413, description="the body is larger than HUHANG_PUBLIC_PETITION_MAX_BYTES")
    @blp.alt_response(429, description="too many online petitions from this address")
    def post(self, petition_in: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
        """网上信访: register a petition sent online; answers the case number and the 查询码 (shown once)."""
        key = idempotency_key()
        settings = config.current()
        with transaction(db_session()) as session:
            registration = service.submit(
                session, petition_in=petition_in, actor=request_actor(),
                window=service.Window(settings.online_petition_limit, settings.online_petition_window_s),
                now=utcnow(), idempotency_key=key,
                request_hash=idempotency.fingerprint(request.get_json(silent=True)) if key else None,
            )
        headers = {"Idempotent-Replayed": "true"} if registration.replayed else {}
        petition = registration.petition
        return {
            "case_number": petition.case_number, "query_code": codes.display(registration.query_code),
            "line": petition.line, "received_at": petition.received_at,
            "receiving_unit": receiving_units.name_of(petition.unit_code, line=petition.line),
            "commitments": list(lines.commitments(petition.line, settings)),
            "status_url": f"{(settings.public_url or request.host_url).rstrip('/')}/public/status",
        }, 201, headers
