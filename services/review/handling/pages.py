"""Pages of 审查办理: the handling panel of the case page, its forms, and 我的案件 (/handling).

The panel is registered with triage's case page (``case_panels``), so the case page itself is not
edited.  Each form posts to its own path under ``/cases/<petition_id>/handling/``; the rules are
the API's (``service``), a success goes back to the case page (303), a form error shows the one
form again with the values typed and the messages beside the fields (422).  A refusal that is not
about a field (403 not_your_unit, 409 wrong_state) is the portal's error page.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from marshmallow import Schema
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.handling import document as reply_document
from services.review.handling import downloads, service
from services.review.handling.files import blob_store
from services.review.handling.schemas import HandlerAssign, ProgressCreate, ReplyCreate, ReturnCreate
from services.review.handling.vocabulary import (
    DELIVERY_TEXT,
    ENTRY_TEXT,
    KIND_TEXT,
    OUTCOME_TEXT,
    default_basis,
)
from services.review.identity.accounts.models import StaffAccount
from services.review.triage import case_panels, states
from services.review.triage.access import ItemNotFound, get_item
from services.review.triage.models import TriageItem
from shared.actor import Actor
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.storage import staged
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("handling", __name__)
ACTORS = ("case_handler", "unit_leader")
READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")

# The forms of the panel: name → (schema, heading).
FORMS: dict[str, tuple[type[Schema], str]] = {
    "return": (ReturnCreate, "退回"),
    "handler": (HandlerAssign, "承办人"),
    "progress": (ProgressCreate, "进展汇报"),
    "replies": (ReplyCreate, "答复"),
}


def _acts(principal: Principal, item: TriageItem) -> bool:
    return principal.has_role(*ACTORS) and item.handling_unit_code is not None \
        and principal.unit_code == item.handling_unit_code


def _unit_handlers(session: Session, unit_code: str | None) -> list[StaffAccount]:
    """The case handlers of the unit a leader may assign (active accounts, by name)."""
    if unit_code is None:
        return []
    rows = session.scalars(select(StaffAccount).where(StaffAccount.unit_code == unit_code,
                                                      StaffAccount.disabled.is_(False))
                           .order_by(StaffAccount.display_name))
    return [a for a in rows if service.HANDLER_ROLE in a.roles]


def _options(item: TriageItem) -> dict[str, Any]:
    return {
        "kind_options": list(KIND_TEXT.items()), "outcome_options": list(OUTCOME_TEXT.items()),
        "delivery_options": list(DELIVERY_TEXT.items()),
        "default_basis": {kind: default_basis(item.line, kind) for kind in KIND_TEXT},
        "kind_text": KIND_TEXT, "outcome_text": OUTCOME_TEXT, "delivery_text": DELIVERY_TEXT,
        "entry_text": ENTRY_TEXT, "status_text": states.STATUS_TEXT, "today": beijing_today(),
    }


def panel_context(session: Session, item: TriageItem, principal: Principal) -> dict[str, Any] | None:
    """The handling panel: shown once the item has a handling unit or a handling history."""
    entries = service.entries(session, petition_id=item.petition_id)
    if item.handling_unit_code is None and not entries:
        return None
    acts = _acts(principal, item)
    leader = acts and principal.has_role(service.LEADER_ROLE)
    return {
        "entries": entries, "replies": service.replies(session, petition_id=item.petition_id), "acts": acts,
        "leader": leader, "handlers": _unit_handlers(session, item.handling_unit_code) if leader else [],
        "can_take": acts and principal.has_role(service.HANDLER_ROLE) and item.handler_user_id is None,
        "routed": item.status == states.ROUTED, "handling": item.status == states.HANDLING,
        "unit_name": reply_document.unit_name(session, item.handling_unit_code),
        "errors": FormErrors(), "form": None, **_options(item),
    }


case_panels.register(case_panels.CasePanel("handling", "handling/panel.html", panel_context, order=20))


def _item_or_404(principal: Principal, petition_id: str) -> TriageItem:
    if len(petition_id) > 36:
        abort(404)
    try:
        return get_item(db_session(), petition_id, principal=principal)
    except ItemNotFound:
        abort(404)


def _form_page(item: TriageItem, principal: Principal, form: str, errors: FormErrors, status: int) -> Response:
    """One form again, with what was typed and why it was refused."""
    ctx = panel_context(db_session(), item, principal) or {"leader": False, "handlers": [], **_options(item)}
    ctx.update(errors=errors, form=form)
    return render_page("handling/form.html", status=status, item=item, principal=principal, ctx=ctx,
                       heading=FORMS[form][1] if form in FORMS else "受理")


def _act(petition_id: str, form: str, run: Any) -> Response:
    """Parse the form (if it has one), run the rule, back to the case page; field refusals shown on the form."""
    principal = require_principal()
    actor: Actor = request_actor()
    item = _item_or_404(principal, petition_id)
    data: dict[str, Any] = {}
    errors = FormErrors()
    if form in FORMS:
        parsed, errors = parse_form(FORMS[form][0](), request.form)
        if parsed is None:
            return _form_page(item, principal, form, errors, 422)
        data = parsed
    try:
        run(actor, data)
    except DomainError as exc:
        if exc.kind is not ErrorKind.INVALID or form not in FORMS:
            raise
        errors.add(exc.field or "_form", exc.message_zh)
        db_session().rollback()
        return _form_page(_item_or_404(principal, petition_id), principal, form, errors, 422)
    return redirect_to(f"/cases/{petition_id}#handling")


@blp.post("/cases/<string:petition_id>/handling/accept")
@requires(*ACTORS)
def accept(petition_id: str) -> Response:
    """受理 a 交办 item."""
    def run(actor: Actor, _: dict[str, Any]) -> None:
        with transaction(db_session()) as session:
            service.accept(session, petition_id=petition_id, actor=actor)
    return _act(petition_id, "accept", run)


@blp.post("/cases/<string:petition_id>/handling/return")
@requires(*ACTORS)
def return_(petition_id: str) -> Response:
    """退回 a 交办 item, with reasons."""
    def run(actor: Actor, data: dict[str, Any]) -> None:
        with transaction(db_session()) as session:
            service.return_(session, petition_id=petition_id, reasons=data["reasons"], actor=actor)
    return _act(petition_id, "return", run)


@blp.post("/cases/<string:petition_id>/handling/handler")
@requires(*ACTORS)
def handler(petition_id: str) -> Response:
    """指定承办人 (unit leader) or 我来承办 (case handler)."""
    def run(actor: Actor, data: dict[str, Any]) -> None:
        with transaction(db_session()) as session:
            service.assign_handler(session, petition_id=petition_id, actor=actor,
                                   handler_user_id=data.get("handler_user_id"))
    return _act(petition_id, "handler", run)


@blp.post("/cases/<string:petition_id>/handling/progress")
@requires(*ACTORS)
def progress(petition_id: str) -> Response:
    """进展汇报."""
    def run(actor: Actor, data: dict[str, Any]) -> None:
        with transaction(db_session()) as session:
            service.report_progress(session, petition_id=petition_id, actor=actor, **data)
    return _act(petition_id, "progress", run)


@blp.post("/cases/<string:petition_id>/handling/replies")
@requires(*ACTORS)
def replies(petition_id: str) -> Response:
    """答复, with its document generated."""
    def run(actor: Actor, data: dict[str, Any]) -> None:
        with staged(blob_store()) as blobs, transaction(db_session()) as session:
            service.reply(session, petition_id=petition_id, reply_in=service.ReplyIn(**data), actor=actor,
                          blobs=blobs)
    return _act(petition_id, "replies", run)


@blp.get("/handling/replies/<string:reply_id>/document.<any(pdf, docx):fmt>")
@requires(*READERS)
def document(reply_id: str, fmt: str) -> Response:
    """The reply's document (the page link; the same file as the API's)."""
    try:
        return downloads.document_response(reply_id, fmt, actor=request_actor())
    except service.ReplyNotFound:
        abort(404)


@blp.get("/handling")
@requires(*ACTORS)
def mine() -> Response:
    """我的案件: what the signed-in person's unit handles, its state and nearest due date."""
    principal = require_principal()
    items = service.my_items(db_session(), principal=principal)
    return render_page("handling/mine.html", items=items, today=beijing_today(), status_text=states.STATUS_TEXT,
                       mine_only=request.args.get("mine") == "1", user_id=principal.user_id)
