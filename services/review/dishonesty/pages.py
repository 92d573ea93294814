"""Pages of 失信被执行人: the list (/dishonesty), the register form, one listing with its removal,
correction, 复议 and certificate actions and clocks, and the public certificate check
(/public/certificates: a form and its answer, without JavaScript).

Every form is read with the API's own schema and every rule is the service's: a refusal is shown
above the form (422; a clash with what is stored, 409), nothing stored; after a step the page
answers 303, except the certificate's, which shows its verification code once.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from flask import Response, abort, make_response, request
from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from services.review.dishonesty import access, certificate, grounds, service, verify, views
from services.review.dishonesty.models import DEBTOR_TEXT, STATUS_TEXT, Certificate
from services.review.dishonesty.schemas import (
    CorrectedCreate,
    CorrectionCreate,
    CorrectionReview,
    DayCreate,
    GroundCreate,
    ListArgs,
    ListingCreate,
    ReconsiderationCreate,
    ReconsiderationDecide,
    RevokeCreate,
    VerifyIn,
)
from shared.auth import public, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.base import utcnow
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("dishonesty", __name__)
_REFUSED = (ErrorKind.INVALID, ErrorKind.CONFLICT, ErrorKind.FORBIDDEN)
DONE_TEXT = {"ground": "已记录删除事由，删除期限开始计算（三个工作日）。", "remove": "已删除失信信息，限制消费令同时解除。",
             "correction": "已登记纠正申请，十五日内审查。", "review": "已记录审查结论。", "corrected": "已记录纠正。",
             "reconsideration": "已登记复议申请，上一级法院十五日内决定；复议期间不停止失信名单。",
             "decision": "已记录复议决定。", "revoke": "诚信证明已撤销。", "created": "已纳入失信被执行人名单。"}
CORRECTION_TEXT = {"accepted": "理由成立，予以纠正", "rejected": "理由不成立，驳回"}
RECON_TEXT = {"upheld": "驳回复议", "revoked": "撤销驳回决定，予以纠正"}
RESULT_TEXT = {verify.VALID: "有效", verify.REVOKED: "已撤销", verify.NOT_FOUND: "未查到"}


def _check_id(value: str) -> None:
    if len(value) > 36:
        abort(404)


def _status_of(exc: DomainError) -> int:
    return {ErrorKind.CONFLICT: 409, ErrorKind.FORBIDDEN: 403}.get(exc.kind, 422)


def _texts() -> dict[str, Any]:
    return {"status_text": STATUS_TEXT, "debtor_text": DEBTOR_TEXT, "listing_grounds": grounds.LISTING_GROUNDS,
            "removal_grounds": grounds.REMOVAL_GROUNDS, "removal_text": grounds.removal_text,
            "correction_text": CORRECTION_TEXT, "recon_text": RECON_TEXT,
            "ground_options": [(str(k), f"第（{k}）项：{g.text}") for k, g in grounds.LISTING_GROUNDS.items()],
            "removal_options": [(k, g.text) for k, g in grounds.REMOVAL_GROUNDS.items()]}


# --- the list and the register form ------------------------------------------------------------


@blp.get("/dishonesty")
@requires(*access.READ_ROLES)
def list_page() -> Response:
    """失信名单: the listings I see, filtered by status and by a clock due by a day."""
    data, errors = parse_form(ListArgs(), request.args)
    rows = []
    if data is not None:
        rows = service.list_(db_session(), principal=require_principal(), **data)
    principal = require_principal()
    return render_page("dishonesty/list.html", status=200 if data is not None else 422, rows=rows, errors=errors,
                       values=errors.values, today=beijing_today(),
                       can_register=principal.has_role(*access.REGISTER_ROLES), **_texts())


def _new_form(errors: FormErrors, *, status: int) -> Response:
    return render_page("dishonesty/new.html", status=status, errors=errors, values=errors.values,
                       today=beijing_today(), **_texts())


@blp.get("/dishonesty/new")
@requires(*access.REGISTER_ROLES)
def new() -> Response:
    """纳入失信名单: the form."""
    return _new_form(FormErrors(), status=200)


@blp.post("/dishonesty")
@requires(*access.REGISTER_ROLES)
def create() -> Response:
    data, errors = parse_form(ListingCreate(), request.form)
    if data is None:
        return _new_form(errors, status=422)
    try:
        with transaction(db_session()) as session:
            listing = service.register(session, actor=request_actor(), **views.register_args(data))
            listing_id = listing.id
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        errors.add(exc.field if exc.field in ("case_number", "extension_years") else "_form", exc.message_zh)
        return _new_form(errors, status=_status_of(exc))
    return redirect_to(f"/dishonesty/{listing_id}", done="created")


# --- one listing -------------------------------------------------------------------------------


def _listing_page(listing_id: str, *, errors: FormErrors | None = None, form: str | None = None,
                  status: int = 200, issued: certificate.Issued | None = None) -> Response:
    session = db_session()
    principal = require_principal()
    listing = access.get_listing(session, listing_id, principal=principal)
    info = views.detail(session, listing)
    return render_page(
        "dishonesty/detail.html", status=status, l=listing, d=info, errors=errors or FormErrors(), form=form,
        today=beijing_today(), can_act=access.may_act(principal, listing),
        can_decide=principal.has_role(*access.DECIDE_RECON_ROLES),
        done=DONE_TEXT.get(request.args.get("done", "")), issued=issued,
        issued_code=certificate.shown(issued.code) if issued else None, **_texts(),
    )


@blp.get("/dishonesty/<string:listing_id>")
@requires(*access.READ_ROLES)
def detail(listing_id: str) -> Response:
    """One listing: debtor, ground, term, 限消 order, removal, corrections, 复议, clocks, certificates."""
    _check_id(listing_id)
    return _listing_page(listing_id)


def _step(listing_id: str, form: str, schema: Schema, call: Callable[[Any, dict[str, Any]], Any]) -> Response:
    _check_id(listing_id)
    data, errors = parse_form(schema, request.form)
    if data is None:
        return _listing_page(listing_id, errors=errors, form=form, status=422)
    try:
        with transaction(db_session()) as session:
            call(session, data)
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        errors.add("_form", exc.message_zh)
        return _listing_page(listing_id, errors=errors, form=form, status=_status_of(exc))
    return redirect_to(f"/dishonesty/{listing_id}", done=form)


@blp.post("/dishonesty/<string:listing_id>/removal-ground")
@requires(*access.ACT_ROLES)
def record_ground(listing_id: str) -> Response:
    """第十条: the ground of deletion and its evidence."""
    return _step(listing_id, "ground", GroundCreate(), lambda s, d: service.record_ground(
        s, listing_id=listing_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/removal")
@requires(*access.ACT_ROLES)
def remove(listing_id: str) -> Response:
    """删除 (and the 限消 order lifted)."""
    return _step(listing_id, "remove", DayCreate(), lambda s, d: service.remove(
        s, listing_id=listing_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/corrections")
@requires(*access.ACT_ROLES)
def request_correction(listing_id: str) -> Response:
    return _step(listing_id, "correction", CorrectionCreate(), lambda s, d: service.request_correction(
        s, listing_id=listing_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/corrections/<string:correction_id>/review")
@requires(*access.ACT_ROLES)
def review_correction(listing_id: str, correction_id: str) -> Response:
    _check_id(correction_id)
    return _step(listing_id, "review", CorrectionReview(), lambda s, d: service.review_correction(
        s, listing_id=listing_id, correction_id=correction_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/corrections/<string:correction_id>/corrected")
@requires(*access.ACT_ROLES)
def corrected(listing_id: str, correction_id: str) -> Response:
    _check_id(correction_id)
    return _step(listing_id, "corrected", CorrectedCreate(), lambda s, d: service.record_corrected(
        s, listing_id=listing_id, correction_id=correction_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/corrections/<string:correction_id>/reconsideration")
@requires(*access.ACT_ROLES)
def reconsideration(listing_id: str, correction_id: str) -> Response:
    _check_id(correction_id)
    return _step(listing_id, "reconsideration", ReconsiderationCreate(), lambda s, d: service.apply_reconsideration(
        s, listing_id=listing_id, correction_id=correction_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/reconsiderations/<string:reconsideration_id>/decision")
@requires(*access.DECIDE_RECON_ROLES)
def decide(listing_id: str, reconsideration_id: str) -> Response:
    _check_id(reconsideration_id)
    return _step(listing_id, "decision", ReconsiderationDecide(), lambda s, d: service.decide_reconsideration(
        s, listing_id=listing_id, reconsideration_id=reconsideration_id, actor=request_actor(), **d))


@blp.post("/dishonesty/<string:listing_id>/certificates")
@requires(*access.ACT_ROLES)
def issue(listing_id: str) -> Response:
    """出具诚信证明: the page shows the verification code once (it is stored only hashed)."""
    _check_id(listing_id)
    errors = FormErrors()
    try:
        with transaction(db_session()) as session:
            issued = certificate.issue(session, listing_id=listing_id, actor=request_actor())
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        errors.add("_form", exc.message_zh)
        return _listing_page(listing_id, errors=errors, form="certificate", status=_status_of(exc))
    return _listing_page(listing_id, issued=issued, status=201)


@blp.post("/dishonesty/<string:listing_id>/certificates/<string:certificate_id>/revocation")
@requires(*access.ACT_ROLES)
def revoke(listing_id: str, certificate_id: str) -> Response:
    _check_id(certificate_id)
    return _step(listing_id, "revoke", RevokeCreate(), lambda s, d: certificate.revoke(
        s, listing_id=listing_id, certificate_id=certificate_id, actor=request_actor(), **d))


@blp.get("/dishonesty/<string:listing_id>/certificates/<string:certificate_id>.pdf")
@requires(*access.READ_ROLES)
def certificate_pdf(listing_id: str, certificate_id: str) -> Response:
    """The certificate's PDF, as issued."""
    _check_id(listing_id)
    _check_id(certificate_id)
    session = db_session()
    listing = access.get_listing(session, listing_id, principal=require_principal())
    cert = session.get(Certificate, certificate_id)
    if cert is None or cert.listing_id != listing.id:
        abort(404)
    response = make_response(cert.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f"inline; filename=certificate-{cert.year}-{cert.serial}.pdf"
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the public check ---------------------------------------------------------------------------


def _public_form(errors: FormErrors | None = None, *, status: int = 200, answer: verify.Answer | None = None,
                 limited_minutes: int | None = None, code: str = "") -> Response:
    window = verify.Window.from_env()
    return render_page("dishonesty/public_check.html", status=status, personal=False, errors=errors or FormErrors(),
                       answer=answer, result_text=RESULT_TEXT, code=code, limited_minutes=limited_minutes,
                       window_limit=window.limit, window_minutes=math.ceil(window.seconds / 60))


def _check(raw: MultiDict[str, str]) -> Response:
    data, errors = parse_form(VerifyIn(), raw)
    if data is None:
        return _public_form(errors, status=422)
    try:
        with transaction(db_session()) as session:  # the window's row and the audit row
            answer = verify.verify(session, code=data["code"], actor=request_actor(), now=utcnow())
    except verify.TooManyChecks as exc:
        page = _public_form(errors, status=429, limited_minutes=math.ceil(exc.retry_after_s / 60))
        page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    return _public_form(answer=answer, code=data["code"])


@blp.get("/public/certificates")
@public
def public_check_form() -> Response:
    """诚信证明查验: the form; with ``?code=`` (the certificate's QR code) the answer at once."""
    if request.args.get("code"):
        return _check(request.args)
    return _public_form()


@blp.post("/public/certificates")
@public
def public_check() -> Response:
    """The answer: valid (issued on, by, for), revoked (on), or not found."""
    return _check(request.form)
