"""HTTP API of 失信被执行人: listings, removal, correction, 复议, 诚信证明; and the public certificate check."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response
from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.dishonesty import access, certificate, service, verify
from services.review.dishonesty.models import Certificate, Correction, Listing, Reconsideration
from services.review.dishonesty.schemas import (
    LISTING_EXAMPLE,
    CorrectedCreate,
    CorrectionCreate,
    CorrectionRead,
    CorrectionReview,
    CertificateRead,
    DayCreate,
    GroundCreate,
    IssuedRead,
    ListArgs,
    ListingCreate,
    ListingDetailRead,
    ListingRead,
    ReconsiderationCreate,
    ReconsiderationDecide,
    ReconsiderationRead,
    RevokeCreate,
    VerifyIn,
    VerifyRead,
)
from shared.auth import public, require_principal, requires
from shared.context import db_session, request_actor
from shared.db.base import utcnow
from shared.db.transaction import transaction

# One blueprint for both prefixes: the staff API (/api/v1/dishonesty) and the public check
# (/api/v1/public/certificates, routed to review by its manifest although intake holds /api/v1/public/).
blp = Blueprint("dishonesty", __name__, url_prefix="/api/v1", description="失信被执行人 and 诚信证明")


def detail(session: Any, listing: Listing) -> dict[str, Any]:
    """A listing with its 限消 order, corrections, 复议, clocks and certificates (the API and the page)."""
    return {**{c.key: getattr(listing, c.key) for c in Listing.__table__.columns},
            "consumption_order": service.consumption_order(session, listing.id),
            "corrections": service.corrections(session, listing.id),
            "reconsiderations": service.reconsiderations(session, listing.id),
            "clocks": service.clocks(session, listing.id),
            "certificates": certificate.of_listing(session, listing.id)}


def register_args(body: dict[str, Any]) -> dict[str, Any]:
    """The form or JSON body as :func:`service.register` takes it."""
    number = body["credit_code"] if body["debtor_kind"] == "enterprise" else body["id_number"]
    debtor = service.Debtor(body["debtor_kind"], body["debtor_name"].strip(), number, body.get("legal_representative"))
    names = ("obligation", "ground", "listed_on", "extension_years", "extension_reason", "on_application",
             "consumption_scope", "consumption_issued_on", "contact_email", "contact_phone")
    return {"case_number": body["case_number"], "debtor": debtor, **{n: body.get(n) for n in names}}


@blp.route("/dishonesty/listings")
class Listings(MethodView):
    @requires(*access.READ_ROLES)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, ListingRead(many=True))
    def get(self, args: dict[str, Any]) -> list[Listing]:
        """The listings you see (your court and those below), newest first; filter by status or due clock."""
        return service.list_(db_session(), principal=require_principal(), **args)

    @requires(*access.REGISTER_ROLES)
    @blp.arguments(ListingCreate, example=LISTING_EXAMPLE)
    @blp.response(201, ListingDetailRead)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """纳入失信名单 (court clerk): 409 dishonesty.relisting_blocked within six months of a creditor-requested deletion."""
        with transaction(db_session()) as session:
            listing = service.register(session, actor=request_actor(), **register_args(body))
            return detail(session, listing)


@blp.route("/dishonesty/listings/<string:listing_id>")
class OneListing(MethodView):
    @requires(*access.READ_ROLES)
    @blp.response(200, ListingDetailRead)
    def get(self, listing_id: str) -> dict[str, Any]:
        """One listing (404 if not one you see)."""
        session = db_session()
        return detail(session, access.get_listing(session, listing_id, principal=require_principal()))


@blp.route("/dishonesty/listings/<string:listing_id>/removal-ground")
class RecordGround(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(GroundCreate, example={"ground": "performed", "evidence": "申请执行人出具的履行完毕确认书"})
    @blp.response(200, ListingDetailRead)
    def post(self, body: dict[str, Any], listing_id: str) -> dict[str, Any]:
        """第十条: record the ground of deletion with its evidence; the 3-working-day clock starts."""
        with transaction(db_session()) as session:
            listing = service.record_ground(session, listing_id=listing_id, actor=request_actor(), **body)
            return detail(session, listing)


@blp.route("/dishonesty/listings/<string:listing_id>/removal")
class Remove(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(DayCreate, example={})
    @blp.response(200, ListingDetailRead)
    def post(self, body: dict[str, Any], listing_id: str) -> dict[str, Any]:
        """Decide the removal (删除); the linked 限制消费令 is lifted with it."""
        with transaction(db_session()) as session:
            listing = service.remove(session, listing_id=listing_id, actor=request_actor(), **body)
            return detail(session, listing)


@blp.route("/dishonesty/listings/<string:listing_id>/corrections")
class Corrections(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(CorrectionCreate, example={"reasons": "被执行人已于纳入前履行完毕"})
    @blp.response(201, CorrectionRead)
    def post(self, body: dict[str, Any], listing_id: str) -> Correction:
        """第十二条: a written correction request; the court reviews within 15日."""
        with transaction(db_session()) as session:
            return service.request_correction(session, listing_id=listing_id, actor=request_actor(), **body)


@blp.route("/dishonesty/listings/<string:listing_id>/corrections/<string:correction_id>/review")
class ReviewCorrection(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(CorrectionReview, example={"accepted": False, "reasons": "纳入时被执行人尚未履行"})
    @blp.response(200, CorrectionRead)
    def post(self, body: dict[str, Any], listing_id: str, correction_id: str) -> Correction:
        """Accepted: correct within 3 working days; rejected: 复议 may be applied for within 10日."""
        with transaction(db_session()) as session:
            return service.review_correction(session, listing_id=listing_id, correction_id=correction_id,
                                             actor=request_actor(), **body)


@blp.route("/dishonesty/listings/<string:listing_id>/corrections/<string:correction_id>/corrected")
class Corrected(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(CorrectedCreate, example={"note": "更正被执行人名称"})
    @blp.response(200, CorrectionRead)
    def post(self, body: dict[str, Any], listing_id: str, correction_id: str) -> Correction:
        """The correction is made (its 3-working-day clock met)."""
        with transaction(db_session()) as session:
            return service.record_corrected(session, listing_id=listing_id, correction_id=correction_id,
                                            actor=request_actor(), **body)


@blp.route("/dishonesty/listings/<string:listing_id>/corrections/<string:correction_id>/reconsideration")
class Reconsider(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(ReconsiderationCreate, example={"reasons": "不服驳回纠正申请决定"})
    @blp.response(201, ReconsiderationRead)
    def post(self, body: dict[str, Any], listing_id: str, correction_id: str) -> Reconsideration:
        """复议 to the court above (within 10日 of the rejection; decided within 15日; the listing stays)."""
        with transaction(db_session()) as session:
            return service.apply_reconsideration(session, listing_id=listing_id, correction_id=correction_id,
                                                 actor=request_actor(), **body)


@blp.route("/dishonesty/listings/<string:listing_id>/reconsiderations/<string:reconsideration_id>/decision")
class DecideReconsideration(MethodView):
    @requires(*access.DECIDE_RECON_ROLES)
    @blp.arguments(ReconsiderationDecide, example={"revoke": False, "reasons": "原决定正确"})
    @blp.response(200, ReconsiderationRead)
    def post(self, body: dict[str, Any], listing_id: str, reconsideration_id: str) -> Reconsideration:
        """The court above decides the 复议 (its judges only)."""
        with transaction(db_session()) as session:
            return service.decide_reconsideration(session, listing_id=listing_id,
                                                  reconsideration_id=reconsideration_id, actor=request_actor(), **body)


@blp.route("/dishonesty/listings/<string:listing_id>/certificates")
class Certificates(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(DayCreate, example={})
    @blp.response(201, IssuedRead)
    def post(self, body: dict[str, Any], listing_id: str) -> certificate.Issued:
        """Issue the 诚信证明 of a removed record (PDF; the enterprise is notified through notify)."""
        with transaction(db_session()) as session:
            return certificate.issue(session, listing_id=listing_id, actor=request_actor(), **body)


@blp.route("/dishonesty/listings/<string:listing_id>/certificates/<string:certificate_id>/revocation")
class Revoke(MethodView):
    @requires(*access.ACT_ROLES)
    @blp.arguments(RevokeCreate, example={"reason": "出具有误"})
    @blp.response(200, CertificateRead)
    def post(self, body: dict[str, Any], listing_id: str, certificate_id: str) -> Certificate:
        """Revoke a certificate: its check answers "revoked on …" from then on."""
        with transaction(db_session()) as session:
            return certificate.revoke(session, listing_id=listing_id, certificate_id=certificate_id,
                                      actor=request_actor(), **body)


_PDF_DOC = {"responses": {"200": {"description": "the 诚信证明 as issued (PDF, fonts embedded)", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}


@blp.route("/dishonesty/listings/<string:listing_id>/certificates/<string:certificate_id>/pdf")
class CertificatePdf(MethodView):
    @requires(*access.READ_ROLES)
    @blp.doc(**_PDF_DOC)
    def get(self, listing_id: str, certificate_id: str) -> Response:
        """The certificate PDF (404 if not of a listing you see)."""
        session = db_session()
        listing = access.get_listing(session, listing_id, principal=require_principal())
        cert = session.get(Certificate, certificate_id)
        if cert is None or cert.listing_id != listing.id:
            raise access.ListingNotFound(certificate_id=certificate_id)
        response = make_response(cert.pdf)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f"attachment; filename=certificate-{cert.year}-{cert.serial}.pdf"
        return response


@blp.route("/public/certificates/verify")
class Verify(MethodView):
    @public
    @blp.arguments(VerifyIn, example={"code": "ABCD-EFGH-JKMN-PQRS"})
    @blp.response(200, VerifyRead)
    def post(self, body: dict[str, Any]) -> verify.Answer:
        """Check a 诚信证明 by its code: valid (issued on, by, for), revoked (on), or not_found. Rate-limited
        per address (429 with Retry-After); audited."""
        with transaction(db_session()) as session:
            return verify.verify(session, code=body["code"], actor=request_actor(), now=utcnow())
