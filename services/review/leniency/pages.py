"""Pages of 首违不罚: the check form (/leniency-checks/new), a check's result (conditions, basis, the
检察建议 button and its documents), and the checks per enterprise and unit (/leniency-checks).

The form loads the API's schema (the claimed item comes as one ``claim`` choice, ``list/item``);
a form with problems is shown again with them (422); a refusal of the rules (403, 409) is the
error page, as for every page.  The rules are the service's, as for the API.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from services.review.identity.units.models import Unit as UnitRow
from services.review.leniency import catalogue, downloads, service
from services.review.leniency.lists import CONDITIONS
from services.review.leniency.models import HARM_TEXT, OUTCOME_TEXT, STRENGTH_TEXT, SUGGESTED, LeniencyCheck
from services.review.leniency.rules import STATUS_TEXT
from services.review.leniency.schemas import CheckCreate, CheckListArgs, PunishmentIn
from services.review.leniency.views import CHECKERS, READERS
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("leniency", __name__)
BOOL_OPTIONS = [("true", "是"), ("false", "否")]
HARM_OPTIONS = list(HARM_TEXT.items())


def unit_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(UnitRow.code, UnitRow.name)).tuples().all())


def _common(session: Session) -> dict[str, Any]:
    return {"outcome_text": OUTCOME_TEXT, "strength_text": STRENGTH_TEXT, "status_text": STATUS_TEXT,
            "harm_text": HARM_TEXT, "units": unit_names(session), "condition_text": CONDITIONS}


def may_draft(session: Session, principal: Principal, check: LeniencyCheck) -> bool:
    """Whether to offer the 检察建议 button (the service checks again)."""
    return (principal.has_role(*CHECKERS) and check.outcome == SUGGESTED and principal.unit_code == check.unit_code
            and service.recommendation_of(session, check.id) is None)


# --- the list --------------------------------------------------------------------------------------

@blp.get("/leniency-checks")
@requires(*READERS)
def list_page() -> Response:
    """首违不罚审查: the checks the caller sees, newest first, by enterprise and unit."""
    session = db_session()
    data, errors = parse_form(CheckListArgs(), request.args)
    rows = service.list_(session, principal=require_principal(), credit_code=data.get("credit_code"),
                         unit=data.get("unit"), limit=data["limit"]) if data is not None else None
    names = unit_names(session)
    return render_page("leniency/list.html", status=200 if rows is not None else 422, rows=rows, errors=errors,
                       values=errors.values, unit_options=sorted(names.items()),
                       can_check=require_principal().has_role(*CHECKERS), **_common(session))


# --- the form --------------------------------------------------------------------------------------

def _claims(session: Session) -> list[tuple[str, str]]:
    """Every item of every loaded version, as ``list/item`` choices (the act date picks the version)."""
    out: dict[str, str] = {}
    for row in catalogue.versions(session):
        for item in row.items:
            flag = "（未经核实）" if not item.get("confirmed", True) else ""
            out[f"{row.code}/{item['code']}"] = f"{row.document_number} 第{item['code']}项：{item['text']}{flag}"
    return list(out.items())


def _form(session: Session, *, errors: FormErrors | None = None, status: int = 200) -> Response:
    return render_page("leniency/new.html", status=status, errors=errors or FormErrors(),
                       values=(errors.values if errors else {}), claim_options=_claims(session),
                       bool_options=BOOL_OPTIONS, harm_options=HARM_OPTIONS, today=beijing_today(),
                       lists=catalogue.versions(session), **_common(session))


@blp.get("/leniency-checks/new")
@requires(*CHECKERS)
def new_page() -> Response:
    """The check form: the enterprise, the act and the claimed item, its date, correction, harm, "first"."""
    return _form(db_session())


def _loaded(form: MultiDict[str, str]) -> tuple[dict[str, Any] | None, FormErrors]:
    """The form as the API's body: ``claim`` (``list/item``) split, one stated punishment as a list."""
    values = MultiDict(form)
    claim = values.get("claim", "")
    if "/" in claim:
        values["list_code"], values["item_code"] = claim.split("/", 1)
    data, errors = parse_form(CheckCreate(), values)
    errors.values["claim"] = claim
    if data is None and ("list_code" in errors.fields or "item_code" in errors.fields):
        errors.add("claim", "请选择所称清单事项")
    stated = {"act_on": values.get("punishment_act_on", ""), "decision_number": values.get("punishment_number", "")}
    if not any(v.strip() for v in stated.values()):
        return data, errors
    punished, problems = parse_form(PunishmentIn(), MultiDict(stated))
    if punished is None:
        for name, texts in problems.fields.items():
            for text in texts:
                errors.add("punishment_act_on" if name == "act_on" else "punishment_number", text)
        return None, errors
    if data is not None:
        data["prior_punishments"] = [punished]
    return data, errors


@blp.post("/leniency-checks/new")
@requires(*CHECKERS)
def new_submit() -> Response:
    """The check submitted: stored, and its result shown (303 to /leniency-checks/<id>)."""
    session = db_session()
    data, errors = _loaded(request.form)
    if data is None:
        return _form(session, errors=errors, status=422)
    try:
        with transaction(session) as tx:
            check = service.create(tx, check_in=data, actor=request_actor())
    except (service.UnknownList, service.BadDate) as exc:
        errors.add("claim" if exc.field == "list_code" else str(exc.details.get("field") or "_form"), exc.message_zh)
        return _form(session, errors=errors, status=422)
    return redirect_to(f"/leniency-checks/{check.id}")


# --- one check -------------------------------------------------------------------------------------

@blp.get("/leniency-checks/<string:check_id>")
@requires(*READERS)
def detail_page(check_id: str) -> Response:
    """A check's result: the outcome, every condition (符合 / 不符合 / 待查明), the basis, the 检察建议."""
    session = db_session()
    principal = require_principal()
    try:
        check = service.get(session, check_id, principal=principal)
    except service.CheckNotFound:
        abort(404)
    return render_page("leniency/detail.html", check=check, listing=service.listing_of(session, check),
                       recommendation=service.recommendation_of(session, check.id),
                       can_draft=may_draft(session, principal, check),
                       others=[c for c in service.list_(session, principal=principal, credit_code=check.credit_code,
                                                        limit=20) if c.id != check.id],
                       **_common(session))


@blp.post("/leniency-checks/<string:check_id>/recommendation")
@requires(*CHECKERS)
def recommendation_submit(check_id: str) -> Response:
    """制作检察建议: the draft of a positive check, then back to the check's page."""
    session = db_session()
    try:
        service.get(session, check_id, principal=require_principal())
    except service.CheckNotFound:
        abort(404)
    addressee = request.form.get("addressee", "").strip() or None
    with transaction(session) as tx:
        service.draft_recommendation(tx, check_id=check_id, addressee=addressee, actor=request_actor())
    return redirect_to(f"/leniency-checks/{check_id}")


@blp.get("/leniency-checks/<string:check_id>/recommendation/<string:fmt>")
@requires(*READERS)
def recommendation_document(check_id: str, fmt: str) -> Response:
    """The 检察建议's PDF or DOCX."""
    if fmt not in downloads.FORMATS:
        abort(404)
    try:
        return downloads.document_response(check_id, fmt, actor=request_actor())
    except service.CheckNotFound:
        abort(404)

