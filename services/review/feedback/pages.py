"""Pages of 考评反馈: the 评价 panel on the case page (with its forms) and 满意率 / 按期率 per unit (/feedback/rates).

The panel is registered on triage's case page (triage/case_panels.py); its forms POST here and
come back to the case page (303).  A form with a mistake is shown again on a page of its own,
with what was typed and what is wrong.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from sqlalchemy.orm import Session

from services.review.feedback import rates, rounds, service
from services.review.feedback.models import DISSATISFIED, METHOD_TEXT, RATING_TEXT
from services.review.feedback.schemas import DecisionCreate, FeedbackCreate, RatesArgs
from services.review.triage import case_panels
from services.review.triage.access import get_item
from services.review.triage.models import TriageItem
from services.review.triage.states import CLOSED, REPLIED, STATUS_TEXT
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("feedback", __name__)
READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")
DECISION_TEXT = {"reopened": "重新办理", "closed": "径行办结"}


def _panel(session: Session, item: TriageItem, principal: Principal) -> dict[str, Any] | None:
    """The 评价 panel: shown once the matter has a result reply (or had one in an earlier round)."""
    feedback = service.of_item(session, item.petition_id)
    history = rounds.of_item(session, item.petition_id)
    if item.status not in (REPLIED, CLOSED) and not feedback and item.round == 1:
        return None
    current = next((f for f in feedback if f.round == item.round), None)
    own = principal.unit_code == item.handling_unit_code
    return {
        "feedback": feedback, "rounds": history, "current": current,
        "can_record": own and principal.has_role(*service.RECORD_ROLES) and item.status == REPLIED and current is None,
        "can_decide": own and principal.has_role(*service.DECIDE_ROLES) and item.status == REPLIED
        and current is not None and current.rating == DISSATISFIED and current.decision is None,
        "rating_text": RATING_TEXT, "method_text": METHOD_TEXT, "decision_text": DECISION_TEXT,
        "status_text": STATUS_TEXT,
    }


case_panels.register(case_panels.CasePanel("feedback", "feedback/panel.html", _panel, order=60))


def _form_page(petition_id: str, form: str, errors: FormErrors, status: int) -> Response:
    item = get_item(db_session(), petition_id, principal=require_principal())
    return render_page("feedback/form.html", status=status, item=item, form=form, errors=errors,
                       values=errors.values, rating_text=RATING_TEXT, method_text=METHOD_TEXT)


@blp.post("/cases/<string:petition_id>/feedback")
@requires(*service.RECORD_ROLES)
def record_feedback(petition_id: str) -> Response:
    """记录评价: the petitioner's 评价 of this round, as staff obtained it."""
    data, errors = parse_form(FeedbackCreate(), request.form)
    if data is None:
        return _form_page(petition_id, "record", errors, 422)
    with transaction(db_session()) as session:
        service.record(session, petition_id=petition_id, actor=request_actor(), **data)
    return redirect_to(f"/cases/{petition_id}#feedback")


def _decide(petition_id: str, form: str) -> Response:
    data, errors = parse_form(DecisionCreate(), request.form)
    if data is None:
        return _form_page(petition_id, form, errors, 422)
    with transaction(db_session()) as session:
        run = service.reopen if form == "reopen" else service.close
        run(session, petition_id=petition_id, reason=data["reason"], actor=request_actor())
    return redirect_to(f"/cases/{petition_id}#feedback")


@blp.post("/cases/<string:petition_id>/feedback/reopen")
@requires(*service.DECIDE_ROLES)
def reopen(petition_id: str) -> Response:
    """重新办理: after a 不满意, a new handling round with a new result-reply clock."""
    return _decide(petition_id, "reopen")


@blp.post("/cases/<string:petition_id>/feedback/close")
@requires(*service.DECIDE_ROLES)
def close(petition_id: str) -> Response:
    """径行办结: after a 不满意, close the matter anyway with the reason."""
    return _decide(petition_id, "close")


@blp.get("/feedback/rates")
@requires(*READERS)
def rates_page() -> Response:
    """满意率与按期率: per unit over a date range (default: this month so far)."""
    today = beijing_today()
    args = request.args.copy()
    for name, default in (("from", today.replace(day=1)), ("to", today)):
        if not args.get(name, "").strip():
            args[name] = default.isoformat()
    data, errors = parse_form(RatesArgs(), args, lists=frozenset({"unit"}))
    rows = None
    if data is not None:
        rows = rates.for_principal(db_session(), require_principal(), since=data["since"], until=data["until"],
                                   requested=data.get("unit"))
    return render_page("feedback/rates.html", status=200 if rows is not None else 422, rows=rows, errors=errors,
                       values=errors.values, today=today)
