"""Pages of 跟踪督办: the 督办 list (/supervision), one 督办, and the 督办 panel of the case page.

The forms post here and answer with a 303 back to where they were (the case page or the 督办's
page); a form with problems is shown again with them (422); a refusal of the rules (403, 409) is
the error page, as for every page.  The rules are the service's (service.py), as for the API.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.identity.units.models import Unit as UnitRow
from services.review.supervision import listing, service
from services.review.supervision.models import (
    AWAITING_REPORT,
    KIND_TEXT,
    REPORTED,
    STATE_TEXT,
    STATES,
    Supervision,
)
from services.review.supervision.schemas import (
    PERIOD_UNIT_TEXT,
    ReportCreate,
    ReportReject,
    SupervisionListArgs,
    SupervisionOpen,
)
from services.review.supervision.views import READERS, REPORTERS, SUPERVISORS
from services.review.triage import case_panels
from services.review.triage.access import ItemNotFound, get_item, supervises
from services.review.triage.models import TriageItem
from services.review.triage.states import STATUS_TEXT
from shared.auth import Principal, require_principal, requires
from shared.calendar import Unit, beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page, safe_next

blp = page_blueprint("supervision", __name__)
PAGE_SIZE = 50


def unit_names(session: Session) -> dict[str, str]:
    """Unit code → name, for the pages (the codes are what is stored)."""
    return dict(session.execute(select(UnitRow.code, UnitRow.name)).tuples().all())


def _common(session: Session) -> dict[str, Any]:
    return {"state_text": STATE_TEXT, "kind_text": KIND_TEXT, "status_text": STATUS_TEXT,
            "unit_text": PERIOD_UNIT_TEXT, "units": unit_names(session), "today": beijing_today()}


# --- what a person may do with a 督办 (the service checks again; these only choose the forms) -----

def may_open(principal: Principal, item: TriageItem) -> bool:
    return (principal.has_role(*SUPERVISORS) and item.status in service.SUPERVISABLE
            and supervises(principal, service.supervised_unit_of(item)))


def may_report(principal: Principal, supervision: Supervision) -> bool:
    return (principal.has_role(*REPORTERS) and supervision.state in AWAITING_REPORT
            and principal.unit_code == supervision.supervised_unit_code)


def may_decide(principal: Principal, supervision: Supervision) -> bool:
    return (principal.has_role(*SUPERVISORS) and supervision.state == REPORTED
            and principal.unit_code == supervision.supervising_unit_code)


# --- the 督办 list -------------------------------------------------------------------------------

@blp.get("/supervision")
@requires(*READERS)
def list_page() -> Response:
    """督办: every 督办 the caller sees, nearest due date first, with its state and clock."""
    session = db_session()
    data, errors = parse_form(SupervisionListArgs(), request.args)
    today = beijing_today()
    result = None
    if data is not None:
        try:
            result = listing.page(session, principal=require_principal(), filters=listing.filters_from(data),
                                  today=today, limit=PAGE_SIZE, after=data.get("after"))
        except listing.BadCursor:
            errors.add("after", "翻页参数无效，请回到第一页")
    kept = {k: v for k, v in errors.values.items() if k != "after"}
    next_url = f"/supervision?{urlencode({**kept, 'after': result.next_cursor})}" if result and result.next_cursor else None
    first_url = "/supervision" + (f"?{urlencode(kept)}" if kept else "") if errors.values.get("after") else None
    names = unit_names(session)
    return render_page(
        "supervision/list.html", status=200 if result is not None else 422, page=result, errors=errors, values=kept,
        next_url=next_url, first_url=first_url,
        state_options=[(s, STATE_TEXT[s]) for s in STATES] + [(listing.OPEN_STATES, "未办结（全部）")],
        kind_options=list(KIND_TEXT.items()), unit_options=sorted(names.items()), **_common(session),
    )


# --- one 督办 -----------------------------------------------------------------------------------

def _supervision_or_404(session: Session, supervision_id: str, principal: Principal) -> Supervision:
    try:
        return service.get(session, supervision_id, principal=principal)
    except service.SupervisionNotFound:
        abort(404)


def _detail_page(supervision: Supervision, *, errors: FormErrors | None = None, status: int = 200,
                 form: str | None = None) -> Response:
    session = db_session()
    principal = require_principal()
    item = session.scalars(select(TriageItem).where(TriageItem.petition_id == supervision.petition_id)).one()
    return render_page(
        "supervision/detail.html", status=status, s=supervision, item=item,
        reports=service.reports_of(session, supervision.id), errors=errors or FormErrors(), form=form,
        can_report=may_report(principal, supervision), can_decide=may_decide(principal, supervision),
        **_common(session),
    )


@blp.get("/supervision/<string:supervision_id>")
@requires(*READERS)
def detail_page(supervision_id: str) -> Response:
    """One 督办: its instructions, clock, reports and decisions, and the forms the caller may use."""
    return _detail_page(_supervision_or_404(db_session(), supervision_id, require_principal()))


def _back(default: str) -> str:
    return safe_next(request.form.get("next"), default)


@blp.post("/cases/<string:petition_id>/supervision")
@requires(*SUPERVISORS)
def open_submit(petition_id: str) -> Response:
    """挂牌督办 from the case page's panel."""
    session = db_session()
    principal = require_principal()
    try:
        item = get_item(session, petition_id, principal=principal)
    except ItemNotFound:
        abort(404)
    data, errors = parse_form(SupervisionOpen(), request.form)
    if data is None:
        return render_page("supervision/open.html", status=422, item=item, errors=errors, values=errors.values,
                           unit_options=list(PERIOD_UNIT_TEXT.items()), **_common(session))
    with transaction(session) as tx:
        service.open_(tx, petition_id=petition_id, amount=data["amount"], unit=Unit(data["unit"]),
                      instructions=data["instructions"], actor=request_actor())
    return redirect_to(_back(f"/cases/{petition_id}"))


@blp.post("/supervision/<string:supervision_id>/report")
@requires(*REPORTERS)
def report_submit(supervision_id: str) -> Response:
    """The supervised unit's report, from the panel or the 督办's page."""
    session = db_session()
    supervision = _supervision_or_404(session, supervision_id, require_principal())
    data, errors = parse_form(ReportCreate(), request.form)
    if data is None:
        return _detail_page(supervision, errors=errors, status=422, form="report")
    with transaction(session) as tx:
        service.report(tx, supervision_id=supervision_id, text=data["text"], actor=request_actor())
    return redirect_to(_back(f"/supervision/{supervision_id}"))


@blp.post("/supervision/<string:supervision_id>/accept")
@requires(*SUPERVISORS)
def accept_submit(supervision_id: str) -> Response:
    """The supervising unit accepts the report: the 督办 closes."""
    session = db_session()
    _supervision_or_404(session, supervision_id, require_principal())
    with transaction(session) as tx:
        service.accept(tx, supervision_id=supervision_id, actor=request_actor())
    return redirect_to(_back(f"/supervision/{supervision_id}"))


@blp.post("/supervision/<string:supervision_id>/reject")
@requires(*SUPERVISORS)
def reject_submit(supervision_id: str) -> Response:
    """The supervising unit rejects the report with reasons."""
    session = db_session()
    supervision = _supervision_or_404(session, supervision_id, require_principal())
    data, errors = parse_form(ReportReject(), request.form)
    if data is None:
        return _detail_page(supervision, errors=errors, status=422, form="reject")
    with transaction(session) as tx:
        service.reject(tx, supervision_id=supervision_id, reasons=data["reasons"], actor=request_actor())
    return redirect_to(_back(f"/supervision/{supervision_id}"))


# --- the case page's panel -----------------------------------------------------------------------

def panel_context(session: Session, item: TriageItem, principal: Principal) -> dict[str, Any] | None:
    """The item's 督办 with their reports and the forms the person may use; None: nothing to show."""
    shown = service.of_item(session, item.petition_id, principal=principal)
    can_open = may_open(principal, item)
    if not shown and not can_open:
        return None
    return {
        "supervisions": [{"s": s, "reports": service.reports_of(session, s.id), "can_report": may_report(principal, s),
                          "can_decide": may_decide(principal, s)} for s in shown],
        "can_open": can_open, "period_options": list(PERIOD_UNIT_TEXT.items()), **_common(session),
    }


case_panels.register(case_panels.CasePanel("supervision", "supervision/panel.html", panel_context, order=40))
