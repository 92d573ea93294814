"""The rules of 失信被执行人, as plain functions over a session.

* :func:`register` — a court clerk lists a debtor (执行案号, art. 1 ground, term) with its 限制消费令;
* :func:`record_ground` — performance or another art. 10 ground, with its evidence: the removal
  deadline (``dishonesty.deletion``, 3 working days) starts;
* :func:`remove` — a judge or clerk of the listing court decides the removal; the 限消 order is
  lifted with it; a creditor-requested deletion blocks re-listing for six months;
* :func:`expire` — a fixed term ran out: the job starts the deletion deadline at expiry and removes;
* :func:`request_correction`, :func:`review_correction`, :func:`record_corrected` — 第十二条;
* :func:`apply_reconsideration`, :func:`decide_reconsideration` — 复议 to the court above.

Every change is audited and announced (``dishonesty.*``) in the same transaction.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.attaching import attach
from services.review.deadlines.authors import label as author_label
from services.review.deadlines.closing import meet
from services.review.deadlines.models import OPEN, Deadline
from services.review.deadlines.rules import rule_in_force
from services.review.dishonesty import access, grounds
from services.review.dishonesty.access import Court, ListingNotFound, court_of, get_listing, higher_court
from services.review.dishonesty.models import (
    CORRECTION_ACCEPTED,
    CORRECTION_REJECTED,
    LISTED,
    PERSON,
    RECON_REVOKED,
    REMOVAL_PENDING,
    REMOVED,
    ConsumptionOrder,
    Correction,
    Listing,
    Reconsideration,
)
from services.review.holidays.service import holiday_table
from shared.actor import Actor
from shared.audit.service import record as audit
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.calendar import Unit, beijing_today
from shared.calendar.periods import add_months, period_end
from shared.errors import Conflict, DomainError, Forbidden
from shared.events import new_event
from shared.identifiers import InvalidIdentifier, parse_case_number
from shared.outbox import enqueue
from shared.pii import blind_index, encrypt, mask_id_number, mask_name

DEBTOR_PURPOSE = "dishonesty.debtor"
CONTACT_PURPOSE = "dishonesty.contact"
DEBTOR_INDEX = "dishonesty_debtor"
DELETION_RULE = "dishonesty.deletion"
BLOCK_RULE = "dishonesty.relisting_block"


class NotEnforcementCase(DomainError):
    code = "dishonesty.not_enforcement_case"
    field = "case_number"
    message_zh = "失信被执行人应当依执行案件纳入，案号应为执行案号（如（2026）豫13执123号）"
    message_en = "A listing needs an enforcement case number (执行案号, e.g. （2026）豫13执123号)"


class TermInvalid(DomainError):
    code = "dishonesty.term_invalid"
    field = "extension_years"
    message_zh = "第一条第（一）项情形无固定期限，不得延长；其他情形期限为二年，可延长一至三年并说明理由"
    message_en = "Item 1 has no fixed term and cannot be extended; items 2–6 run 2 years, extendable by 1–3 years with a reason"


class RelistingBlocked(Conflict):
    """第十条第三款: after a creditor-requested deletion the creditor may not ask to re-list within six months."""

    keeps_writes = True  # its audit row (nothing else is written before the refusal)
    code = "dishonesty.relisting_blocked"
    message_zh = "申请执行人申请删除失信信息后六个月内，不得申请将该被执行人再次纳入失信名单"
    message_en = "Within six months of a creditor-requested deletion the creditor may not ask to re-list the debtor"


class AlreadyListed(Conflict):
    code = "dishonesty.already_listed"
    message_zh = "该被执行人在本执行案件中已被纳入失信名单且尚未删除"
    message_en = "This debtor is already listed in this enforcement case"


class WrongStatus(Conflict):
    code = "dishonesty.wrong_status"
    message_zh = "该失信记录当前状态不允许此操作"
    message_en = "The listing's present state does not allow this"


class SearchesRequired(DomainError):
    code = "dishonesty.searches_required"
    field = "network_searches"
    message_zh = "终结本次执行程序后删除的，应当经网络执行查控系统查询两次以上未发现财产"
    message_en = "A 终本 removal needs at least two network searches that found no assets"


class FutureDate(DomainError):
    code = "dishonesty.future_date"
    field = "on"
    message_zh = "日期不能晚于今日"
    message_en = "The date cannot be after today"


class BeforeListing(DomainError):
    code = "dishonesty.before_listing"
    field = "on"
    message_zh = "日期不能早于纳入失信名单之日"
    message_en = "The date cannot be before the listing date"


class ReconsiderationLate(Conflict):
    code = "dishonesty.reconsideration_late"
    message_zh = "已超过申请复议的十日期间（自驳回决定之日起算）"
    message_en = "The 10 days to apply for 复议 (from the rejection) have run out"


class NothingToReview(Conflict):
    code = "dishonesty.correction_not_open"
    message_zh = "没有待审查或待纠正的纠正申请"
    message_en = "No correction request waits for this step"


class NotTheHigherCourt(Forbidden):
    code = "dishonesty.not_higher_court"
    message_zh = "复议由上一级人民法院的法官决定"
    message_en = "A 复议 is decided by a judge of the court above"


# --- reading -----------------------------------------------------------------------------------


def consumption_order(session: Session, listing_id: str) -> ConsumptionOrder | None:
    return session.scalar(select(ConsumptionOrder).where(ConsumptionOrder.listing_id == listing_id))


def corrections(session: Session, listing_id: str) -> list[Correction]:
    return list(session.scalars(select(Correction).where(Correction.listing_id == listing_id)
                                .order_by(Correction.applied_on, Correction.created_at)))


def reconsiderations(session: Session, listing_id: str) -> list[Reconsideration]:
    return list(session.scalars(select(Reconsideration).where(Reconsideration.listing_id == listing_id)
                                .order_by(Reconsideration.applied_on, Reconsideration.created_at)))


def clocks(session: Session, listing_id: str) -> list[Deadline]:
    return list(session.scalars(select(Deadline).where(Deadline.subject == listing_id)
                                .order_by(Deadline.start_on, Deadline.created_at)))


def list_(session: Session, *, principal: Principal | None, status: str | None = None, due_by: _dt.date | None = None,
          limit: int = 100, offset: int = 0) -> list[Listing]:
    """The listings the principal sees, newest first; ``due_by``: those with an open clock due by that day."""
    query = access.visible(select(Listing), principal)
    if status:
        query = query.where(Listing.status == status)
    if due_by is not None:
        open_due = select(Deadline.subject).where(Deadline.status == OPEN, Deadline.due_on <= due_by)
        query = query.where(Listing.id.in_(open_due))
    query = query.order_by(Listing.listed_on.desc(), Listing.created_at.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


# --- steps -------------------------------------------------------------------------------------


def _fields(listing: Listing) -> dict[str, Any]:
    return {"listing_id": listing.id, "subject_id": listing.id, "case_number": listing.case_number,
            "unit_code": listing.unit_code, "court_code": listing.court_code, "status": listing.status}


def _announce(session: Session, type_: str, listing: Listing, actor: Actor, **data: Any) -> None:
    enqueue(session, new_event(type_, subject=listing.id, source="review", actor=author_label(actor),
                               trace_id=actor.trace_id, data={**_fields(listing), **data}))


def _audit(session: Session, action: str, listing: Listing, actor: Actor, **kw: Any) -> None:
    audit(session, action=action, subject_type="dishonesty_listing", subject_id=listing.id, **kw, **actor.fields())


def _day(on: _dt.date | None, *, today: _dt.date, listing: Listing | None = None) -> _dt.date:
    day = on or today
    if day > today:
        raise FutureDate(on=day)
    if listing is not None and day < listing.listed_on:
        raise BeforeListing(on=day)
    return day


def _principal(actor: Actor) -> Principal | None:
    return actor.principal


def expiry_of(listed_on: _dt.date, term_years: int | None, extension_years: int) -> _dt.date | None:
    """第二条: the last day of a fixed term (the corresponding day, 民法典 第二百零二条); None for item 1."""
    if term_years is None:
        return None
    return add_months(listed_on, 12 * (term_years + extension_years))


def relisting_block_end(session: Session, removed_on: _dt.date) -> _dt.date:
    """The last day of the six-month block after a creditor-requested deletion (第十条第三款).

    Counted as a 期间 with the shared period rules: the deletion day not counted, six months to the
    corresponding day, a last day on a rest day moved to the next working day (民诉法 第八十五条);
    the creditor may ask again from the day after.
    """
    rule = rule_in_force(session, code=BLOCK_RULE, on=removed_on)
    return period_end(removed_on, rule.amount, Unit(rule.unit), table=holiday_table(session)).date


@dataclass(frozen=True)
class Debtor:
    kind: str
    name: str
    number: str  # credit code or ID number, normalised
    legal_representative: str | None = None


def register(
    session: Session, *, case_number: str, debtor: Debtor, obligation: str, ground: int,
    listed_on: _dt.date, extension_years: int, extension_reason: str | None, on_application: bool,
    consumption_scope: str, consumption_issued_on: _dt.date | None, contact_email: str | None,
    contact_phone: str | None, actor: Actor,
) -> Listing:
    """A court clerk lists a debtor on a ground of 第一条, with the linked 限制消费令.

    :raise NotEnforcementCase: not an 执行 case.  :raise TermInvalid: an extension of item 1, or of
    other than 1–3 years, or without its reason.  :raise RelistingBlocked: a creditor-requested
    deletion of this debtor in this case is less than six months old.  :raise AlreadyListed.
    """
    principal = _principal(actor)
    if principal is None or not principal.has_role(*access.REGISTER_ROLES):
        raise access.NotYourListing()
    try:
        parsed = parse_case_number(case_number)
    except InvalidIdentifier as exc:
        raise NotEnforcementCase(case_number=case_number, problem=exc.problem.code) from None
    if parsed.case_class != "执行":
        raise NotEnforcementCase(case_number=case_number)
    case_number = parsed.text
    today = beijing_today()
    listed_on = _day(listed_on, today=today)
    spec = grounds.LISTING_GROUNDS[ground]
    reason = (extension_reason or "").strip() or None
    if extension_years and (not spec.fixed_term or extension_years not in grounds.EXTENSION_YEARS or reason is None):
        raise TermInvalid(ground=ground, extension_years=extension_years)
    index = blind_index(debtor.number, kind=DEBTOR_INDEX)
    earlier = list(session.scalars(select(Listing).where(
        Listing.debtor_number_index == index, Listing.case_number == case_number).with_for_update()))
    if any(e.status != REMOVED for e in earlier):
        raise AlreadyListed(case_number=case_number)
    blocks = [e.relisting_blocked_until for e in earlier if e.relisting_blocked_until is not None]
    if on_application and blocks and max(blocks) >= listed_on:
        _refuse(session, actor, case_number, "relisting_blocked", blocked_until=max(blocks))
        until = max(blocks)
        raise RelistingBlocked(
            f"{RelistingBlocked.message_en} (blocked up to and including {until.isoformat()})",
            f"{RelistingBlocked.message_zh}（限制至{until.year}年{until.month}月{until.day}日，含当日）",
            blocked_until=until.isoformat(), case_number=case_number)
    court = court_of(session, principal.unit_code)
    person = debtor.kind == PERSON
    term = grounds.BASE_TERM_YEARS if spec.fixed_term else None
    listing = Listing(
        unit_code=principal.unit_code, court_code=court.code, court_name=court.name, case_number=case_number,
        debtor_kind=debtor.kind, debtor_name=mask_name(debtor.name) or debtor.name if person else debtor.name,
        debtor_name_enc=encrypt(debtor.name, purpose=DEBTOR_PURPOSE) if person else None,
        debtor_number_enc=encrypt(debtor.number, purpose=DEBTOR_PURPOSE), debtor_number_index=index,
        debtor_number_masked=(mask_id_number(debtor.number) or "") if person else debtor.number,
        legal_representative=debtor.legal_representative, obligation=obligation, ground=ground,
        on_application=on_application, listed_on=listed_on, term_years=term, extension_years=extension_years,
        extension_reason=reason, expires_on=expiry_of(listed_on, term, extension_years), status=LISTED,
        contact_email_enc=encrypt(contact_email, purpose=CONTACT_PURPOSE) if contact_email else None,
        contact_phone_enc=encrypt(contact_phone, purpose=CONTACT_PURPOSE) if contact_phone else None,
        registered_by=actor.name,
    )
    session.add(listing)
    session.flush()
    order = ConsumptionOrder(listing_id=listing.id, issued_on=consumption_issued_on or listed_on,
                             scope=consumption_scope)
    session.add(order)
    session.flush()
    _audit(session, "dishonesty.register", listing, actor,
           after={"case_number": case_number, "debtor_kind": debtor.kind, "debtor": listing.debtor_number_masked,
                  "ground": ground, "listed_on": listed_on, "expires_on": listing.expires_on,
                  "extension_years": extension_years, "consumption_order_id": order.id})
    _announce(session, "dishonesty.listed", listing, actor, debtor_kind=debtor.kind, debtor_name=listing.debtor_name,
              ground=ground, listed_on=listed_on, expires_on=listing.expires_on, extension_years=extension_years,
              consumption_order_id=order.id, consumption_issued_on=order.issued_on)
    return listing


def _refuse(session: Session, actor: Actor, case_number: str, reason: str, **detail: Any) -> None:
    audit(session, action="dishonesty.register", outcome="failure", subject_type="dishonesty_listing",
          detail={"case_number": case_number, "reason": reason, **detail}, **actor.fields())


def _acting(session: Session, listing_id: str, actor: Actor) -> Listing:
    listing = get_listing(session, listing_id, principal=_principal(actor), for_update=True)
    access.require_act(_principal(actor), listing)
    return listing


def record_ground(
    session: Session, *, listing_id: str, ground: str, evidence: str, network_searches: int | None,
    on: _dt.date | None, actor: Actor,
) -> Listing:
    """第十条: a ground of deletion is recorded with its evidence; the 3-working-day deletion clock starts."""
    listing = _acting(session, listing_id, actor)
    if listing.status != LISTED:
        raise WrongStatus(status=listing.status)
    spec = grounds.REMOVAL_GROUNDS[ground]
    if spec.needs_searches and (network_searches or 0) < grounds.MIN_SEARCHES:
        raise SearchesRequired(network_searches=network_searches)
    day = _day(on, today=beijing_today(), listing=listing)
    deadline = attach(session, subject=listing.id, rule_code=DELETION_RULE, start_on=day, unit_code=listing.unit_code,
                      case_number=listing.case_number, actor=author_label(actor))
    before = {"status": listing.status}
    listing.status = REMOVAL_PENDING
    listing.removal_ground, listing.removal_evidence, listing.network_searches = ground, evidence, network_searches
    listing.removal_recorded_on, listing.removal_recorded_by = day, actor.name
    listing.removal_deadline_id = deadline.id
    session.flush()
    _audit(session, "dishonesty.record_ground", listing, actor, before=before,
           after={"status": listing.status, "ground": ground, "recorded_on": day, "due_on": deadline.due_on},
           detail={"evidence": evidence, "network_searches": network_searches, "deadline_id": deadline.id})
    _announce(session, "dishonesty.removal_ground_recorded", listing, actor, ground=ground, recorded_on=day,
              deadline_id=deadline.id, due_on=deadline.due_on)
    return listing


def _lift_and_remove(session: Session, listing: Listing, *, day: _dt.date, actor: Actor, deadline_id: str | None) -> None:
    order = consumption_order(session, listing.id)
    if order is not None and order.lifted_on is None:
        order.lifted_on, order.lifted_by = day, actor.name
    before = {"status": listing.status}
    listing.status, listing.removed_on, listing.removed_by = REMOVED, day, actor.name
    ground = grounds.REMOVAL_GROUNDS.get(listing.removal_ground or "")
    if ground is not None and ground.blocks_relisting:
        listing.relisting_blocked_until = relisting_block_end(session, day)
    session.flush()
    if deadline_id is not None:
        meet(session, deadline_id=deadline_id, actor=author_label(actor), principal=None, met_on=day,
             note="失信信息已删除")
    _audit(session, "dishonesty.remove", listing, actor, before=before,
           after={"status": listing.status, "removed_on": day, "ground": listing.removal_ground,
                  "consumption_order_lifted_on": order.lifted_on if order else None,
                  "relisting_blocked_until": listing.relisting_blocked_until})
    _announce(session, "dishonesty.removed", listing, actor, ground=listing.removal_ground or grounds.EXPIRY,
              removed_on=day, consumption_order_lifted_on=order.lifted_on if order else None,
              relisting_blocked_until=listing.relisting_blocked_until)


def remove(session: Session, *, listing_id: str, on: _dt.date | None, actor: Actor) -> Listing:
    """The removal is decided (a judge or clerk of the listing court): 删除, and the 限消 order lifted with it."""
    listing = _acting(session, listing_id, actor)
    if listing.status != REMOVAL_PENDING:
        raise WrongStatus(status=listing.status)
    day = _day(on, today=beijing_today(), listing=listing)
    if listing.removal_recorded_on and day < listing.removal_recorded_on:
        raise BeforeListing(on=day)
    _lift_and_remove(session, listing, day=day, actor=actor, deadline_id=listing.removal_deadline_id)
    return listing


def expire(session: Session, listing: Listing, *, today: _dt.date) -> bool:
    """第十条第二款: a fixed term that ended before ``today`` is removed, its deletion clock started at
    the expiry day and met today (a system action; the listing is locked by the caller)."""
    if listing.status != LISTED or listing.expires_on is None or listing.expires_on >= today:
        return False
    actor = Actor.system()
    deadline = attach(session, subject=listing.id, rule_code=DELETION_RULE, start_on=listing.expires_on,
                      unit_code=listing.unit_code, case_number=listing.case_number, actor="system")
    listing.removal_ground, listing.removal_recorded_on = grounds.EXPIRY, listing.expires_on
    listing.removal_recorded_by, listing.removal_deadline_id = "system", deadline.id
    listing.removal_evidence = f"失信期限于{listing.expires_on.isoformat()}届满"
    _lift_and_remove(session, listing, day=today, actor=actor, deadline_id=deadline.id)
    return True


def due_for_expiry(session: Session, *, today: _dt.date, limit: int) -> list[Listing]:
    return list(session.scalars(select(Listing).where(
        Listing.status == LISTED, Listing.expires_on.is_not(None), Listing.expires_on < today,
    ).order_by(Listing.expires_on).limit(limit).with_for_update(skip_locked=True)))


# --- 第十二条: correction and 复议 ----------------------------------------------------------------


def request_correction(session: Session, *, listing_id: str, reasons: str, on: _dt.date | None, actor: Actor) -> Correction:
    """The debtor's written request to correct the record: the 15日 review clock starts."""
    listing = _acting(session, listing_id, actor)
    if listing.status == REMOVED:
        raise WrongStatus(status=listing.status)
    day = _day(on, today=beijing_today(), listing=listing)
    correction = Correction(listing_id=listing.id, applied_on=day, reasons=reasons, recorded_by=actor.name)
    session.add(correction)
    session.flush()
    deadline = attach(session, subject=listing.id, rule_code="dishonesty.correction_review", start_on=day,
                      unit_code=listing.unit_code, case_number=listing.case_number, actor=author_label(actor))
    correction.review_deadline_id = deadline.id
    session.flush()
    _audit(session, "dishonesty.correction_request", listing, actor,
           after={"correction_id": correction.id, "applied_on": day, "due_on": deadline.due_on},
           detail={"reasons": reasons})
    _announce(session, "dishonesty.correction_requested", listing, actor, correction_id=correction.id,
              applied_on=day, deadline_id=deadline.id, due_on=deadline.due_on)
    return correction


def _correction(session: Session, listing: Listing, correction_id: str) -> Correction:
    correction = session.scalar(select(Correction).where(
        Correction.id == correction_id, Correction.listing_id == listing.id).with_for_update())
    if correction is None:
        raise ListingNotFound(correction_id=correction_id)
    return correction


def review_correction(
    session: Session, *, listing_id: str, correction_id: str, accepted: bool, reasons: str, on: _dt.date | None,
    actor: Actor,
) -> Correction:
    """The court's review: accepted (correct within 3 working days) or rejected (复议 within 10日)."""
    listing = _acting(session, listing_id, actor)
    correction = _correction(session, listing, correction_id)
    if correction.outcome is not None:
        raise NothingToReview(correction_id=correction_id)
    day = _day(on, today=beijing_today(), listing=listing)
    day = max(day, correction.applied_on)
    if correction.review_deadline_id:
        meet(session, deadline_id=correction.review_deadline_id, actor=author_label(actor), principal=None, met_on=day)
    correction.outcome = CORRECTION_ACCEPTED if accepted else CORRECTION_REJECTED
    correction.review_reasons, correction.reviewed_on, correction.reviewed_by = reasons, day, actor.name
    rule = "dishonesty.correction" if accepted else "dishonesty.reconsideration_apply"
    follow = attach(session, subject=listing.id, rule_code=rule, start_on=day, unit_code=listing.unit_code,
                    case_number=listing.case_number, actor=author_label(actor))
    if accepted:
        correction.correct_deadline_id = follow.id
    else:
        correction.apply_deadline_id = follow.id
    session.flush()
    _audit(session, "dishonesty.correction_review", listing, actor,
           after={"correction_id": correction.id, "outcome": correction.outcome, "reviewed_on": day,
                  "next_due_on": follow.due_on}, detail={"reasons": reasons})
    _announce(session, "dishonesty.correction_reviewed", listing, actor, correction_id=correction.id,
              outcome=correction.outcome, reviewed_on=day, deadline_id=follow.id, due_on=follow.due_on)
    return correction


def record_corrected(
    session: Session, *, listing_id: str, correction_id: str, note: str, on: _dt.date | None, actor: Actor,
) -> Correction:
    """The accepted correction (or one a 复议 ordered) is made: its 3-working-day clock is met."""
    listing = _acting(session, listing_id, actor)
    correction = _correction(session, listing, correction_id)
    recon = session.scalar(select(Reconsideration).where(Reconsideration.correction_id == correction.id))
    deadline_id = correction.correct_deadline_id or (recon.correct_deadline_id if recon else None)
    if deadline_id is None or correction.corrected_on is not None:
        raise NothingToReview(correction_id=correction_id)
    day = _day(on, today=beijing_today(), listing=listing)
    meet(session, deadline_id=deadline_id, actor=author_label(actor), principal=None, met_on=day)
    correction.corrected_on, correction.correction_note = day, note
    session.flush()
    _audit(session, "dishonesty.corrected", listing, actor,
           after={"correction_id": correction.id, "corrected_on": day}, detail={"note": note})
    _announce(session, "dishonesty.corrected", listing, actor, correction_id=correction.id, corrected_on=day)
    return correction


def apply_reconsideration(
    session: Session, *, listing_id: str, correction_id: str, reasons: str, on: _dt.date | None, actor: Actor,
) -> Reconsideration:
    """复议 against a rejected correction, applied within 10日; the court above decides within 15日.
    The listing stays as it is while the 复议 runs (第十二条: 复议期间不停止原决定的执行)."""
    listing = _acting(session, listing_id, actor)
    correction = _correction(session, listing, correction_id)
    if correction.outcome != CORRECTION_REJECTED or correction.apply_deadline_id is None:
        raise NothingToReview(correction_id=correction_id)
    if session.scalar(select(Reconsideration.id).where(Reconsideration.correction_id == correction.id)):
        raise NothingToReview(correction_id=correction_id)
    day = _day(on, today=beijing_today(), listing=listing)
    window = session.get(Deadline, correction.apply_deadline_id)
    if window is not None and window.due_on is not None and day > window.due_on:
        raise ReconsiderationLate(due_on=window.due_on.isoformat())
    if window is not None and window.status == OPEN:
        meet(session, deadline_id=window.id, actor=author_label(actor), principal=None, met_on=day,
             note="已申请复议")
    above: Court | None = higher_court(session, listing.court_code)
    recon = Reconsideration(
        listing_id=listing.id, correction_id=correction.id, higher_court_code=above.code if above else None,
        higher_court_name=above.name if above else access.OUTSIDE_HIGHER_COURT, applied_on=day, reasons=reasons,
        recorded_by=actor.name,
    )
    session.add(recon)
    session.flush()
    deadline = attach(session, subject=listing.id, rule_code="dishonesty.reconsideration_decision", start_on=day,
                      unit_code=above.code if above else listing.unit_code, case_number=listing.case_number,
                      actor=author_label(actor))
    recon.decide_deadline_id = deadline.id
    session.flush()
    _audit(session, "dishonesty.reconsideration_apply", listing, actor,
           after={"reconsideration_id": recon.id, "applied_on": day, "higher_court": recon.higher_court_name,
                  "due_on": deadline.due_on}, detail={"reasons": reasons})
    _announce(session, "dishonesty.reconsideration_applied", listing, actor, reconsideration_id=recon.id,
              correction_id=correction.id, applied_on=day, higher_court_code=recon.higher_court_code,
              deadline_id=deadline.id, due_on=deadline.due_on)
    return recon


def decide_reconsideration(
    session: Session, *, listing_id: str, reconsideration_id: str, revoke: bool, reasons: str, on: _dt.date | None,
    actor: Actor,
) -> Reconsideration:
    """The court above decides: upheld (驳回复议, the listing stays) or the rejection revoked (撤销: the
    listing court corrects within 3 working days)."""
    principal = _principal(actor)
    # The deciding judge of the court above sees the listing through the court tree, or (a unit of
    # the court above that does not) through the 复议 itself; anyone else gets the 404 of a stranger.
    listing = session.scalar(select(Listing).where(Listing.id == listing_id).with_for_update())
    recon = session.scalar(select(Reconsideration).where(
        Reconsideration.id == reconsideration_id, Reconsideration.listing_id == listing_id).with_for_update())
    if listing is None or recon is None:
        raise ListingNotFound(listing_id=listing_id)
    if not access.may_decide_reconsideration(session, principal, recon.higher_court_code, listing):
        if principal is not None and not can_see(principal, listing.unit_code):
            raise ListingNotFound(listing_id=listing_id)
        raise NotTheHigherCourt(reconsideration_id=recon.id)
    if recon.outcome is not None:
        raise NothingToReview(reconsideration_id=recon.id)
    day = max(_day(on, today=beijing_today(), listing=listing), recon.applied_on)
    if recon.decide_deadline_id:
        meet(session, deadline_id=recon.decide_deadline_id, actor=author_label(actor), principal=None, met_on=day)
    recon.outcome = RECON_REVOKED if revoke else "upheld"
    recon.decision_reasons, recon.decided_on, recon.decided_by = reasons, day, actor.name
    due_on = None
    if revoke:
        follow = attach(session, subject=listing.id, rule_code="dishonesty.correction", start_on=day,
                        unit_code=listing.unit_code, case_number=listing.case_number, actor=author_label(actor))
        recon.correct_deadline_id, due_on = follow.id, follow.due_on
    session.flush()
    _audit(session, "dishonesty.reconsideration_decide", listing, actor,
           after={"reconsideration_id": recon.id, "outcome": recon.outcome, "decided_on": day,
                  "correct_due_on": due_on}, detail={"reasons": reasons})
    _announce(session, "dishonesty.reconsideration_decided", listing, actor, reconsideration_id=recon.id,
              outcome=recon.outcome, decided_on=day, correct_due_on=due_on)
    return recon
