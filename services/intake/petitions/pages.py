"""Staff pages of petitions: registration (登记), the printable 受理回执 (HTML and PDF), the petition (masked), the audited reveal.

``/petitions/<id>/panel`` is the part review's case page includes (``data-include``);
``/petitions/<id>`` is the same as a whole page, and what a browser without JavaScript follows.
Full personal numbers appear only in the answer to the reveal form's POST: never in a URL, never
cached (no-store), never in a page rendered afterwards.  The templates get a plain view of the
petition (`_view`), never the row, whose attributes hold the decrypted numbers.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request

from services.intake import config
from services.intake.attachments import listing as attachments
from services.intake.duplicates import service as duplicates
from services.intake.duplicates.schemas import DuplicateSplitIn
from services.intake.petitions import lines, personal, queries, receipt, receiving_units, record, service
from services.intake.petitions.forms import (
    IDEMPOTENCY_FIELD, PetitionForm, QueryCodeReissueForm, RevealForm, form_key, new_form_key, readable,
)
from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_TYPES
from shared import idempotency
from shared.auth import can_see, require_principal, requires
from shared.auth.principal import CASE_ROLES
from shared.auth.units import line_of_unit
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.events.intake import LINES
from shared.pii import mask_text
from shared.routing import UPLOAD_BODY_BYTES
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_fragment, render_page

blp = page_blueprint("petitions", __name__)
# The order the registration form offers the channels in: what the desk receives most, first.
CHANNEL_CHOICES = (("信", "来信（信）"), ("访", "来访（访）"), ("电", "来电（电）"), ("网", "网上（转来的网上反映）"))
REVEAL_FIELDS = (("id_number", "身份证号码"), ("phone", "联系电话"))


def _check_id(petition_id: str) -> None:
    if len(petition_id) > 36:  # an id is a uuid; anything longer is no petition
        abort(404)


# --- registration ------------------------------------------------------------------------------


# The channel forms a desk uses: each shows its channel's own fields only.
CHANNEL_FORMS = {"letter": ("信", "登记来信"), "visit": ("访", "登记来访"), "call": ("电", "登记来电"),
                 "online": ("网", "登记转来的网上反映")}


def _form_page(errors: FormErrors, *, key: str, slug: str | None = None, status: int = 200) -> Response:
    principal = require_principal()
    unit_line = line_of_unit(principal.unit_code)
    allowed = [unit_line] if unit_line else list(LINES)
    values = dict(errors.values)
    if len(allowed) == 1:
        values.setdefault("line", allowed[0])
    channel, heading = CHANNEL_FORMS[slug] if slug else (None, "登记来信、来访、来电")
    return render_page(
        "petitions/new.html", status=status, errors=readable(errors), values=values, form_key=key,
        key_field=IDEMPOTENCY_FIELD, line_options=[(code, lines.LINE_TEXT[code]) for code in allowed],
        types={code: PETITION_TYPES[code] for code in allowed}, line_text=lines.LINE_TEXT,
        channel_choices=CHANNEL_CHOICES, heading=heading, fixed_channel=channel, form_slug=slug,
        action=f"/petitions/new/{slug}" if slug else "/petitions/new",
        channel_forms=[(s, text) for s, (_, text) in CHANNEL_FORMS.items()],
        show_letter=channel in (None, "信"), show_visit=channel in (None, "访"),
        petitioner_kinds=list(record.PETITIONER_KINDS.items()), relations=[(r, r) for r in record.RELATIONS],
        sizes=[(s, f"{s}型企业") for s in record.ENTERPRISE_SIZES],
        industries=[(code, f"{code} {name}") for code, name in record.INDUSTRIES.items()],
        ownerships=[(o, o) for o in record.OWNERSHIPS],
    )


def _slug_or_404(slug: str) -> str:
    if slug not in CHANNEL_FORMS:
        abort(404)
    return slug


@blp.get("/petitions/new")
@requires(*service.REGISTER_ROLES)
def new() -> Response:
    """登记: the general form (any channel) with links to each channel's own form."""
    return _form_page(FormErrors(), key=new_form_key())


@blp.get("/petitions/new/<string:slug>")
@requires(*service.REGISTER_ROLES)
def new_of_channel(slug: str) -> Response:
    """登记来信 / 来访 / 来电 / 转来的网上反映: the form of one channel."""
    return _form_page(FormErrors(), key=new_form_key(), slug=_slug_or_404(slug))


@blp.post("/petitions/new")
@requires(*service.REGISTER_ROLES)
def register() -> Response:
    """Register what the form describes (as POST /api/v1/petitions does), then show its receipt."""
    return _register(None)


@blp.post("/petitions/new/<string:slug>")
@requires(*service.REGISTER_ROLES)
def register_of_channel(slug: str) -> Response:
    """The same, from one channel's form (the channel is the form's, whatever was sent)."""
    return _register(_slug_or_404(slug))


def _register(slug: str | None) -> Response:
    form = request.form.copy()
    if slug:
        form["channel"] = CHANNEL_FORMS[slug][0]
    data, errors = parse_form(PetitionForm(), form)
    key = form_key(request.form.get(IDEMPOTENCY_FIELD))
    if data is None:
        return _form_page(errors, key=key or new_form_key(), slug=slug, status=422)
    try:
        with transaction(db_session()) as session:
            registration = service.register(
                session, petition_in=data, actor=request_actor(), idempotency_key=key,
                request_hash=idempotency.fingerprint(data) if key else None,
            )
    except (service.ReceivedInFuture, service.LineNotServedByUnit) as exc:
        errors.add(exc.field or "_form", exc.message_zh)
        return _form_page(errors, key=key or new_form_key(), slug=slug, status=422)
    except idempotency.IdempotencyKeyReused:
        # The form was sent once, then changed and sent again: not a replay, and not silently a second case.
        errors.add("_form", "这张表单已经登记过一次。如确需另行登记一件事项，请核对内容后再次提交。")
        return _form_page(errors, key=new_form_key(), slug=slug, status=409)
    if registration.replayed:  # the code was shown by the first answer: the receipt is a reprint
        return redirect_to(f"/petitions/{registration.petition.id}/receipt")
    # The code exists only in this answer (it is kept as a hash): the receipt is shown here, not
    # behind a redirect, and the page is not stored by the browser (render_page: no-store).
    return _receipt_page(registration.petition.id, query_code=registration.query_code, status=201)


# --- the receipt -------------------------------------------------------------------------------


def _status_url() -> str:
    return receipt.status_url(config.current().public_url, request.host_url)


def _receipt_page(petition_id: str, *, query_code: str | None = None, errors: FormErrors | None = None,
                  status: int = 200) -> Response:
    with transaction(db_session()) as session:
        issued = receipt.issue(session, petition_id=petition_id, actor=request_actor(), settings=config.current(),
                               query_code=query_code)
    return render_page("petitions/receipt.html", status=status, receipt=issued, status_url=_status_url(),
                       can_reissue=True, errors=errors or FormErrors(), upload_hint=_upload_hint())


@blp.get("/petitions/<string:petition_id>/receipt")
@requires(*service.REGISTER_ROLES)
def receipt_page(petition_id: str) -> Response:
    """受理回执, reprinted (without the code, which is kept only as a hash); every showing is audited."""
    _check_id(petition_id)
    return _receipt_page(petition_id)


@blp.get("/petitions/<string:petition_id>/receipt.pdf")
@requires(*service.REGISTER_ROLES)
def receipt_pdf(petition_id: str) -> Response:
    """下载 PDF 回执, reprinted (without the code), as GET /api/v1/petitions/<id>/receipt answers."""
    _check_id(petition_id)
    with transaction(db_session()) as session:
        issued = receipt.issue(session, petition_id=petition_id, actor=request_actor(), settings=config.current())
    return Response(receipt.pdf(issued, status_url=_status_url()), headers=receipt.pdf_headers(issued))


@blp.post("/petitions/<string:petition_id>/receipt.pdf")
@requires(*service.REGISTER_ROLES)
def receipt_pdf_with_code(petition_id: str) -> Response:
    """下载 PDF 回执 from the receipt that shows the code: the code rides in the form and must verify."""
    _check_id(petition_id)
    try:
        with transaction(db_session()) as session:
            issued = receipt.issue_with_code(session, petition_id=petition_id, actor=request_actor(),
                                             settings=config.current(), entered=request.form.get("query_code", ""))
    except receipt.QueryCodeMismatch as exc:  # a tampered form, or a code re-issued meanwhile
        return _receipt_page(petition_id, errors=FormErrors(fields={"_form": [exc.message_zh]}), status=422)
    return Response(receipt.pdf(issued, status_url=_status_url()), headers=receipt.pdf_headers(issued))


@blp.post("/petitions/<string:petition_id>/query-code")
@requires(*service.REGISTER_ROLES)
def reissue_query_code(petition_id: str) -> Response:
    """重新签发查询码: a new code on a fresh receipt; the old code stops working (audited with the reason)."""
    _check_id(petition_id)
    data, errors = parse_form(QueryCodeReissueForm(), request.form)
    if data is None:
        return _receipt_page(petition_id, errors=readable(errors, {"reason": "签发原因"}), status=422)
    with transaction(db_session()) as session:
        _, code = service.reissue_query_code(session, petition_id=petition_id, reason=data["reason"],
                                             actor=request_actor())
    return _receipt_page(petition_id, query_code=code, status=201)


# --- the petition, masked, and the reveal ------------------------------------------------------


def _view(petition: Petition) -> dict[str, Any]:
    """What the pages show of a petition: personal numbers masked, free text with numbers masked too."""
    masked = personal.masked_summary(petition)
    return {
        "id": petition.id,
        "case_number": petition.case_number,
        "line": lines.LINE_TEXT.get(petition.line, petition.line),
        "channel": lines.CHANNEL_TEXT.get(petition.channel, petition.channel),
        "petition_type": petition.petition_type,
        "status": lines.STATUS_TEXT.get(petition.status, petition.status),
        "received_at": petition.received_at,
        "receiving_unit": receiving_units.name_of(petition.unit_code, line=petition.line),
        "registered_by": petition.registered_by,
        "petitioner": masked["petitioner"],
        "has_address": bool(petition.petitioner_address),
        "is_enterprise": petition.is_enterprise,
        "enterprise_name": petition.enterprise_name,
        "enterprise_credit_code": petition.enterprise_credit_code,
        # A number typed into the claim is still a number: masked like the fields (shared/pii).
        "claim": mask_text(petition.claim),
        "facts": mask_text(petition.facts) if petition.facts else None,
        "reasons": mask_text(petition.reasons) if petition.reasons else None,
    }


def _upload_hint() -> str:
    return attachments.upload_hint(max_file_bytes=config.current().attachment_max_bytes,
                                   max_body_bytes=UPLOAD_BODY_BYTES)


def _context(petition_id: str, *, uploaded: str | None = None, existing: str | None = None) -> dict[str, Any]:
    principal = require_principal()
    petition = queries.readable_or_raise(db_session(), petition_id, principal=principal)
    return {
        "files": attachments.section(db_session(), petition_id=petition_id, principal=principal,
                                     uploaded=uploaded, existing=existing),
        "upload_hint": _upload_hint(),
        "p": _view(petition),
        "can_reveal": principal.has_role(*personal.REVEAL_ROLES),
        "can_print": principal.has_role(*service.REGISTER_ROLES),
        "reveal_fields": REVEAL_FIELDS,
        "duplicates": duplicates.duplicates_of(db_session(), petition_id=petition_id, principal=principal),
        # A unit that reads the petition by a grant (grants.py) changes nothing of it.
        "can_split": principal.has_role(*duplicates.SPLIT_ROLES) and can_see(principal, petition.unit_code),
    }


@blp.get("/petitions/<string:petition_id>")
@requires(*CASE_ROLES)
def detail(petition_id: str) -> Response:
    """受理登记信息: the petition with personal numbers masked, and the reveal form for the roles that may.

    After an upload (services/intake/attachments/pages.py) the query names the files stored
    (`uploaded`) and those that were there already (`existing`): the page confirms them.
    """
    _check_id(petition_id)
    return page(petition_id, uploaded=request.args.get("uploaded"), existing=request.args.get("existing"))


def page(petition_id: str, *, status: int = 200, uploaded: str | None = None, existing: str | None = None,
         **extra: Any) -> Response:
    """The petition page, with what a form's answer adds (its errors, a result); 404 when not visible."""
    _check_id(petition_id)
    return render_page("petitions/detail.html", status=status, **extra,
                       **_context(petition_id, uploaded=uploaded, existing=existing))


@blp.get("/petitions/<string:petition_id>/panel")
@requires(*CASE_ROLES)
def panel(petition_id: str) -> Response:
    """The same as a fragment: review's case page includes it."""
    _check_id(petition_id)
    return render_fragment("petitions/panel.html", **_context(petition_id))


@blp.post("/petitions/<string:petition_id>/reveal")
@requires(*personal.REVEAL_ROLES)
def reveal(petition_id: str) -> Response:
    """The full numbers, on this answer only; audited as `pii.reveal` (refusals included)."""
    _check_id(petition_id)
    data, errors = parse_form(RevealForm(), request.form, lists=frozenset({"fields"}))
    if data is None:
        # The form may sit inside review's case page: its ids carry a prefix no other form there uses.
        named = FormErrors(fields={f"reveal-{k}": v for k, v in readable(errors).fields.items()},
                           values=errors.values)
        return render_page("petitions/detail.html", status=422, reveal_errors=named,
                           **_context(petition_id))
    with transaction(db_session()) as session:  # the pii.reveal row, kept when refused
        revealed = personal.reveal(session, petition_id=petition_id, fields=data["fields_"], reason=data["reason"],
                                   actor=request_actor())
    shown = [(label, revealed.values[name]) for name, label in REVEAL_FIELDS if name in revealed.values]
    return render_page("petitions/detail.html", revealed=shown, reveal_reason=data["reason"], **_context(petition_id))



@blp.post("/petitions/<string:petition_id>/duplicate-split")
@requires(*duplicates.SPLIT_ROLES)
def duplicate_split(petition_id: str) -> Response:
    """拆分重复件 (as POST /api/v1/petitions/<id>/duplicate-split): audited, then back to the petition."""
    _check_id(petition_id)
    data, errors = parse_form(DuplicateSplitIn(), request.form)
    if data is None:
        named = FormErrors(fields={f"split-{k}": v for k, v in readable(errors).fields.items()}, values=errors.values)
        return render_page("petitions/detail.html", status=422, split_errors=named, **_context(petition_id))
    with transaction(db_session()) as session:
        duplicates.split(session, petition_id=petition_id, reason=data["reason"], actor=request_actor())
    return redirect_to(f"/petitions/{petition_id}")
