"""Pages of flagged 涉企 court cases for judges and court clerks: the list, the flag form, the case.

Every form is read with the API's own schema (forms.py) and every rule is the service's: a refusal
is shown beside the field it names (422; a conflict with what is stored, 409), nothing stored.
After a step the page answers 303 to the case.  The 查询码 exist only as hashes, so a code is shown
on the one answer that issues it (the flag, a re-issue: 201, no-store) and never again.  The
templates get plain views (`_case_view`), never the rows, whose attributes hold decrypted numbers:
a natural person's name and ID number are masked as the API masks them (`CourtPartyRead`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, request

from services.intake import config
from services.intake.court_cases import basis, fee_relief, forms, service
from services.intake.court_cases.case_numbers import CASE_TYPES
from services.intake.court_cases.models import ENTERPRISE, FILED, FLAGGED, NATURAL, CourtCase
from services.intake.court_cases.schemas import (
    ENTERPRISE_SIZES,
    OWNERSHIPS,
    PARTY_ROLES,
    CourtCaseListArgs,
    CourtPartyRead,
    FeeReliefDecisionIn,
    PartyQueryCodeReissueIn,
)
from services.intake.court_cases.timeline import TimelineStep, public_timeline
from services.intake.credentials import codes
from services.intake.petitions import lines, receipt, receiving_units
from shared.auth import require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("court_cases", __name__)
PAGE_SIZE = 50
STATUS_TEXT = {FLAGGED: "已标记，待立案", FILED: "已立案"}
KIND_TEXT = {NATURAL: "自然人", ENTERPRISE: "企业"}
# What a 303 back to the case page says happened (?done=…): a fixed word, never text from the request.
DONE_TEXT = {
    "green": "已记录立案绿色通道的决定。", "filing": "已记录立案。", "application": "已登记司法救助申请。",
    "decision": "已记录司法救助申请的决定。",
}
_REFUSED = (ErrorKind.INVALID, ErrorKind.CONFLICT)


def _check_id(court_case_id: str) -> None:
    if len(court_case_id) > 36:  # an id is a uuid; anything longer is no case
        abort(404)


def _status_of(exc: DomainError) -> int:
    return 409 if exc.kind is ErrorKind.CONFLICT else 422


# --- views of a case for the templates ---------------------------------------------------------


def _party_views(court_case: CourtCase) -> list[dict[str, Any]]:
    # The API's read schema masks a person's name and ID number; an enterprise's name is public.
    return [{**CourtPartyRead().dump(p), "kind_text": KIND_TEXT.get(p.kind, p.kind),
             "is_enterprise": p.kind == ENTERPRISE} for p in court_case.parties]


def _green_view(court_case: CourtCase) -> dict[str, Any] | None:
    green = court_case.green_channel
    if green is None:
        return None
    limit = lines.period(green.limit_amount, green.limit_unit or "") if green.limit_amount else None
    return {"granted": green.granted, "reasons": green.reasons, "decided_on": green.decided_on,
            "decided_by": green.decided_by, "due_on": green.due_on, "due_provisional": green.due_provisional,
            "met": green.met, "limit": limit}


def _applications(court_case: CourtCase, parties: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in court_case.fee_relief_applications:
        situation = basis.BY_CODE[a.situation_code]
        out.append({
            "id": a.id, "party": parties[a.party_id], "kind": a.kind, "situation": situation,
            "proof": a.proof, "stage": a.stage, "applied_on": a.applied_on, "requested_percent": a.requested_percent,
            "decided": a.decided, "granted": a.granted, "granted_percent": a.granted_percent, "reasons": a.reasons,
            "decided_on": a.decided_on, "decided_by": a.decided_by, "recorded_by": a.recorded_by,
            "state_in_judgment": bool(a.granted) and a.kind in (basis.REDUCTION, basis.EXEMPTION),
        })
    return out


def _case_view(court_case: CourtCase) -> dict[str, Any]:
    parties = _party_views(court_case)
    by_id = {p["id"]: p for p in parties}
    return {
        "id": court_case.id, "case_number": court_case.case_number, "case_type": court_case.case_type,
        "type_code": court_case.type_code, "reason": court_case.reason, "status": court_case.status,
        "status_text": STATUS_TEXT.get(court_case.status, court_case.status),
        "unit": receiving_units.name_of(court_case.unit_code, line="12368"), "unit_code": court_case.unit_code,
        "flagged_by": court_case.flagged_by, "flagged_at": court_case.flagged_at, "flagged_on": court_case.flagged_on,
        "filed_on": court_case.filed_on, "filed_by": court_case.filed_by, "filed": court_case.filed_on is not None,
        "parties": parties, "green": _green_view(court_case), "applications": _applications(court_case, by_id),
    }


def _public_timelines(view: dict[str, Any]) -> list[tuple[dict[str, Any], list[TimelineStep]]]:
    """What each enterprise party sees with its 查询码: the common steps and its own fee-relief steps only."""
    session = db_session()
    return [(p, public_timeline(session, view["id"], party_id=p["id"])) for p in view["parties"] if p["is_enterprise"]]


def _situation_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    article = {basis.EXEMPTION: "第四十五条", basis.REDUCTION: "第四十六条", basis.DEFERRAL: "第四十七条"}
    return [(f"{kind}（{basis.INSTRUMENT}{article[kind]}）",
             [(s.code, f"{s.code} {s.text}") for s in basis.situations_of(kind)]) for kind in basis.KINDS]


def _case_page(court_case_id: str, *, errors: FormErrors | None = None, status: int = 200,
               issued: dict[str, str] | None = None) -> Response:
    """The case page; `issued` (party id → 查询码) only on the answer that issued the codes."""
    principal = require_principal()
    court_case = service.get_or_raise(db_session(), court_case_id, principal=principal)
    view = _case_view(court_case)
    settings = config.current()
    rule = service.GreenChannelRule.from_settings(settings)
    codes_shown = [(p, codes.display(issued[p["id"]])) for p in view["parties"] if issued and p["id"] in issued]
    return render_page(
        "court_cases/detail.html", status=status, c=view, errors=errors or FormErrors(),
        can_act=principal.has_role(*service.FLAG_ROLES), done=DONE_TEXT.get(request.args.get("done", "")),
        issued=codes_shown, status_url=receipt.status_url(settings.public_url, request.host_url),
        green_rule=lines.period(rule.amount, rule.unit.value), today=beijing_today(),
        timelines=_public_timelines(view), kind_options=[(k, k) for k in basis.KINDS],
        stage_options=[(s, s) for s in basis.STAGES], party_options=[(p["id"], f"{p['role']} {p['name']}") for p in view["parties"]],
        situation_groups=_situation_groups(), articles=basis.ARTICLES,
        minimum_percent=basis.MINIMUM_REDUCTION_PERCENT, prefixes={
            "green": forms.GREEN_CHANNEL[0], "filing": forms.FILING[0], "application": forms.APPLICATION[0]},
        decision_prefix=forms.decision_prefix, reissue_prefix=forms.reissue_prefix,
    )


# --- the list ----------------------------------------------------------------------------------


@blp.get("/court-cases")
@requires(*service.READ_ROLES)
def list_page() -> Response:
    """涉企案件: the flagged cases of the user's units (the API's scoped list), newest first, with filters."""
    data, errors = parse_form(CourtCaseListArgs(), request.args)
    errors = forms.chinese(errors, {"status": "状态", "case_type": "案件类型"})
    rows: list[dict[str, Any]] = []
    next_url = None
    if data is not None:
        data["limit"] = PAGE_SIZE
        found = service.list_(db_session(), **data, principal=require_principal())
        rows = [_list_row(c) for c in found]
        if len(found) == PAGE_SIZE:
            kept = {k: v for k, v in errors.values.items() if k in ("status", "case_type")}
            next_url = "/court-cases?" + urlencode({**kept, "offset": data["offset"] + PAGE_SIZE})
    return render_page(
        "court_cases/list.html", status=200 if data is not None else 422, rows=rows, errors=errors,
        values=errors.values, next_url=next_url, today=beijing_today(),
        can_flag=require_principal().has_role(*service.FLAG_ROLES),
        status_options=list(STATUS_TEXT.items()), type_options=[(t, t) for t in CASE_TYPES],
    )


def _list_row(court_case: CourtCase) -> dict[str, Any]:
    pending = [a for a in court_case.fee_relief_applications if not a.decided]
    return {
        "id": court_case.id, "case_number": court_case.case_number, "case_type": court_case.case_type,
        "status_text": STATUS_TEXT.get(court_case.status, court_case.status), "flagged_on": court_case.flagged_on,
        "filed_on": court_case.filed_on, "green": _green_view(court_case),
        "enterprises": [p.name for p in court_case.parties if p.kind == ENTERPRISE],
        "pending": [a.kind for a in pending],
    }


# --- the flag ----------------------------------------------------------------------------------


def _flag_form(errors: FormErrors, *, status: int = 200, existing: str | None = None) -> Response:
    return render_page(
        "court_cases/new.html", status=status, errors=errors, values=errors.values, rows=range(forms.PARTY_ROWS),
        existing=existing,
        type_options=[(t, t) for t in CASE_TYPES], role_options=[(r, r) for r in PARTY_ROLES],
        kind_options=list(KIND_TEXT.items()), size_options=[(s, f"{s}企业") for s in ENTERPRISE_SIZES],
        ownership_options=[(o, o) for o in OWNERSHIPS], max_enterprises=service.MAX_ENTERPRISE_PARTIES,
    )


@blp.get("/court-cases/new")
@requires(*service.FLAG_ROLES)
def new() -> Response:
    """标记涉企案件: the flag form (the fields and validation of POST /api/v1/court-cases)."""
    return _flag_form(FormErrors())


@blp.post("/court-cases/new")
@requires(*service.FLAG_ROLES)
def flag() -> Response:
    """Flag the case; the answer is the case page with each enterprise party's 查询码, shown this once."""
    schema = forms.CourtCaseForm()
    data, errors = parse_form(schema, request.form)
    if data is None:
        return _flag_form(schema.form_errors(errors), status=422)
    try:
        with transaction(db_session()) as session:
            flagged = service.flag(session, court_case_in=data, actor=request_actor())
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        forms.refusal(errors, exc, prefix="", fields=("case_number", "case_type", "parties", "reason"),
                      fallback="_form")
        # A case already flagged: its page, to a user who may see it (the service names it only then).
        existing = exc.details.get("court_case_id") if isinstance(exc, service.AlreadyFlagged) else None
        return _flag_form(errors, status=_status_of(exc), existing=existing)
    # The codes exist only in this answer (kept as hashes): shown here, not behind a redirect; no-store.
    return _case_page(flagged.court_case.id, issued=flagged.query_codes, status=201)


# --- the case and its steps --------------------------------------------------------------------


@blp.get("/court-cases/<string:court_case_id>")
@requires(*service.READ_ROLES)
def detail(court_case_id: str) -> Response:
    """The case: parties (masked), the flag, 立案绿色通道, 立案, 诉讼费 relief, and what the public sees."""
    _check_id(court_case_id)
    return _case_page(court_case_id)


def _step(court_case_id: str, prefix: str, schema: Any, fields: tuple[str, ...], done: str, call: Any,
          labels: dict[str, str] = forms.LABELS) -> Response:
    """One step of the case from its form: parsed by the API's schema, done by the service, 303 back to the case."""
    _check_id(court_case_id)
    data, errors = forms.parse_prefixed(schema, request.form, prefix, labels)
    if data is None:
        return _case_page(court_case_id, errors=errors, status=422)
    try:
        with transaction(db_session()) as session:
            call(session, data)
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        return _case_page(court_case_id, errors=forms.refusal(errors, exc, prefix=prefix, fields=fields),
                          status=_status_of(exc))
    return redirect_to(f"/court-cases/{court_case_id}", done=done)


@blp.post("/court-cases/<string:court_case_id>/green-channel")
@requires(*service.FLAG_ROLES)
def green_channel(court_case_id: str) -> Response:
    """立案绿色通道: granted (the service sets the day 立案 is due) or refused with reasons."""
    prefix, schema, fields = forms.GREEN_CHANNEL
    rule = service.GreenChannelRule.from_settings(config.current())
    return _step(court_case_id, prefix, schema(), fields, "green", lambda session, data: service.decide_green_channel(
        session, court_case_id=court_case_id, decision_in=data, actor=request_actor(), rule=rule))


@blp.post("/court-cases/<string:court_case_id>/filing")
@requires(*service.FLAG_ROLES)
def filing(court_case_id: str) -> Response:
    """立案: the date closes the green channel's clock (met or missed)."""
    prefix, schema, fields = forms.FILING
    return _step(court_case_id, prefix, schema(), fields, "filing", lambda session, data: service.record_filing(
        session, court_case_id=court_case_id, filing_in=data, actor=request_actor()))


@blp.post("/court-cases/<string:court_case_id>/fee-relief-applications")
@requires(*service.FLAG_ROLES)
def fee_relief_application(court_case_id: str) -> Response:
    """A party's 缓交/减交/免交 application (诉讼费用交纳办法 arts. 44–48)."""
    prefix, schema, fields = forms.APPLICATION
    return _step(court_case_id, prefix, schema(), fields, "application", lambda session, data: fee_relief.apply(
        session, court_case_id=court_case_id, application_in=data, actor=request_actor()))


@blp.post("/court-cases/<string:court_case_id>/fee-relief-applications/<string:application_id>/decision")
@requires(*service.FLAG_ROLES)
def fee_relief_decision(court_case_id: str, application_id: str) -> Response:
    """The decision on one application: 减交 at least 30%, a refusal with written reasons, 缓交 before 立案."""
    _check_id(application_id)
    return _step(court_case_id, forms.decision_prefix(application_id), FeeReliefDecisionIn(), forms.DECISION_FIELDS,
                 "decision", lambda session, data: fee_relief.decide(
                     session, court_case_id=court_case_id, application_id=application_id, decision_in=data,
                     actor=request_actor()))


@blp.post("/court-cases/<string:court_case_id>/parties/<string:party_id>/query-code")
@requires(*service.FLAG_ROLES)
def reissue_query_code(court_case_id: str, party_id: str) -> Response:
    """重新签发查询码: a new code for an enterprise party, shown on this answer only; the old one stops working."""
    _check_id(court_case_id)
    _check_id(party_id)
    prefix = forms.reissue_prefix(party_id)
    data, errors = forms.parse_prefixed(PartyQueryCodeReissueIn(), request.form, prefix, forms.REISSUE_LABELS)
    if data is None:
        return _case_page(court_case_id, errors=errors, status=422)
    try:
        with transaction(db_session()) as session:
            _, party, code = service.reissue_query_code(session, court_case_id=court_case_id, party_id=party_id,
                                                        reason=data["reason"], actor=request_actor())
    except service.NotAnEnterpriseParty as exc:
        return _case_page(court_case_id, errors=forms.refusal(errors, exc, prefix=prefix, fields=()), status=422)
    return _case_page(court_case_id, issued={party.id: code}, status=201)
