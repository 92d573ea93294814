"""HTTP API of petitions: register (idempotent), read, list, search by number, audited reveal."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from services.intake import config
from services.intake.petitions import queries, receipt, service
from services.intake.petitions.models import Petition
from services.intake.petitions import personal
from services.intake.petitions.schemas import (
    PETITION_EXAMPLE,
    REVEAL_EXAMPLE,
    SEARCH_EXAMPLE,
    PetitionCreate,
    PetitionListArgs,
    PetitionRead,
    PetitionRegistered,
    PetitionRevealIn,
    PetitionRevealRead,
    PetitionSearch,
    QueryCodeIssued,
    QueryCodeReissueIn,
    ReceiptCodeIn,
    RegisteredPetition,
)
from services.intake.credentials import codes
from shared import idempotency
from shared.auth import require_principal, requires
from shared.auth.principal import CASE_ROLES
from shared.context import request_actor
from shared.context import db_session
from shared.db.transaction import transaction

blp = Blueprint("petitions", __name__, url_prefix="/api/v1/petitions", description="信访件登记 Petitions")


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 200:
        abort(422, message="Idempotency-Key must be 1–200 characters", errors={"Idempotency-Key": ["1–200 characters"]})
    return key


# One instance for every registration: given the class, webargs builds the schema (and its nested
# ones) again on each request, about 1 ms of the hot path (tests/bench/intake_throughput.py).
_PETITION_CREATE = PetitionCreate()


@blp.route("")
class Petitions(MethodView):
    @requires(*service.REGISTER_ROLES)
    @blp.arguments(_PETITION_CREATE, example=PETITION_EXAMPLE)
    @blp.response(201, PetitionRegistered)
    @blp.doc(parameters=[{
        "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 200},
        "description": "Retrying with the same key returns the first answer and creates nothing new",
    }])
    def post(self, petition_in: dict[str, Any]) -> tuple[RegisteredPetition, int, dict[str, str]]:
        """Register a petition received by 信、访、网、电."""
        key = idempotency_key()
        with transaction(db_session()) as session:
            registration = service.register(
                session,
                petition_in=petition_in,
                actor=request_actor(),
                idempotency_key=key,
                request_hash=idempotency.fingerprint(request.get_json(silent=True)) if key else None,
            )
        headers = {"Location": f"/api/v1/petitions/{registration.petition.id}"}
        if registration.replayed:
            headers["Idempotent-Replayed"] = "true"
        return RegisteredPetition(registration.petition, registration.query_code), 201, headers

    @requires(*CASE_ROLES)
    @blp.arguments(PetitionListArgs, location="query")
    @blp.response(200, PetitionRead(many=True))
    def get(self, args: dict[str, Any]) -> list[Petition]:
        """List petitions, newest first."""
        return queries.list_(db_session(), **args, principal=require_principal())


@blp.route("/<string:petition_id>")
class PetitionById(MethodView):
    @requires(*CASE_ROLES)
    @blp.response(200, PetitionRead)
    def get(self, petition_id: str) -> Petition:
        """One petition, personal numbers masked."""
        return queries.readable_or_raise(db_session(), petition_id, principal=require_principal())


@blp.route("/search")
class PetitionSearchByNumber(MethodView):
    @requires(*personal.SEARCH_ROLES)
    @blp.arguments(PetitionSearch, example=SEARCH_EXAMPLE)
    @blp.response(200, PetitionRead(many=True))
    def post(self, args: dict[str, Any]) -> list[Petition]:
        """Petitions of one petitioner by exact ID or phone number (blind index); answers masked, audited."""
        with transaction(db_session()) as session:  # the pii.search audit row
            return personal.search(session, actor=request_actor(), **args)


@blp.route("/<string:petition_id>/reveal")
class PetitionReveal(MethodView):
    @requires(*personal.REVEAL_ROLES)
    @blp.arguments(PetitionRevealIn, example=REVEAL_EXAMPLE)
    @blp.response(200, PetitionRevealRead)
    def post(self, args: dict[str, Any], petition_id: str) -> dict[str, Any]:
        """The full ID and phone numbers of one petition; every call is audited as `pii.reveal`."""
        with transaction(db_session()) as session:  # the pii.reveal audit row, refusals included
            revealed = personal.reveal(
                session, petition_id=petition_id, fields=args["fields_"], reason=args["reason"], actor=request_actor(),
            )
        return {"petition_id": revealed.petition_id, "case_number": revealed.case_number, **revealed.values}


@blp.route("/<string:petition_id>/query-code")
class PetitionQueryCode(MethodView):
    @requires(*service.REGISTER_ROLES)
    @blp.arguments(QueryCodeReissueIn, example={"reason": "信访人遗失受理回执"})
    @blp.response(201, QueryCodeIssued)
    def post(self, args: dict[str, Any], petition_id: str) -> dict[str, Any]:
        """Re-issue the 查询码 (a lost receipt): the old code stops working; audited as `credential.reissue`."""
        with transaction(db_session()) as session:
            petition, code = service.reissue_query_code(
                session, petition_id=petition_id, reason=args["reason"], actor=request_actor())
        return {"petition_id": petition.id, "case_number": petition.case_number, "query_code": codes.display(code)}


_PDF_RESPONSE = {"description": "受理回执 as PDF (fonts embedded)", "content": {"application/pdf": {"schema": {
    "type": "string", "format": "binary"}}}}


def _receipt_pdf(issued: receipt.Receipt) -> Response:
    return Response(receipt.pdf(issued, status_url=receipt.status_url(config.current().public_url, request.host_url)),
                    headers=receipt.pdf_headers(issued))


@blp.route("/<string:petition_id>/receipt")
class PetitionReceipt(MethodView):
    @requires(*service.REGISTER_ROLES)
    @blp.doc(responses={"200": _PDF_RESPONSE})
    def get(self, petition_id: str) -> Response:
        """The 受理回执 as PDF, reprinted: without the 查询码 (kept only as a hash); audited as `petition.receipt`."""
        with transaction(db_session()) as session:
            issued = receipt.issue(session, petition_id=petition_id, actor=request_actor(), settings=config.current())
        return _receipt_pdf(issued)

    @requires(*service.REGISTER_ROLES)
    @blp.arguments(ReceiptCodeIn, example={"query_code": "7KQ-3XM-9TA"})
    @blp.doc(responses={"200": _PDF_RESPONSE})
    def post(self, args: dict[str, Any], petition_id: str) -> Response:
        """The 受理回执 as PDF with the 查询码 printed, if the code is this petition's (422 `query_code_mismatch`)."""
        with transaction(db_session()) as session:
            issued = receipt.issue_with_code(session, petition_id=petition_id, actor=request_actor(),
                                             settings=config.current(), entered=args["query_code"])
        return _receipt_pdf(issued)
