"""Rules of 审查办理, as plain functions over a session (the caller owns the transaction).

Who: only the handling unit's own people act (``access.require_acts_for(principal,
item.handling_unit_code)``); a unit above sees the item and may 督办 it but gets 403
``not_your_unit`` here.  When: 受理/退回 from 已交办 (``routed``), everything else while 办理中.

The clocks are the deadline engine's: :func:`on_routed` (called by triage's 交办) attaches
``handling.acceptance``; accepting or returning meets it.  A 答复 meets the 12309 clocks of the
petition: procedural → ``12309.procedural_reply``; progress → the result reply or the open monthly
follow-up with outcome ``progress`` (the engine attaches the next follow-up); final → the result
chain with outcome ``final`` (and the 7-day reply if still open, the 12368 work order, the
交办 deadline), status 已答复.  Each is met or missed on record (``met_on_time``), on the date the
reply reached the petitioner.  The petition's deadlines belong to the receiving unit, so the
engine is called as the system, after the unit check here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines import closing
from services.review.deadlines.attaching import attach
from services.review.deadlines.authors import label
from services.review.deadlines.models import OPEN, Deadline
from services.review.handling import document as reply_document
from services.review.handling.models import (
    ACCEPTED,
    HANDLER_ASSIGNED,
    PROGRESS_REPORTED,
    REPLIED,
    RETURNED,
    HandlingEntry,
    HandlingReply,
)
from services.review.handling.vocabulary import DELIVERIES, FINAL, KINDS, OUTCOMES, PROCEDURAL, PROGRESS
from services.review.identity.accounts.models import StaffAccount
from services.review.triage import states
from services.review.triage.access import get_item, require_acts_for, require_state
from services.review.triage.models import TriageItem
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.calendar import beijing_today
from shared.documents import pdf as pdf_documents
from shared.documents import word as word_documents
from shared.errors import Conflict, DomainError, ErrorKind
from shared.events import new_event
from shared.outbox import enqueue
from shared.storage import BlobStore, StagedBlobs, new_key

ACCEPTANCE_RULE = "handling.acceptance"
PROCEDURAL_RULE = "12309.procedural_reply"
RESULT_RULES = ("12309.result_reply", closing.FOLLOWUP_RULE)
WORK_ORDER_RULE = "court_12368.work_order"
ASSIGNMENT_RULE = "triage.assignment"  # triage's 交办 deadline: the handling unit's to perform
HANDLER_ROLE = "case_handler"
LEADER_ROLE = "unit_leader"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- refusals ------------------------------------------------------------------------------------


class ReasonsRequired(DomainError):
    field = "reasons"
    code = "reasons_required"
    message_zh = "退回须写明理由"
    message_en = "A return needs its reasons"


class InvalidHandler(DomainError):
    field = "handler_user_id"
    code = "invalid_handler"
    message_zh = "承办人须为本单位在职的承办人（case_handler）账户"
    message_en = "The handler must be an active case handler account of the handling unit"


class OnlyLeaderAssigns(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "only_leader_assigns"
    message_zh = "只有本单位负责人可以指定他人为承办人；承办人只能自己承办"
    message_en = "Only the unit leader assigns someone else; a case handler may only take the item"


class AlreadyAssigned(Conflict):
    code = "already_assigned"
    message_zh = "该事项已有承办人，改派须由本单位负责人办理"
    message_en = "The item already has a handler; only the unit leader reassigns it"


class HandlerUnchanged(Conflict):
    code = "handler_unchanged"
    message_zh = "该事项的承办人已是此人"
    message_en = "This person already handles the item"


class DateInFuture(DomainError):
    code = "date_in_future"
    message_zh = "日期不能晚于今天"
    message_en = "The date cannot be later than today"


class DateBeforeReceipt(DomainError):
    code = "date_before_receipt"
    message_zh = "日期不能早于收到该件的日期"
    message_en = "The date cannot be earlier than the day the petition was received"


class OutcomeRequired(DomainError):
    field = "outcome"
    code = "outcome_required"
    message_zh = "办理结果答复须选择处理结果"
    message_en = "A final reply needs its outcome"


class NoOpenReplyDeadline(Conflict):
    """A procedural or progress reply with no clock of its kind open: nothing it could be the reply to."""

    code = "no_open_reply_deadline"
    message_zh = "该事项没有正在计算的相应答复期限（程序性回复或办理进展答复）"
    message_en = "The item has no open deadline this kind of reply would meet"


class ReplyNotFound(DomainError):
    kind = ErrorKind.NOT_FOUND
    code = "reply_not_found"
    message_zh = "未找到该答复"
    message_en = "No such reply"


# --- inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyIn:
    """A 答复 as the handler records it (the form's and the API's fields)."""

    kind: str
    text: str
    delivery: str
    replied_on: date
    legal_basis: str
    outcome: str | None = None


# --- the acceptance clock ------------------------------------------------------------------------


def on_routed(session: Session, item: TriageItem, *, actor: Actor | str, routed_on: date | None = None) -> Deadline:
    """An item was 交办 (now ``routed`` to ``item.handling_unit_code``): attach ``handling.acceptance``.

    Called by triage's route in the same transaction; owned by the handling unit (its duty, its
    notices).  ``routed_on``: the start day (not counted), default today in Beijing.  Idempotent
    per item and day (the engine's rule).
    """
    start = routed_on or beijing_today()
    who = actor if isinstance(actor, str) else label(actor)
    return attach(session, subject=item.petition_id, rule_code=ACCEPTANCE_RULE, start_on=start,
                  unit_code=item.handling_unit_code, case_number=item.case_number, actor=who)


# --- helpers -------------------------------------------------------------------------------------


def _principal(actor: Actor) -> Principal:
    if actor.principal is None:
        raise RuntimeError("handling actions are taken by signed-in staff")
    return actor.principal


def _acting_item(session: Session, petition_id: str, actor: Actor, *allowed: str) -> TriageItem:
    """The item, locked, if the actor sees it (404), is of its handling unit (403) and it is in ``allowed`` (409)."""
    principal = _principal(actor)
    item = get_item(session, petition_id, principal=principal, for_update=True)
    require_acts_for(principal, item.handling_unit_code)
    require_state(item, *allowed)
    return item


def _open(session: Session, subject: str, *rule_codes: str) -> list[Deadline]:
    return list(session.scalars(
        select(Deadline).where(Deadline.subject == subject, Deadline.rule_code.in_(rule_codes), Deadline.status == OPEN)
        .order_by(Deadline.start_on, Deadline.created_at, Deadline.id)))


def _meet(session: Session, deadline: Deadline, *, actor: Actor, on: date, outcome: str = closing.FINAL,
          note: str | None = None) -> dict[str, Any]:
    """Close one 期限 as met on ``on`` (the engine records met or missed); what the reply keeps of it."""
    met = closing.meet(session, deadline_id=deadline.id, actor=label(actor), principal=None, met_on=on,
                       outcome=outcome, note=note)
    return {"deadline_id": met.id, "rule_code": met.rule_code, "title": met.title,
            "due_on": met.due_on.isoformat() if met.due_on else None, "met_on_time": met.met_on_time,
            "status": met.status}


def _snapshot(item: TriageItem) -> dict[str, Any]:
    return {"status": item.status, "handling_unit_code": item.handling_unit_code,
            "handler_user_id": item.handler_user_id, "handler_name": item.handler_name}


def _item_payload(item: TriageItem) -> dict[str, Any]:
    return {"petition_id": item.petition_id, "case_number": item.case_number, "unit_code": item.unit_code,
            "handling_unit_code": item.handling_unit_code, "status": item.status, "round": item.round}


def _entry(session: Session, item: TriageItem, kind: str, *, actor: Actor, unit_code: str | None,
           text: str | None = None, on: date | None = None, **data: Any) -> HandlingEntry:
    entry = HandlingEntry(petition_id=item.petition_id, round=item.round, kind=kind, unit_code=unit_code,
                          actor=actor.name, text=text, happened_on=on, data=data)
    session.add(entry)
    return entry


def _audit(session: Session, action: str, item: TriageItem, *, actor: Actor, before: dict[str, Any],
           detail: dict[str, Any] | None = None, subject: tuple[str, str] | None = None) -> None:
    subject_type, subject_id = subject or ("triage_item", item.id)
    record(session, action=action, subject_type=subject_type, subject_id=subject_id, before=before,
           after=_snapshot(item), detail={"petition_id": item.petition_id, "case_number": item.case_number,
                                          **(detail or {})}, **actor.fields())


def _announce(session: Session, event_type: str, item: TriageItem, *, actor: Actor, **data: Any) -> None:
    enqueue(session, new_event(event_type, subject=item.petition_id, source="review", actor=actor.name,
                               trace_id=actor.trace_id, data={**_item_payload(item), **data}))


def _check_day(day: date, item: TriageItem, *, field: str, today: date) -> None:
    if day > today:
        err = DateInFuture(date=day.isoformat(), today=today.isoformat())
        err.field = field
        raise err
    if day < item.received_on:
        err2 = DateBeforeReceipt(date=day.isoformat(), received_on=item.received_on.isoformat())
        err2.field = field
        raise err2


# --- 受理 / 退回 ----------------------------------------------------------------------------------


def accept(session: Session, *, petition_id: str, actor: Actor, today: date | None = None) -> TriageItem:
    """受理: the handling unit takes up a 交办 item (已交办 → 办理中), meeting its acceptance 期限."""
    item = _acting_item(session, petition_id, actor, states.ROUTED)
    day = today or beijing_today()
    before = _snapshot(item)
    met = [_meet(session, d, actor=actor, on=day, note="受理") for d in _open(session, item.petition_id, ACCEPTANCE_RULE)]
    item.status = states.HANDLING
    on_time = met[0]["met_on_time"] if met else None
    _entry(session, item, ACCEPTED, actor=actor, unit_code=item.handling_unit_code, on=day, deadlines_met=met)
    _audit(session, "handling.accept", item, actor=actor, before=before, detail={"deadlines_met": met})
    _announce(session, "handling.accepted", item, actor=actor, accepted_on=day, on_time=on_time)
    session.flush()
    return item


def return_(session: Session, *, petition_id: str, reasons: str, actor: Actor, today: date | None = None) -> TriageItem:
    """退回: the handling unit sends a 交办 item back to the receiving unit's queue, with its reasons.

    The acceptance 期限 is met (the unit answered in time or not); the 交办 deadline ends with the
    交办 (closed, noted 退回), so a fresh 交办 starts its own.
    """
    if not reasons or not reasons.strip():
        raise ReasonsRequired()
    item = _acting_item(session, petition_id, actor, states.ROUTED)
    day = today or beijing_today()
    before = _snapshot(item)
    from_unit = item.handling_unit_code or ""
    met = [_meet(session, d, actor=actor, on=day, note=f"退回：{reasons.strip()}")
           for d in _open(session, item.petition_id, ACCEPTANCE_RULE, ASSIGNMENT_RULE)]
    item.status = states.PENDING
    item.handling_unit_code = None
    item.handler_user_id = None
    item.handler_name = None
    _entry(session, item, RETURNED, actor=actor, unit_code=from_unit, text=reasons.strip(), on=day, deadlines_met=met)
    _audit(session, "handling.return", item, actor=actor, before=before,
           detail={"reasons": reasons.strip(), "deadlines_met": met})
    _announce(session, "handling.returned", item, actor=actor, from_unit_code=from_unit, reasons=reasons.strip(),
              returned_on=day)
    session.flush()
    return item


# --- 承办人 ---------------------------------------------------------------------------------------


def assign_handler(session: Session, *, petition_id: str, actor: Actor, handler_user_id: str | None = None) -> TriageItem:
    """The 承办人: a unit leader of the handling unit assigns (or reassigns) a case handler of that
    unit; a case handler takes an item nobody handles yet (``handler_user_id`` omitted or their own)."""
    principal = _principal(actor)
    item = _acting_item(session, petition_id, actor, states.HANDLING)
    leader = principal.has_role(LEADER_ROLE)
    target_id = handler_user_id or principal.user_id
    if not leader:
        if target_id != principal.user_id:
            raise OnlyLeaderAssigns()
        if item.handler_user_id is not None and item.handler_user_id != principal.user_id:
            raise AlreadyAssigned(handler_name=item.handler_name)
    if target_id == item.handler_user_id:
        raise HandlerUnchanged()
    account = session.get(StaffAccount, target_id)
    if (account is None or account.disabled or account.unit_code != item.handling_unit_code
            or HANDLER_ROLE not in account.roles):
        raise InvalidHandler(handler_user_id=target_id)
    before = _snapshot(item)
    previous = item.handler_name
    item.handler_user_id = account.id
    item.handler_name = account.display_name
    taken = account.id == principal.user_id
    _entry(session, item, HANDLER_ASSIGNED, actor=actor, unit_code=item.handling_unit_code,
           text=account.display_name, handler_user_id=account.id, previous_handler_name=previous, taken=taken)
    _audit(session, "handling.assign_handler", item, actor=actor, before=before, detail={"taken": taken})
    _announce(session, "handling.handler_assigned", item, actor=actor, handler_user_id=account.id,
              handler_name=account.display_name, previous_handler_name=previous, taken=taken)
    session.flush()
    return item


# --- 进展汇报 -------------------------------------------------------------------------------------


def report_progress(session: Session, *, petition_id: str, text: str, reported_on: date, actor: Actor,
                    today: date | None = None) -> HandlingEntry:
    """进展汇报: what the handling unit has done so far, on the item's history (not a reply to the petitioner)."""
    item = _acting_item(session, petition_id, actor, states.HANDLING)
    _check_day(reported_on, item, field="reported_on", today=today or beijing_today())
    before = _snapshot(item)
    entry = _entry(session, item, PROGRESS_REPORTED, actor=actor, unit_code=item.handling_unit_code,
                   text=text.strip(), on=reported_on)
    session.flush()
    _audit(session, "handling.report_progress", item, actor=actor, before=before,
           detail={"entry_id": entry.id, "reported_on": reported_on.isoformat()}, subject=("handling_entry", entry.id))
    _announce(session, "handling.progress_reported", item, actor=actor, reported_on=reported_on)
    return entry


# --- 答复 -----------------------------------------------------------------------------------------


def _reply_deadlines(session: Session, item: TriageItem, reply_in: ReplyIn, *, actor: Actor) -> list[dict[str, Any]]:
    """Meet the 期限 the reply performs, on the day it reached the petitioner."""
    on = reply_in.replied_on
    subject = item.petition_id
    if reply_in.kind == PROCEDURAL:
        open_ = _open(session, subject, PROCEDURAL_RULE)
        if not open_:
            raise NoOpenReplyDeadline(kind=PROCEDURAL)
        return [_meet(session, open_[0], actor=actor, on=on, note="程序性回复")]
    if reply_in.kind == PROGRESS:
        open_ = _open(session, subject, *RESULT_RULES)
        if not open_:
            raise NoOpenReplyDeadline(kind=PROGRESS)
        return [_meet(session, open_[0], actor=actor, on=on, outcome=closing.PROGRESS, note="办理进展答复")]
    met: list[dict[str, Any]] = []
    # The result chain first (meeting the result reply final also closes its open follow-ups),
    # then whatever else the final answer performs: a 7-day reply still open, the 12368 work
    # order, the 交办 deadline.
    while chain := _open(session, subject, *RESULT_RULES):
        met.append(_meet(session, chain[0], actor=actor, on=on, note="办理结果答复"))
    for deadline in _open(session, subject, PROCEDURAL_RULE, WORK_ORDER_RULE, ASSIGNMENT_RULE):
        met.append(_meet(session, deadline, actor=actor, on=on, note="办理结果答复"))
    return met


def _check_reply(reply_in: ReplyIn, item: TriageItem, *, today: date) -> None:
    if reply_in.kind not in KINDS:
        raise ValueError(f"kind {reply_in.kind!r}")  # the schema allows only KINDS
    if reply_in.delivery not in DELIVERIES or (reply_in.outcome is not None and reply_in.outcome not in OUTCOMES):
        raise ValueError("delivery or outcome outside the fixed lists")  # the schema allows only those
    if reply_in.kind == FINAL and not reply_in.outcome:
        raise OutcomeRequired()
    _check_day(reply_in.replied_on, item, field="replied_on", today=today)


def _put(blobs: StagedBlobs | BlobStore, data: bytes, content_type: str) -> tuple[str, str, int]:
    key = new_key("handling/replies")
    digest = hashlib.sha256(data).hexdigest()
    blobs.put(key, data, sha256=digest, content_type=content_type)
    return key, digest, len(data)


def reply(session: Session, *, petition_id: str, reply_in: ReplyIn, actor: Actor, blobs: StagedBlobs | BlobStore,
          today: date | None = None) -> HandlingReply:
    """答复: record the reply, meet the 期限 it performs, generate its document (PDF + DOCX, stored).

    ``blobs``: where the two files go; pass a ``StagedBlobs`` so a rolled-back transaction takes
    them back.  A final reply moves the item to 已答复 (waiting for the petitioner's 评价).
    """
    item = _acting_item(session, petition_id, actor, states.HANDLING)
    _check_reply(reply_in, item, today=today or beijing_today())
    before = _snapshot(item)
    met = _reply_deadlines(session, item, reply_in, actor=actor)
    handling_unit = item.handling_unit_code or ""
    organ = reply_document.organ_of(session, handling_unit)
    year = reply_in.replied_on.year
    serial = reply_document.next_serial(session, organ_code=organ.code, year=year)
    number = reply_document.document_number(organ, year=year, serial=serial)
    doc = reply_document.build(
        item, organ=organ, handling_unit=reply_document.unit_name(session, handling_unit), number=number,
        kind=reply_in.kind, text=reply_in.text, outcome=reply_in.outcome, delivery=reply_in.delivery,
        replied_on=reply_in.replied_on, legal_basis=reply_in.legal_basis)
    pdf_key, pdf_sha, pdf_size = _put(blobs, pdf_documents.render(doc), PDF)
    docx_key, docx_sha, docx_size = _put(blobs, word_documents.render(doc), DOCX)
    row = HandlingReply(
        petition_id=item.petition_id, case_number=item.case_number, round=item.round, kind=reply_in.kind,
        text=reply_in.text.strip(), outcome=reply_in.outcome, delivery=reply_in.delivery,
        replied_on=reply_in.replied_on, legal_basis=reply_in.legal_basis.strip(), unit_code=handling_unit,
        organ_code=organ.code, year=year, serial=serial, document_number=number, replied_by=actor.name,
        deadlines_met=met, pdf_key=pdf_key, pdf_sha256=pdf_sha, pdf_size=pdf_size, docx_key=docx_key,
        docx_sha256=docx_sha, docx_size=docx_size,
    )
    session.add(row)
    if reply_in.kind == FINAL:
        item.status = states.REPLIED
    session.flush()
    _entry(session, item, REPLIED, actor=actor, unit_code=handling_unit, text=reply_in.text.strip(),
           on=reply_in.replied_on, reply_id=row.id, reply_kind=reply_in.kind, outcome=reply_in.outcome,
           delivery=reply_in.delivery, document_number=number, deadlines_met=met)
    _audit(session, "handling.reply", item, actor=actor, before=before, subject=("handling_reply", row.id),
           detail={"kind": row.kind, "outcome": row.outcome, "delivery": row.delivery,
                   "replied_on": row.replied_on.isoformat(), "document_number": number, "deadlines_met": met})
    _announce(session, "handling.replied", item, actor=actor, reply_id=row.id, kind=row.kind, outcome=row.outcome,
              delivery=row.delivery, replied_on=row.replied_on, document_id=row.id, document_number=number,
              on_time=row.on_time)
    session.flush()
    return row


# --- reading -------------------------------------------------------------------------------------


def entries(session: Session, *, petition_id: str) -> list[HandlingEntry]:
    """The item's handling history, oldest first (the caller has checked the item is visible)."""
    return list(session.scalars(select(HandlingEntry).where(HandlingEntry.petition_id == petition_id)
                                .order_by(HandlingEntry.created_at, HandlingEntry.id)))


def replies(session: Session, *, petition_id: str) -> list[HandlingReply]:
    """The item's replies, oldest first (the caller has checked the item is visible)."""
    return list(session.scalars(select(HandlingReply).where(HandlingReply.petition_id == petition_id)
                                .order_by(HandlingReply.created_at, HandlingReply.id)))


def get_reply(session: Session, reply_id: str, *, principal: Principal) -> HandlingReply:
    """A reply whose item the principal sees; else ReplyNotFound (existence not revealed)."""
    row = session.get(HandlingReply, reply_id) if len(reply_id) <= 36 else None
    if row is None:
        raise ReplyNotFound(reply_id=reply_id)
    try:
        get_item(session, row.petition_id, principal=principal)
    except DomainError:
        raise ReplyNotFound(reply_id=reply_id) from None
    return row


def document_issued(session: Session, row: HandlingReply, *, fmt: str, actor: Actor) -> None:
    """Audit a download of the reply's document (who read which case's reply, in which format)."""
    record(session, action="handling.reply_document", subject_type="handling_reply", subject_id=row.id,
           detail={"petition_id": row.petition_id, "case_number": row.case_number, "format": fmt},
           **actor.fields())


def my_items(session: Session, *, principal: Principal, limit: int = 200) -> list[TriageItem]:
    """我的案件: the items the principal's unit handles and still has work on, nearest due date first."""
    query = (select(TriageItem)
             .where(TriageItem.handling_unit_code == principal.unit_code,
                    TriageItem.status.in_((states.ROUTED, states.HANDLING, states.REPLIED)))
             .order_by(TriageItem.next_due_on.is_(None), TriageItem.next_due_on, TriageItem.id).limit(limit))
    return list(session.scalars(query))
