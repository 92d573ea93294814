"""Pages of 羁押必要性审查: the queue (/custody-reviews), the application form, and the case page with its
checklist and actions (receive, 初审, decide, extend, suspend for 鉴定, the agency's reply, 纠正意见).

Each action form posts here and answers with a 303 back to the case page; a form with problems is the case page
again with them beside the fields (422); a refusal of the rules (403, 404, 409) is the error page.  The rules
are the service's, as for the API.  Field names differ per form (``decision_reasons``, ``extend_reasons``…) so
that one page never has two inputs of one id.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from flask import Response, abort, request
from werkzeug.datastructures import MultiDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.cases.custody import checklist, service, triggers
from services.review.cases.custody.models import CustodyReview
from services.review.cases.custody.schemas import (
    CorrectionIn,
    Decide,
    Decline,
    Extend,
    ReplyIn,
    Resume,
    ReviewCreate,
    ReviewListArgs,
    Suspend,
)
from services.review.cases.custody.views import (
    ACTORS,
    OPENERS,
    READERS,
    DocumentNotFound,
    document_response,
    listing,
)
from services.review.cases.custody.vocabulary import (
    APPLICANT_TEXT,
    AWAITING_REPLY,
    CORRECTION,
    CORRECTION_REASON_TEXT,
    DECISION_BASIS,
    DECISION_TEXT,
    DOCUMENT_TITLE,
    EXAMINING,
    INITIAL_REVIEW,
    MEASURE_TEXT,
    OUTCOME_TEXT,
    RECEIVED,
    REPLY_TEXT,
    REVIEWING,
    ROLE_TEXT,
    STAGE_TEXT,
    STATE_TEXT,
    TRIGGER_TEXT,
)
from services.review.deadlines.models import DeadlineExtension
from services.review.deadlines.queries import suspensions
from services.review.supervision.pages import unit_names
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("custody", __name__)
PAGE_SIZE = 50


def _common(session: Session) -> dict[str, Any]:
    return {"state_text": STATE_TEXT, "trigger_text": TRIGGER_TEXT, "stage_text": STAGE_TEXT, "role_text": ROLE_TEXT,
            "applicant_text": APPLICANT_TEXT, "decision_text": DECISION_TEXT, "outcome_text": OUTCOME_TEXT,
            "reply_text": REPLY_TEXT, "measure_text": MEASURE_TEXT, "document_title": DOCUMENT_TITLE,
            "correction_reason_text": CORRECTION_REASON_TEXT, "units": unit_names(session), "today": beijing_today()}


# --- the queue ------------------------------------------------------------------------------------------

@blp.get("/custody-reviews")
@requires(*READERS)
def list_page() -> Response:
    """羁押必要性审查: every review the caller sees, nearest due date first."""
    session = db_session()
    data, errors = parse_form(ReviewListArgs(), MultiDict([(k, v) for k, v in request.args.items() if v]))
    rows = listing(session, require_principal(), data, beijing_today()) if data is not None else None
    return render_page("custody/list.html", status=200 if rows is not None else 422, rows=rows, errors=errors,
                       values=errors.values or dict(request.args),
                       state_options=[*STATE_TEXT.items(), ("open", "未办结（全部）")],
                       trigger_options=list(TRIGGER_TEXT.items()), stage_options=list(STAGE_TEXT.items()),
                       unit_options=sorted(unit_names(session).items()), **_common(session))


# --- the application form ----------------------------------------------------------------------------------

def _new_form(errors: FormErrors | None = None, status: int = 200) -> Response:
    session = db_session()
    principal = require_principal()
    units = unit_names(session)
    bucheng = sorted((c, n) for c, n in units.items() if c.startswith("NY-JCY") and c != "NY-JCY-ZB")
    triggers_allowed = [("application", "依申请")]
    if principal.has_role("prosecutor"):
        triggers_allowed += [("ex_officio", "依职权"), ("detention_centre", "看守所建议")]
    # 捕诉 registers for itself; 控申, 案管 and leaders choose the 捕诉 unit.
    default = {"unit_code": principal.unit_code} if principal.has_role("prosecutor") else {}
    return render_page("custody/new.html", status=status, errors=errors or FormErrors(),
                       values=errors.values if errors else default,
                       unit_options=bucheng, trigger_options=triggers_allowed, **_common(session))


@blp.get("/custody-reviews/new")
@requires(*OPENERS)
def new() -> Response:
    """The form of a new review: an application (控申, 案管 or 捕诉 register it), ex officio, or the 看守所's."""
    return _new_form()


MEASURE_FIELDS = ("detention_on", "arrest_on", "arrest_ends_on")


def _measures(form: Mapping[str, str], errors: FormErrors) -> list[dict[str, Any]]:
    """The custody dates of the form (拘留, 逮捕 and its term's end) as the schema's rows."""
    rows: list[dict[str, Any]] = []
    days: dict[str, _dt.date | None] = {}
    for name in MEASURE_FIELDS:
        text = (form.get(name) or "").strip()
        try:
            days[name] = _dt.date.fromisoformat(text) if text else None
        except ValueError:
            errors.add(name, "请输入有效的日期（年-月-日）")
    if days.get("detention_on"):
        rows.append({"kind": "detention", "started_on": days["detention_on"]})
    if days.get("arrest_on"):
        rows.append({"kind": "arrest", "started_on": days["arrest_on"], "ends_on": days.get("arrest_ends_on")})
    return rows


@blp.post("/custody-reviews/new")
@requires(*OPENERS)
def create() -> Response:
    """Register the review; 捕诉 goes to its case page, 控申 sees the confirmation (it does not read 捕诉's cases)."""
    session = db_session()
    scalars = MultiDict([(k, v) for k, v in request.form.items(multi=True)
                         if k not in MEASURE_FIELDS and k != "production_stopped"])
    scalars["production_stopped"] = "true" if request.form.get("production_stopped") else "false"
    data, errors = parse_form(ReviewCreate(), scalars)
    measure_errors = FormErrors()
    measures = _measures(request.form, measure_errors)
    if data is None or measure_errors:
        shown = errors if data is None else FormErrors()
        for name, texts in measure_errors.fields.items():
            shown.fields[name] = texts
        shown.values = dict(request.form)
        return _new_form(shown, 422)
    data["measures"] = measures
    with transaction(session) as tx:
        review = service.open_review(tx, data=data, actor=request_actor())
        review_id, number, unit, state = review.id, review.case_number, review.unit_code, review.state
    principal = require_principal()
    if principal.has_role(*READERS):
        return redirect_to(f"/custody-reviews/{review_id}")
    return render_page("custody/registered.html", status=201, number=number, unit=unit, state=state,
                       **_common(session))


# --- the case page -------------------------------------------------------------------------------------------

def _review_or_404(session: Session, review_id: str, principal: Principal) -> CustodyReview:
    try:
        review = service.get(session, review_id, principal=principal)
    except service.ReviewNotFound:
        abort(404)
    if not principal.has_role(*READERS):
        abort(404)  # 控申 registered it; 捕诉's case page is not theirs to read
    return review


def _case_page(review: CustodyReview, *, errors: FormErrors | None = None, status: int = 200,
               form: str | None = None) -> Response:
    session = db_session()
    principal = require_principal()
    acts = principal.has_role(*ACTORS) and principal.unit_code == review.unit_code
    grounds = service.grounds_of(session, review.id)
    decision_clock = next((c for c in service.clocks_of(session, review.id) if c.id == review.decision_deadline_id), None)
    paused = bool(decision_clock and any(s.resumed_on is None for s in suspensions(session, decision_clock.id)))
    extended = bool(decision_clock and session.scalar(
        select(DeadlineExtension.id).where(DeadlineExtension.deadline_id == decision_clock.id).limit(1)))
    return render_page(
        "custody/case.html", status=status, r=review, errors=errors or FormErrors(), form=form,
        values=errors.values if errors else {},
        measures=service.measures_of(session, review.id), grounds=grounds, checklist=checklist.grouped(),
        group_text=checklist.GROUP_TEXT, clocks=service.clocks_of(session, review.id),
        documents=service.documents_of(session, review.id), correction=service.correction_of(session, review.id),
        situations=triggers.situation_text(), decision_basis=DECISION_BASIS,
        decision_options=list(DECISION_TEXT.items()), reply_options=[("accepted", "采纳"), ("refused", "不予采纳")],
        can_receive=acts and review.state == RECEIVED, can_initial=acts and review.state == INITIAL_REVIEW,
        can_grounds=acts and review.state in EXAMINING, can_decide=acts and review.state == REVIEWING,
        can_extend=acts and review.state == REVIEWING and not extended and not paused,
        can_suspend=acts and review.state == REVIEWING and not paused, can_resume=acts and paused,
        can_reply=acts and review.state == AWAITING_REPLY, can_correct=acts and review.state == CORRECTION,
        **_common(session))


@blp.get("/custody-reviews/<string:review_id>")
@requires(*READERS)
def case_page(review_id: str) -> Response:
    """One review: the person, the case, the enterprise, custody dates, the checklist, the clocks and documents."""
    return _case_page(_review_or_404(db_session(), review_id, require_principal()))


def _act(review_id: str, schema: Any, mapping: Mapping[str, str], form_name: str, step: Any,
         **fixed: Any) -> Response:
    """One action form: its fields renamed to the schema's, checked, then the service's step; 303 back."""
    session = db_session()
    review = _review_or_404(session, review_id, require_principal())
    raw = MultiDict([(target, request.form.get(source, "").strip()) for source, target in mapping.items()
                     if request.form.get(source, "").strip()])
    data: dict[str, Any] | None = {}
    if schema is not None:
        data, errors = parse_form(schema, raw)
        if data is None:
            back = {source: request.form.get(source, "") for source in mapping}
            shown = FormErrors(fields={next((s for s, t in mapping.items() if t == k), k): v
                                       for k, v in errors.fields.items()}, values=back)
            return _case_page(review, errors=shown, status=422, form=form_name)
    with transaction(session) as tx:
        step(tx, review_id=review_id, actor=request_actor(), **(data or {}), **fixed)
    return redirect_to(f"/custody-reviews/{review_id}#{form_name}")


@blp.post("/custody-reviews/<string:review_id>/receive")
@requires(*ACTORS)
def receive(review_id: str) -> Response:
    """捕诉 receives the application."""
    return _act(review_id, None, {}, "h-facts", service.receive)


@blp.post("/custody-reviews/<string:review_id>/file")
@requires(*ACTORS)
def file(review_id: str) -> Response:
    """初审: 立案."""
    return _act(review_id, None, {}, "h-facts", service.file)


@blp.post("/custody-reviews/<string:review_id>/decline")
@requires(*ACTORS)
def decline(review_id: str) -> Response:
    """初审: 不予立案."""
    return _act(review_id, Decline(), {"decline_reasons": "reasons"}, "decline", service.decline)


@blp.post("/custody-reviews/<string:review_id>/grounds")
@requires(*ACTORS)
def grounds(review_id: str) -> Response:
    """The checklist: every item's tick and evidence, as the form shows them."""
    session = db_session()
    review = _review_or_404(session, review_id, require_principal())
    ticks = []
    errors = FormErrors(values=dict(request.form))
    for item in checklist.items():
        ticked = request.form.get(f"tick-{item.code}") == "1"
        evidence = request.form.get(f"evidence-{item.code}", "").strip()
        if ticked and not evidence:
            errors.add(f"evidence-{item.code}", "勾选的审查要素须写明证据")
        ticks.append({"code": item.code, "ticked": ticked, "evidence": evidence or None})
    if errors:
        return _case_page(review, errors=errors, status=422, form="grounds")
    with transaction(session) as tx:
        service.set_grounds(tx, review_id=review_id, ticks=ticks, actor=request_actor())
    return redirect_to(f"/custody-reviews/{review_id}#grounds")


@blp.post("/custody-reviews/<string:review_id>/extend")
@requires(*ACTORS)
def extend(review_id: str) -> Response:
    """Extend the decision's clock with the approver recorded."""
    return _act(review_id, Extend(), {"approved_by": "approved_by", "extend_reasons": "reasons"}, "extend",
                service.extend)


@blp.post("/custody-reviews/<string:review_id>/suspend")
@requires(*ACTORS)
def suspend(review_id: str) -> Response:
    """Pause the decision's clock for a medical assessment."""
    return _act(review_id, Suspend(), {"suspend_on": "start_on", "suspend_basis": "basis"}, "suspend",
                service.suspend)


@blp.post("/custody-reviews/<string:review_id>/resume")
@requires(*ACTORS)
def resume(review_id: str) -> Response:
    """The assessment ended."""
    return _act(review_id, Resume(), {"resumed_on": "resumed_on"}, "suspend", service.resume)


@blp.post("/custody-reviews/<string:review_id>/decision")
@requires(*ACTORS)
def decide(review_id: str) -> Response:
    """审查终结: the decision with its basis."""
    return _act(review_id, Decide(), {"decision": "decision", "decision_reasons": "reasons",
                                      "decision_basis": "basis"}, "decide", service.decide)


@blp.post("/custody-reviews/<string:review_id>/reply")
@requires(*ACTORS)
def reply(review_id: str) -> Response:
    """The other organ's reply to the 建议."""
    return _act(review_id, ReplyIn(), {"reply": "reply", "reply_on": "reply_on", "reply_text": "text"}, "reply",
                service.record_reply)


@blp.post("/custody-reviews/<string:review_id>/correction")
@requires(*ACTORS)
def correction(review_id: str) -> Response:
    """提出纠正意见."""
    return _act(review_id, CorrectionIn(), {"correction_text": "text"}, "correction", service.issue_correction)


@blp.get("/custody-reviews/<string:review_id>/documents/<string:document_id>.<string:fmt>")
@requires(*READERS)
def document(review_id: str, document_id: str, fmt: str) -> Response:
    """A document of the review (PDF inline, DOCX as a download)."""
    session = db_session()
    _review_or_404(session, review_id, require_principal())
    try:
        return document_response(review_id, document_id, fmt, actor=request_actor())
    except DocumentNotFound:
        abort(404)
