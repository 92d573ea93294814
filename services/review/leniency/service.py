"""Rules of 首违不罚 checks, as plain functions over a session (the caller owns the transaction).

Who: ``penalty_reviewer``, ``prosecutor`` and ``unit_leader`` of a procuratorate unit check a
violation and draft the 检察建议; the check belongs to the checker's unit; that unit and the units
above it read it (the task force reads every unit's); another unit's check is a 404.  Only the
checking unit's own people draft its 检察建议 (a unit above reads it but does not write for the
unit below).

"First" (初次违法) is checked against what is stored: a ``suggested`` check of the same enterprise,
or a punishment recorded against it, for an act within the list's look-back before this act (in
the same field, or for the same item when the list's ``[first].scope`` is ``item``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.handling.document import organ_of
from services.review.leniency import catalogue, document
from services.review.leniency.models import (
    SUGGESTED,
    LeniencyCheck,
    LeniencyList,
    LeniencyPunishment,
    LeniencyRecommendation,
)
from services.review.leniency.rules import Facts, Prior, Result, evaluate, window_start
from services.review.triage.access import require_acts_for
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.auth.scoping import can_see, scope
from shared.calendar import beijing_today
from shared.errors import DomainError, ErrorKind, NotFound
from shared.events import new_event
from shared.outbox import enqueue

PROCURATORATE = "procuratorate"


class CheckNotFound(NotFound):
    code = "leniency_check_not_found"
    message_zh = "未找到该首违不罚审查"
    message_en = "No such leniency check"


class UnknownList(DomainError):
    kind = ErrorKind.INVALID
    code = "leniency_list.unknown"
    field = "list_code"
    message_zh = "没有该首违不罚清单"
    message_en = "No such leniency list"


class NotProcuratorate(DomainError):
    """首违不罚 checks and 检察建议 are the procuratorate's (行政违法行为监督)."""

    kind = ErrorKind.FORBIDDEN
    code = "not_procuratorate"
    message_zh = "首违不罚审查和检察建议仅由检察院人员办理"
    message_en = "Leniency checks and procuratorial recommendations are for procuratorate staff"


class BadDate(DomainError):
    kind = ErrorKind.INVALID
    code = "leniency_check.date"
    message_zh = "日期不能晚于今天"
    message_en = "The date may not be after today"


class NotSuggested(DomainError):
    """Only a positive result becomes a 检察建议; the check's explanation says which condition failed."""

    kind = ErrorKind.CONFLICT
    code = "leniency_check.not_suggested"
    message_zh = "该审查结论不是建议不予处罚，不能制作检察建议"
    message_en = "Only a check that suggests no punishment becomes a recommendation"


class AlreadyDrafted(DomainError):
    kind = ErrorKind.CONFLICT
    code = "leniency_check.already_drafted"
    message_zh = "该审查已制作检察建议"
    message_en = "This check already has its recommendation"


def _principal(actor: Actor) -> Principal:
    if actor.principal is None:
        raise RuntimeError("a leniency action needs a signed-in member of staff")
    return actor.principal


def require_procuratorate(session: Session, principal: Principal) -> None:
    """The task force aside, only staff of a procuratorate (or its departments) check and draft."""
    if organ_of(session, principal.unit_code).kind != PROCURATORATE:
        raise NotProcuratorate(unit_code=principal.unit_code)


def priors(session: Session, *, credit_code: str, listing: LeniencyList, item_code: str, act_on: _dt.date,
           exclude: str | None = None) -> list[Prior]:
    """The earlier determinations that make an act of ``act_on`` not the first (see the module docstring)."""
    start = window_start(act_on, listing.lookback_months)
    checks = select(LeniencyCheck).where(
        LeniencyCheck.credit_code == credit_code, LeniencyCheck.outcome == SUGGESTED,
        LeniencyCheck.act_on >= start, LeniencyCheck.act_on < act_on)
    if listing.first_scope == "item":
        checks = checks.where(LeniencyCheck.list_code == listing.code, LeniencyCheck.item_code == item_code)
    else:
        checks = checks.where(LeniencyCheck.field == listing.field)
    if exclude:
        checks = checks.where(LeniencyCheck.id != exclude)
    found = [Prior("check", c.id, c.act_on, f"{c.list_code} 第{c.item_code}项") for c in
             session.scalars(checks.order_by(LeniencyCheck.act_on))]
    punished = select(LeniencyPunishment).where(
        LeniencyPunishment.credit_code == credit_code, LeniencyPunishment.field == listing.field,
        LeniencyPunishment.act_on >= start, LeniencyPunishment.act_on < act_on)
    found += [Prior("punishment", p.id, p.act_on, p.decision_number)
              for p in session.scalars(punished.order_by(LeniencyPunishment.act_on))]
    return sorted(found, key=lambda p: p.act_on)


def facts_of(check_in: dict[str, Any]) -> Facts:
    return Facts(act_on=check_in["act_on"], corrected=check_in.get("corrected"),
                 corrected_on=check_in.get("corrected_on"), discovered_on=check_in.get("discovered_on"),
                 within_order_period=check_in.get("within_order_period"), harm=check_in.get("harm"),
                 illegal_gains=check_in.get("illegal_gains"), first_claimed=check_in.get("first_claimed"))


def assess(session: Session, check_in: dict[str, Any]) -> tuple[Result, LeniencyList | None]:
    """The answer for the facts (nothing stored): the list version in force on the act date, the
    priors within its look-back, the rules.  :raise UnknownList: no version of the list is loaded."""
    known = catalogue.any_version(session, check_in["list_code"])
    if known is None:
        raise UnknownList(list_code=check_in["list_code"][:40])
    listing = catalogue.in_force(session, check_in["list_code"], check_in["act_on"])
    found = [] if listing is None else priors(session, credit_code=check_in["credit_code"], listing=listing,
                                               item_code=check_in["item_code"], act_on=check_in["act_on"])
    result = evaluate(facts_of(check_in), listing, list_code=check_in["list_code"], item_code=check_in["item_code"],
                      priors=found, list_known=known)
    return result, listing


def snapshot(check: LeniencyCheck) -> dict[str, Any]:
    return {"credit_code": check.credit_code, "list_code": check.list_code, "list_version": check.list_version,
            "item_code": check.item_code, "act_on": check.act_on, "outcome": check.outcome, "strength": check.strength,
            "unit_code": check.unit_code, "unconfirmed": check.unconfirmed}


def _emit(session: Session, event_type: str, check: LeniencyCheck, *, actor: Actor, **extra: Any) -> None:
    enqueue(session, new_event(event_type, subject=check.id, source="review", actor=actor.name,
                               trace_id=actor.trace_id, data={
                                   "subject_id": check.id, "check_id": check.id, "unit_code": check.unit_code,
                                   "credit_code": check.credit_code, "list_code": check.list_code,
                                   "list_version": check.list_version, "item_code": check.item_code,
                                   "act_on": check.act_on, "outcome": check.outcome, "strength": check.strength,
                                   "unconfirmed": list(check.unconfirmed), **extra}))


def create(session: Session, *, check_in: dict[str, Any], actor: Actor, today: _dt.date | None = None) -> LeniencyCheck:
    """Check one violation and store the check (with any punishments stated with it).

    :raise NotProcuratorate: the caller is not of a procuratorate unit (403).
    :raise UnknownList: no such list (422). :raise BadDate: a date after today (422).
    """
    principal = _principal(actor)
    require_procuratorate(session, principal)
    day = today or beijing_today()
    for name in ("act_on", "corrected_on", "discovered_on"):
        value = check_in.get(name)
        if value is not None and value > day:
            raise BadDate(field=name)
    known = catalogue.any_version(session, check_in["list_code"])
    if known is None:
        raise UnknownList(list_code=check_in["list_code"][:40])
    # Punishments stated with the check are recorded first: they count for this check and later ones.
    stated: list[LeniencyPunishment] = []
    for punishment in check_in.get("prior_punishments") or []:
        if punishment["act_on"] > day:
            raise BadDate(field="prior_punishments.act_on")
        stated.append(LeniencyPunishment(credit_code=check_in["credit_code"], field=known.field,
                                       act_on=punishment["act_on"], decision_number=punishment["decision_number"],
                                       unit_code=principal.unit_code, recorded_by=actor.name))
    session.add_all(stated)
    session.flush()
    result, listing = assess(session, check_in)
    check = LeniencyCheck(
        unit_code=principal.unit_code, checked_by=actor.name, checked_on=day, credit_code=check_in["credit_code"],
        enterprise_name=check_in["enterprise_name"].strip(), authority=(check_in.get("authority") or "").strip() or None,
        act=check_in["act"].strip(), list_code=check_in["list_code"], item_code=check_in["item_code"],
        list_id=listing.id if listing else None, list_version=listing.version if listing else None,
        field=listing.field if listing else known.field, act_on=check_in["act_on"],
        corrected=check_in.get("corrected"), corrected_on=check_in.get("corrected_on"),
        discovered_on=check_in.get("discovered_on"), within_order_period=check_in.get("within_order_period"),
        harm=check_in.get("harm"), harm_text=(check_in.get("harm_text") or "").strip() or None,
        illegal_gains=check_in.get("illegal_gains"), first_claimed=check_in.get("first_claimed"),
        outcome=result.outcome, strength=result.strength, conditions=[c.as_dict() for c in result.conditions],
        basis=result.basis, unconfirmed=result.unconfirmed, explanation=result.explanation,
    )
    session.add(check)
    session.flush()
    for punishment in stated:
        punishment.check_id = check.id
    record(session, action="leniency.check", subject_type="leniency_check", subject_id=check.id,
           after={**snapshot(check), "conditions": {c.key: c.status for c in result.conditions}},
           detail={"punishments_recorded": len(check_in.get("prior_punishments") or [])}, **actor.fields())
    _emit(session, "leniency.checked", check, actor=actor,
          failed=[c.key for c in result.conditions if c.status == "not_met"])
    return check


# --- reading -------------------------------------------------------------------------------------

def get(session: Session, check_id: str, *, principal: Principal | None) -> LeniencyCheck:
    """The check if the principal sees its unit; else CheckNotFound (existence not revealed)."""
    check = session.get(LeniencyCheck, check_id) if len(check_id) <= 36 else None
    if check is None or not can_see(principal, check.unit_code):
        raise CheckNotFound(check_id=check_id[:40])
    return check


def list_(session: Session, *, principal: Principal | None, credit_code: str | None = None,
          unit: str | None = None, limit: int = 100) -> list[LeniencyCheck]:
    """The checks the principal sees, newest first; by enterprise and/or by checking unit."""
    query = scope(select(LeniencyCheck), LeniencyCheck.unit_code, principal)
    if credit_code:
        query = query.where(LeniencyCheck.credit_code == credit_code)
    if unit:
        query = query.where(LeniencyCheck.unit_code == unit)
    return list(session.scalars(query.order_by(LeniencyCheck.created_at.desc(), LeniencyCheck.id.desc()).limit(limit)))


def listing_of(session: Session, check: LeniencyCheck) -> LeniencyList | None:
    return session.get(LeniencyList, check.list_id) if check.list_id else None


def recommendation_of(session: Session, check_id: str) -> LeniencyRecommendation | None:
    return session.scalar(select(LeniencyRecommendation).where(LeniencyRecommendation.check_id == check_id))


# --- 检察建议 ------------------------------------------------------------------------------------

def draft_recommendation(session: Session, *, check_id: str, addressee: str | None, actor: Actor,
                         today: _dt.date | None = None) -> LeniencyRecommendation:
    """The 检察建议 draft of a positive check: numbered (发文字号 per organ and year), stored once.

    :raise CheckNotFound: not seen (404). :raise NotProcuratorate / NotYourUnit: (403).
    :raise NotSuggested: the check did not suggest 不予处罚 (409, its explanation in the details).
    :raise AlreadyDrafted: (409).
    """
    principal = _principal(actor)
    check = get(session, check_id, principal=principal)
    require_procuratorate(session, principal)
    require_acts_for(principal, check.unit_code)
    if check.outcome != SUGGESTED:
        raise NotSuggested(explanation=check.explanation, outcome=check.outcome)
    if recommendation_of(session, check.id) is not None:
        raise AlreadyDrafted(check_id=check.id)
    to = (addressee or check.authority or "").strip()
    if not to:
        raise MissingAddressee()
    day = today or beijing_today()
    organ = organ_of(session, check.unit_code)
    serial = document.next_serial(session, organ_code=organ.code, year=day.year)
    row = LeniencyRecommendation(
        check_id=check.id, unit_code=check.unit_code, organ_code=organ.code, organ_name=organ.name, year=day.year,
        serial=serial, document_number=document.document_number(organ, year=day.year, serial=serial),
        addressee=to[:200], drafted_by=actor.name, drafted_on=day)
    session.add(row)
    session.flush()
    record(session, action="leniency.recommendation_draft", subject_type="leniency_check", subject_id=check.id,
           after={"recommendation_id": row.id, "document_number": row.document_number, "addressee": row.addressee},
           **actor.fields())
    _emit(session, "leniency.recommendation_drafted", check, actor=actor, recommendation_id=row.id,
          document_number=row.document_number, addressee=row.addressee, case_number=row.document_number)
    return row


class MissingAddressee(DomainError):
    kind = ErrorKind.INVALID
    code = "leniency_recommendation.addressee"
    field = "addressee"
    message_zh = "请写明检察建议的主送行政机关"
    message_en = "Name the administrative organ the recommendation goes to"


def document_issued(session: Session, check: LeniencyCheck, row: LeniencyRecommendation, *, fmt: str,
                    actor: Actor) -> None:
    """Audit a download of the 检察建议 (who read which check's draft, in which format)."""
    record(session, action="leniency.recommendation_document", subject_type="leniency_check", subject_id=check.id,
           detail={"document_number": row.document_number, "format": fmt}, **actor.fields())
