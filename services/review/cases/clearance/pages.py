"""Pages of 挂案清理: the 挂案 queue (/hanging-cases), the campaigns and one campaign's burn-down, the
clearance panel of hanging's case page, and the panel's forms (actions, replies, outcomes, property).

The forms post here and answer with a 303 back to the case page; a form with problems is shown
again with them (422); a refusal of the rules (403, 409) is the error page, as for every page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, request
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.cases.clearance import campaigns, chart, downloads, presenting, queue, service
from services.review.cases.clearance.access import ACTORS, CAMPAIGNERS, READERS, CaseNotFound, get_case, may_act
from services.review.cases.clearance.models import ACTION_KINDS, ACTION_TEXT, RULE_TEXT, THRESHOLD_RULES
from services.review.cases.clearance.schemas import (
    ClearanceActionCreate,
    ClearanceCampaignCreate,
    ClearanceOutcomeCreate,
    ClearancePropertyReturn,
    ClearanceQueueArgs,
    ClearanceReplyCreate,
)
from services.review.cases.hanging import panels
from services.review.cases.hanging.models import OUTCOME_TEXT, PROPERTY_TEXT, STATUS_TEXT, HangingCase
from services.review.identity.units.models import Unit as UnitRow
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import NotFound
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("clearance", __name__)
PAGE_SIZE = 50


def unit_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(UnitRow.code, UnitRow.name)).tuples().all())


def _common(session: Session) -> dict[str, Any]:
    return {"rule_text": RULE_TEXT, "status_text": STATUS_TEXT, "outcome_text": OUTCOME_TEXT,
            "action_text": ACTION_TEXT, "property_text": PROPERTY_TEXT, "units": unit_names(session),
            "today": beijing_today()}


# --- the 挂案 queue -------------------------------------------------------------------------------

@blp.get("/hanging-cases")
@requires(*READERS)
def queue_page() -> Response:
    """挂案: the cases the caller sees, oldest first (with a rule: most overdue first), with their flags."""
    session = db_session()
    principal = require_principal()
    data, errors = parse_form(ClearanceQueueArgs(), request.args)
    today = beijing_today()
    result = None
    if data is not None:
        try:
            from services.review.cases.clearance.views import filters_from
            result = queue.page(session, principal=principal, filters=filters_from(data), today=today,
                                limit=PAGE_SIZE, after=data.get("after"))
        except queue.BadCursor:
            errors.add("after", "翻页参数无效，请回到第一页")
    kept = {k: v for k, v in errors.values.items() if k not in ("after", "limit") and v}
    next_url = (f"/hanging-cases?{urlencode({**kept, 'after': result.next_cursor})}"
                if result and result.next_cursor else None)
    first_url = "/hanging-cases" + (f"?{urlencode(kept)}" if kept else "") if errors.values.get("after") else None
    names = unit_names(session)
    counts = queue.counts_by_rule(session, principal=principal)
    return render_page(
        "clearance/queue.html", status=200 if result is not None else 422, page=result, errors=errors, values=kept,
        next_url=next_url, first_url=first_url,
        unit_options=sorted((c, n) for c, n in names.items() if principal.visible_units is None
                            or c in principal.visible_units),
        status_options=list(STATUS_TEXT.items()),
        rule_options=[(r, f"{RULE_TEXT[r]}（{counts.get(r, 0)}）") for r in THRESHOLD_RULES],
        can_campaign=principal.has_role(*CAMPAIGNERS), **_common(session))


# --- campaigns ------------------------------------------------------------------------------------

@blp.get("/hanging-cases/campaigns")
@requires(*READERS)
def campaigns_page() -> Response:
    """专项清理: the campaigns the caller sees, and (for those who may) the form to set one up."""
    session = db_session()
    principal = require_principal()
    return _campaigns(session, principal, FormErrors(), {}, 200)


def _campaigns(session: Session, principal: Principal, errors: FormErrors, values: dict[str, Any],
               status: int) -> Response:
    names = unit_names(session)
    rows = [(c, campaigns.units_of(session, c.id)) for c in campaigns.list_(session, principal=principal)]
    return render_page("clearance/campaigns.html", status=status, rows=rows, errors=errors, values=values,
                       can_create=principal.has_role(*CAMPAIGNERS),
                       unit_options=sorted((c, n) for c, n in names.items() if principal.visible_units is None
                                           or c in principal.visible_units), **_common(session))


@blp.post("/hanging-cases/campaigns")
@requires(*CAMPAIGNERS)
def campaign_submit() -> Response:
    session = db_session()
    principal = require_principal()
    data, errors = parse_form(ClearanceCampaignCreate(), request.form, lists=frozenset({"units"}))
    if data is None:
        return _campaigns(session, principal, errors, errors.values, 422)
    with transaction(session) as tx:
        created = campaigns.create(tx, name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                                   units=data["units"], actor=request_actor())
        campaign_id = created.id
    return redirect_to(f"/hanging-cases/campaigns/{campaign_id}")


@blp.get("/hanging-cases/campaigns/<string:campaign_id>")
@requires(*READERS)
def campaign_page(campaign_id: str) -> Response:
    """One campaign: the burn-down chart (SVG), per unit, by outcome, and the cases past each threshold."""
    session = db_session()
    principal = require_principal()
    try:
        campaign = campaigns.get(session, campaign_id, principal=principal)
    except campaigns.CampaignNotFound:
        abort(404)
    today = beijing_today()
    burn = campaigns.burn_down(session, campaign, today=today, principal=principal)
    figure = Markup(chart.svg(burn.total, title=f"{campaign.name} 清理进度"))  # noqa: S704 (escaped in chart.svg)
    return render_page("clearance/campaign.html", c=campaign, burn=burn, figure=figure, summary=burn.summary(),
                       **_common(session))


# --- the case page's panel and its forms -------------------------------------------------------------

def panel_context(session: Session, case: HangingCase, principal: Principal) -> dict[str, Any] | None:
    """The case's flags with their rules, its actions and documents, and the forms the person may use."""
    flags = service.flags_of(session, case.id)
    actions = service.actions_of(session, case.id)
    acts = may_act(principal, case)
    return {
        "flags": [presenting.flag_view(session, f) for f in flags],
        "actions": [presenting.action_view(a, api=False) for a in actions],
        "available": service.available(flags, actions, case) if acts else {},
        "can_act": acts and case.status == "open", "kinds": ACTION_KINDS,
        "outcome_options": list(OUTCOME_TEXT.items()),
        "property": [p for p in case.property_items] if acts else [], **_common(session),
    }


panels.register(panels.CasePanel("clearance", "clearance/panel.html", panel_context, order=20))


def _case_or_404(session: Session, case_id: str) -> HangingCase:
    try:
        return get_case(session, case_id, principal=require_principal())
    except CaseNotFound:
        abort(404)


def _form_error(case: HangingCase, errors: FormErrors) -> Response:
    return render_page("clearance/form_error.html", status=422, case=case, errors=errors,
                       **_common(db_session()))


@blp.post("/hanging-cases/<string:case_id>/clearance/actions")
@requires(*ACTORS)
def action_submit(case_id: str) -> Response:
    """催办函 / 要求说明理由 / 通知撤销案件 / 挂牌督办 from the panel."""
    session = db_session()
    case = _case_or_404(session, case_id)
    data, errors = parse_form(ClearanceActionCreate(), request.form)
    if data is None:
        return _form_error(case, errors)
    with transaction(session) as tx:
        service.take_action(tx, case_id=case_id, kind=data["kind"], text=data["text"], actor=request_actor())
    return redirect_to(f"/hanging-cases/{case_id}")


@blp.post("/hanging-cases/clearance/actions/<string:action_id>/reply")
@requires(*ACTORS)
def reply_submit(action_id: str) -> Response:
    session = db_session()
    try:
        action, case = service.get_action(session, action_id, principal=require_principal())
    except NotFound:
        abort(404)
    data, errors = parse_form(ClearanceReplyCreate(), request.form)
    if data is None:
        return _form_error(case, errors)
    with transaction(session) as tx:
        service.record_reply(tx, action_id=action_id, text=data["text"], replied_on=data.get("replied_on"),
                             actor=request_actor())
    return redirect_to(f"/hanging-cases/{case.id}")


@blp.post("/hanging-cases/<string:case_id>/clearance/outcome")
@requires(*ACTORS)
def outcome_submit(case_id: str) -> Response:
    session = db_session()
    case = _case_or_404(session, case_id)
    data, errors = parse_form(ClearanceOutcomeCreate(), request.form)
    if data is None:
        return _form_error(case, errors)
    with transaction(session) as tx:
        service.record_outcome(tx, case_id=case_id, outcome=data["outcome"], outcome_on=data["outcome_on"],
                               continued_until=data.get("continued_until"), note=data.get("note"),
                               actor=request_actor())
    return redirect_to(f"/hanging-cases/{case_id}")


@blp.post("/hanging-cases/<string:case_id>/clearance/property/<string:property_id>/return")
@requires(*ACTORS)
def property_submit(case_id: str, property_id: str) -> Response:
    session = db_session()
    case = _case_or_404(session, case_id)
    data, errors = parse_form(ClearancePropertyReturn(), request.form)
    if data is None:
        return _form_error(case, errors)
    with transaction(session) as tx:
        service.return_property(tx, case_id=case_id, property_id=property_id, returned_on=data["returned_on"],
                                actor=request_actor())
    return redirect_to(f"/hanging-cases/{case_id}")


@blp.get("/hanging-cases/clearance/actions/<string:action_id>/document.<any(pdf, docx):fmt>")
@requires(*READERS)
def document_page(action_id: str, fmt: str) -> Response:
    """The action's document (PDF inline, DOCX download), for the panel's links."""
    try:
        return downloads.response(action_id, fmt, actor=request_actor())
    except NotFound:
        abort(404)
