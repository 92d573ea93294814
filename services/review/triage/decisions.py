"""分流 decisions on one 事项: classify it, and route it from 待分流 (services/review/triage/states.py).

Every decision is the receiving unit's own (``require_acts_for(principal, item.unit_code)``): a unit
above sees the item but does not triage for the unit below.  Each one changes the item, writes a
``triage_routings`` row, an audit row (before/after) and an event on the review topic, all in the
caller's transaction; a refusal raises before anything is written.

The routes (from ``pending`` only):

* 本单位办理 → ``handling`` at the receiving unit;
* 交办 to a department or a lower unit → ``routed``, with a ``triage.assignment`` 期限 of the days
  the officer set, owned by the target;
* 移送 inside the tree (procuratorate ↔ court) → the item moves to the other organ's receiving unit,
  ``pending`` there, and a ``triage.transfer_objection`` 期限 (5 个工作日, 信访工作条例 第二十三条)
  opens for that unit's 异议; outside the tree (an administrative organ) → ``transferred``;
* 一次性告知 → ``awaiting_materials``, the 12309 reply clocks paused until the materials arrive;
* 不予受理 → ``declined``: its notice is the 7-day procedural reply.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines import closing, suspensions
from services.review.deadlines.attaching import attach
from services.review.deadlines.authors import label
from services.review.deadlines.models import OPEN, Deadline, DeadlineSuspension
from services.review.triage import hooks, states, suggestions, targets
from services.review.triage.access import get_item, require_acts_for, require_state
from services.review.triage.models import TriageItem, TriageRouting
from shared.actor import Actor
from shared.audit.service import record
from shared.calendar import Unit
from shared.db.base import utcnow
from shared.errors import DomainError, ErrorKind
from shared.events import new_event
from shared.events.intake import CATEGORIES
from shared.outbox import enqueue

ASSIGNMENT_RULE = "triage.assignment"
OBJECTION_RULE = "triage.transfer_objection"
#: The 12309 clocks a 一次性告知 pauses and a 不予受理 or 移送 outside the tree closes.
REPLY_RULES = ("12309.procedural_reply", "12309.result_reply", "12309.progress_followup")
#: ... and the 12368 contact's own reply clock, which a 不予受理 or 移送 outside also ends.
CLOSED_ON_EXIT = (*REPLY_RULES, "court_12368.work_order")
PROCEDURAL_REPLY = "12309.procedural_reply"
MATERIALS_REASON = "awaiting_materials"
MATERIALS_BASIS = "《信访工作条例》第十九条、第二十三条：信访材料不齐全的，一次性告知需要补充的材料；补充期间不计入答复期限"


class InvalidCategory(DomainError):
    code = "invalid_category"
    message_zh = "类别不属于该线路的类别"
    message_en = "The category is not one of the line's categories"
    field = "category"


class NotATarget(DomainError):
    code = "not_a_target"
    message_zh = "所选单位不是本单位可以交办或移送的单位"
    message_en = "The chosen unit is not one this unit may assign or transfer to"
    field = "to_unit_code"


class OverrideReasonRequired(DomainError):
    code = "override_reason_required"
    message_zh = "未按分流建议办理的，须说明理由"
    message_en = "Routing other than the suggestion needs a reason"
    field = "override_reason"


class MaterialsAlreadyRequested(DomainError):
    """一次性告知 means once: a second list of missing materials is refused."""

    kind = ErrorKind.CONFLICT
    code = "materials_already_requested"
    message_zh = "已一次性告知需补充的材料，不能再次要求补充"
    message_en = "The missing materials were already listed once; they cannot be asked for again"


class NotTransferred(DomainError):
    kind = ErrorKind.CONFLICT
    code = "not_transferred"
    message_zh = "该事项不是移送来的事项，或异议期已结束"
    message_en = "The matter was not transferred here, or its objection window has ended"


class ObjectionWindowClosed(DomainError):
    kind = ErrorKind.CONFLICT
    code = "objection_window_closed"
    message_zh = "异议期（5个工作日）已过，移送成立，不能再提出异议"
    message_en = "The 5 working days to object have passed: the transfer stands"


@dataclass(frozen=True)
class Classification:
    is_enterprise: bool
    enterprise_reason: str
    category: str | None = None  # None: confirm the registered (or last classified) category


@dataclass(frozen=True)
class Route:
    """A routing decision as the officer made it (the API's and the form's fields, typed)."""

    route: str  # here | assigned | transferred_in_tree | transferred_out
    to_unit_code: str | None = None  # assigned: the department or lower unit; in tree: the organ
    to_organ: str | None = None  # transferred_out: the organ's name
    days: int | None = None  # assigned: the 期限 in days
    working_days: bool = False  # assigned: count the days as 工作日
    override_reason: str | None = None
    reasons: str | None = None  # 移送's reason (optional)


# -- helpers -------------------------------------------------------------------------------------

def _snapshot(item: TriageItem) -> dict[str, Any]:
    return {"status": item.status, "unit_code": item.unit_code, "handling_unit_code": item.handling_unit_code,
            "category": item.category, "is_enterprise": item.is_enterprise}


def ref(item: TriageItem) -> dict[str, Any]:
    """The fields every workflow event carries about the item (after the change)."""
    return {"petition_id": item.petition_id, "case_number": item.case_number, "unit_code": item.unit_code,
            "handling_unit_code": item.handling_unit_code, "status": item.status, "round": item.round}


def _emit(session: Session, item: TriageItem, type_: str, actor: Actor, **data: Any) -> None:
    enqueue(session, new_event(type_, subject=item.petition_id, source="review", actor=actor.name,
                               trace_id=actor.trace_id, data={**ref(item), **data}))


def _audit(session: Session, item: TriageItem, action: str, actor: Actor, before: dict[str, Any],
           **detail: Any) -> None:
    record(session, action=action, subject_type="triage_item", subject_id=item.id, before=before,
           after=_snapshot(item), detail={"petition_id": item.petition_id, **detail}, **actor.fields())


def _routing(session: Session, item: TriageItem, kind: str, actor: Actor, today: _dt.date, **values: Any) -> TriageRouting:
    row = TriageRouting(petition_id=item.petition_id, kind=kind, round=item.round, decided_on=today,
                        decided_by=actor.name, **values)
    session.add(row)
    return row


def _load(session: Session, petition_id: str, actor: Actor) -> TriageItem:
    """The item, locked, if the actor sees it (404) and is of its receiving unit (403)."""
    assert actor.principal is not None, "a triage decision is a person's"
    item = get_item(session, petition_id, principal=actor.principal, for_update=True)
    require_acts_for(actor.principal, item.unit_code)
    return item


def _open(session: Session, petition_id: str, *codes: str) -> list[Deadline]:
    return list(session.scalars(select(Deadline).where(
        Deadline.subject == petition_id, Deadline.status == OPEN, Deadline.rule_code.in_(codes))
        .order_by(Deadline.start_on, Deadline.id).with_for_update()))


def _require_override_reason(item: TriageItem, chosen: str | None, reason: str | None) -> str | None:
    """The suggested unit when the officer chose another (a reason is then required), else None."""
    suggestion = suggestions.suggest(item)
    if suggestion is None or suggestion.unit_code == chosen:
        return None
    if not (reason and reason.strip()):
        raise OverrideReasonRequired(suggested=suggestion.unit_code, chosen=chosen)
    return suggestion.unit_code


def _settle_objection_window(session: Session, item: TriageItem, actor: Actor, today: _dt.date) -> None:
    """A transferred matter the target routes on: it accepted the transfer, the 异议 window is met."""
    for deadline in _open(session, item.petition_id, OBJECTION_RULE):
        closing.meet(session, deadline_id=deadline.id, actor=label(actor), principal=None, met_on=today,
                     note="接收移送：受移送单位已分流办理")


# -- classify ------------------------------------------------------------------------------------

def classify(session: Session, *, petition_id: str, classification: Classification, actor: Actor,
             at: _dt.datetime | None = None) -> TriageItem:
    """涉企 or not, with the reason; the category confirmed or corrected. Any state still being worked."""
    item = _load(session, petition_id, actor)
    require_state(item, *states.ACTIVE)
    category = classification.category or item.category or item.petition_type
    if category not in CATEGORIES.get(item.line, ()):
        raise InvalidCategory(category=category, line=item.line)
    before = {**_snapshot(item), "enterprise_reason": item.enterprise_reason}
    item.is_enterprise = classification.is_enterprise
    item.enterprise_reason = classification.enterprise_reason.strip()
    item.category = category
    item.classified_at = at or utcnow()
    item.classified_by = actor.name
    session.flush()
    _audit(session, item, "triage.classify", actor, before, enterprise_reason=item.enterprise_reason,
           registered_category=item.petition_type)
    _emit(session, item, "triage.classified", actor, is_enterprise=item.is_enterprise,
          enterprise_reason=item.enterprise_reason, category=category, registered_category=item.petition_type,
          corrected=category != item.petition_type, classified_at=item.classified_at)
    return item


# -- route ---------------------------------------------------------------------------------------

def route(session: Session, *, petition_id: str, decision: Route, actor: Actor, today: _dt.date) -> TriageItem:
    """Route a 待分流 matter: here, 交办, or 移送 (in the tree or out of it)."""
    item = _load(session, petition_id, actor)
    require_state(item, *states.TRIAGEABLE)
    if decision.route == "here":
        return _route_here(session, item, decision, actor, today)
    if decision.route == "assigned":
        return _assign(session, item, decision, actor, today)
    if decision.route == "transferred_in_tree":
        return _transfer_in_tree(session, item, decision, actor, today)
    if decision.route == "transferred_out":
        return _transfer_out(session, item, decision, actor, today)
    raise ValueError(f"unknown route {decision.route!r}")  # the schema allows only the four


def _route_here(session: Session, item: TriageItem, decision: Route, actor: Actor, today: _dt.date) -> TriageItem:
    suggested = _require_override_reason(item, item.unit_code, decision.override_reason)
    before = _snapshot(item)
    _settle_objection_window(session, item, actor, today)
    item.status = states.HANDLING
    item.handling_unit_code = item.unit_code
    _routing(session, item, "here", actor, today, from_unit_code=item.unit_code, to_unit_code=item.unit_code,
             suggested_unit_code=suggested, override_reason=decision.override_reason if suggested else None)
    return _routed(session, item, actor, before, route="here", to_unit_code=item.unit_code, suggested=suggested,
                   override_reason=decision.override_reason)


def _assign(session: Session, item: TriageItem, decision: Route, actor: Actor, today: _dt.date) -> TriageItem:
    target = decision.to_unit_code
    if target not in {t.code for t in targets.assignable(item.unit_code)}:
        raise NotATarget(to_unit_code=target, unit_code=item.unit_code)
    assert target is not None  # the schema requires it for 交办
    suggested = _require_override_reason(item, target, decision.override_reason)
    before = _snapshot(item)
    _settle_objection_window(session, item, actor, today)
    # The days the officer set; none set: the rule's default (triage.assignment in rules.toml).
    period = (decision.days, Unit.WORKING_DAY if decision.working_days else Unit.DAY) if decision.days else None
    deadline = attach(session, subject=item.petition_id, rule_code=ASSIGNMENT_RULE, start_on=today, unit_code=target,
                      case_number=item.case_number, actor=label(actor), period=period)
    item.status = states.ROUTED
    item.handling_unit_code = target
    hooks.assigned(session, item, actor, today)  # 审查办理: the unit's acceptance clock starts
    _routing(session, item, "assigned", actor, today, from_unit_code=item.unit_code, to_unit_code=target,
             suggested_unit_code=suggested, override_reason=decision.override_reason if suggested else None,
             deadline_id=deadline.id, due_on=deadline.due_on)
    return _routed(session, item, actor, before, route="assigned", to_unit_code=target, due_on=deadline.due_on,
                   suggested=suggested, override_reason=decision.override_reason, deadline_id=deadline.id,
                   days=decision.days, working_days=decision.working_days)


def _transfer_in_tree(session: Session, item: TriageItem, decision: Route, actor: Actor, today: _dt.date) -> TriageItem:
    organ = decision.to_unit_code
    if organ not in {t.code for t in targets.transfer_organs(item.unit_code)}:
        raise NotATarget(to_unit_code=organ, unit_code=item.unit_code)
    assert organ is not None
    receiving = targets.receiving_unit_of(organ)
    suggested = _require_override_reason(item, receiving, decision.override_reason)
    before = _snapshot(item)
    sender = item.unit_code
    _settle_objection_window(session, item, actor, today)  # a transfer on of a transfer: the first stands
    deadline = attach(session, subject=item.petition_id, rule_code=OBJECTION_RULE, start_on=today, unit_code=receiving,
                      case_number=item.case_number, actor=label(actor))
    item.unit_code = receiving
    item.handling_unit_code = None
    item.status = states.PENDING
    _routing(session, item, "transferred_in_tree", actor, today, from_unit_code=sender, to_unit_code=receiving,
             suggested_unit_code=suggested, override_reason=decision.override_reason if suggested else None,
             reasons=decision.reasons, deadline_id=deadline.id, due_on=deadline.due_on)
    return _routed(session, item, actor, before, route="transferred_in_tree", to_unit_code=receiving,
                   from_unit_code=sender, due_on=deadline.due_on, suggested=suggested,
                   override_reason=decision.override_reason, deadline_id=deadline.id, organ=organ)


def _transfer_out(session: Session, item: TriageItem, decision: Route, actor: Actor, today: _dt.date) -> TriageItem:
    organ = (decision.to_organ or "").strip()
    assert organ, "the schema requires the organ's name"
    suggested = _require_override_reason(item, None, decision.override_reason)
    before = _snapshot(item)
    _settle_objection_window(session, item, actor, today)
    # The 移送告知 to the petitioner is this unit's procedural reply; the result is the organ's to give.
    _close_reply_clocks(session, item, actor, today, procedural_note=f"移送{organ}并告知信访人",
                        result_note=f"已移送{organ}，办理结果由其答复")
    item.status = states.TRANSFERRED
    item.handling_unit_code = None
    _routing(session, item, "transferred_out", actor, today, from_unit_code=item.unit_code, to_organ=organ,
             suggested_unit_code=suggested, override_reason=decision.override_reason if suggested else None,
             reasons=decision.reasons)
    return _routed(session, item, actor, before, route="transferred_out", to_organ=organ, suggested=suggested,
                   override_reason=decision.override_reason)


def _routed(session: Session, item: TriageItem, actor: Actor, before: dict[str, Any], *, route: str,
            to_unit_code: str | None = None, to_organ: str | None = None, from_unit_code: str | None = None,
            due_on: _dt.date | None = None, suggested: str | None, override_reason: str | None,
            **detail: Any) -> TriageItem:
    session.flush()
    override = {"suggested_unit_code": suggested, "override_reason": override_reason if suggested else None}
    _audit(session, item, "triage.route", actor, before, route=route, to_unit_code=to_unit_code, to_organ=to_organ,
           due_on=due_on, chosen_unit_code=to_unit_code, **override, **detail)
    _emit(session, item, "triage.routed", actor, route=route, from_unit_code=from_unit_code or before["unit_code"],
          to_unit_code=to_unit_code, to_organ=to_organ, due_on=due_on, **override)
    return item


def _close_reply_clocks(session: Session, item: TriageItem, actor: Actor, today: _dt.date, *, procedural_note: str,
                        result_note: str) -> None:
    """The notice is the 7-day procedural reply (met); the result reply is closed with a note."""
    for deadline in _open(session, item.petition_id, *CLOSED_ON_EXIT):
        if deadline.status != OPEN:  # a follow-up closed with its result reply a moment ago
            continue
        note = procedural_note if deadline.rule_code == PROCEDURAL_REPLY else result_note
        closing.meet(session, deadline_id=deadline.id, actor=label(actor), principal=None, met_on=today, note=note)


# -- 一次性告知 ------------------------------------------------------------------------------------

def request_materials(session: Session, *, petition_id: str, materials: list[str], note: str | None, actor: Actor,
                      today: _dt.date) -> TriageItem:
    """List the missing materials, once; the running 12309 reply clocks pause from today."""
    item = _load(session, petition_id, actor)
    require_state(item, *states.TRIAGEABLE)
    asked = session.scalar(select(TriageRouting.id).where(
        TriageRouting.petition_id == item.petition_id, TriageRouting.kind == "materials_requested"))
    if asked is not None:
        raise MaterialsAlreadyRequested(petition_id=item.petition_id)
    before = _snapshot(item)
    paused = []
    for deadline in _open(session, item.petition_id, *REPLY_RULES):
        open_suspension = any(s.resumed_on is None for s in deadline_suspensions(session, deadline.id))
        # A clock already past its due date cannot be paused retroactively; one already paused stays so.
        if open_suspension or deadline.due_on is None or deadline.due_on < today:
            continue
        suspensions.suspend(session, deadline_id=deadline.id, reason=MATERIALS_REASON, basis=MATERIALS_BASIS,
                            start_on=today, actor=label(actor), principal=None)
        paused.append(deadline.id)
    item.status = states.AWAITING_MATERIALS
    cleaned = [m.strip() for m in materials if m.strip()]
    _routing(session, item, "materials_requested", actor, today, from_unit_code=item.unit_code, materials=cleaned,
             reasons=note)
    session.flush()
    _audit(session, item, "triage.request_materials", actor, before, materials=cleaned, note=note, paused=paused)
    _emit(session, item, "triage.materials_requested", actor, materials=cleaned, note=note, requested_on=today)
    return item


def deadline_suspensions(session: Session, deadline_id: str) -> list[DeadlineSuspension]:
    return list(session.scalars(select(DeadlineSuspension).where(DeadlineSuspension.deadline_id == deadline_id)))


def receive_materials(session: Session, *, petition_id: str, actor: Actor, today: _dt.date) -> TriageItem:
    """The materials arrived: lift the 一次性告知's pauses from today, back to 待分流."""
    item = _load(session, petition_id, actor)
    require_state(item, states.AWAITING_MATERIALS)
    before = _snapshot(item)
    lifted = []
    for deadline in _open(session, item.petition_id, *REPLY_RULES):
        for suspension in deadline_suspensions(session, deadline.id):
            if suspension.resumed_on is None and suspension.reason == MATERIALS_REASON:
                suspensions.lift(session, deadline_id=deadline.id, suspension_id=suspension.id,
                                 resumed_on=max(today, suspension.start_on), actor=label(actor), principal=None)
                lifted.append(deadline.id)
    item.status = states.PENDING
    _routing(session, item, "materials_received", actor, today, from_unit_code=item.unit_code)
    session.flush()
    _audit(session, item, "triage.receive_materials", actor, before, resumed=lifted)
    _emit(session, item, "triage.materials_received", actor, received_on=today)
    return item


# -- 不予受理 --------------------------------------------------------------------------------------

def decline(session: Session, *, petition_id: str, reasons: str, basis: str, actor: Actor,
            today: _dt.date) -> TriageItem:
    """不予受理 with reasons and legal basis: the notice meets the procedural reply; the result reply closes."""
    item = _load(session, petition_id, actor)
    require_state(item, *states.TRIAGEABLE)
    before = _snapshot(item)
    _settle_objection_window(session, item, actor, today)
    _close_reply_clocks(session, item, actor, today, procedural_note="不予受理告知",
                        result_note="不予受理，不再答复办理结果")
    item.status = states.DECLINED
    _routing(session, item, "declined", actor, today, from_unit_code=item.unit_code, reasons=reasons.strip(),
             basis=basis.strip())
    session.flush()
    _audit(session, item, "triage.decline", actor, before, reasons=reasons.strip(), basis=basis.strip())
    _emit(session, item, "triage.declined", actor, reasons=reasons.strip(), basis=basis.strip(), declined_on=today)
    return item


# -- 移送's 异议 -----------------------------------------------------------------------------------

def last_transfer(session: Session, petition_id: str) -> TriageRouting | None:
    return session.scalar(select(TriageRouting).where(
        TriageRouting.petition_id == petition_id, TriageRouting.kind == "transferred_in_tree")
        .order_by(TriageRouting.created_at.desc(), TriageRouting.id.desc()).limit(1))


def object_to_transfer(session: Session, *, petition_id: str, reasons: str, actor: Actor,
                       today: _dt.date) -> TriageItem:
    """The target's 异议 within its 5 working days: the matter goes back to the sender, 待分流."""
    item = _load(session, petition_id, actor)
    require_state(item, states.PENDING)
    windows = _open(session, item.petition_id, OBJECTION_RULE)
    transfer = last_transfer(session, item.petition_id)
    if not windows or transfer is None or transfer.to_unit_code != item.unit_code or transfer.from_unit_code is None:
        raise NotTransferred(petition_id=item.petition_id)
    window = windows[-1]
    if window.due_on is not None and today > window.due_on:
        raise ObjectionWindowClosed(due_on=window.due_on.isoformat())
    before = _snapshot(item)
    objecting = item.unit_code
    closing.meet(session, deadline_id=window.id, actor=label(actor), principal=None, met_on=today,
                 note=f"受移送单位提出异议：{reasons.strip()}")
    item.unit_code = transfer.from_unit_code
    item.handling_unit_code = None
    item.status = states.PENDING
    _routing(session, item, "transfer_objected", actor, today, from_unit_code=objecting,
             to_unit_code=transfer.from_unit_code, reasons=reasons.strip(), deadline_id=window.id)
    session.flush()
    _audit(session, item, "triage.object_transfer", actor, before, reasons=reasons.strip(), window_due_on=window.due_on)
    _emit(session, item, "triage.transfer_objected", actor, reasons=reasons.strip(), from_unit_code=objecting,
          objected_on=today)
    return item


def settle_expired_transfers(session: Session, *, today: _dt.date, limit: int = 100) -> int:
    """Every 异议 window that ended before ``today`` unobjected: the transfer stands, the window is met
    on its last day. A system action (the scheduler's ``triage-transfers`` job)."""
    windows = list(session.scalars(select(Deadline).where(
        Deadline.rule_code == OBJECTION_RULE, Deadline.status == OPEN, Deadline.due_on < today)
        .order_by(Deadline.due_on, Deadline.id).limit(limit).with_for_update(skip_locked=True)))
    for window in windows:
        assert window.due_on is not None
        closing.meet(session, deadline_id=window.id, actor="system:triage-transfers", principal=None,
                     met_on=window.due_on, note="异议期届满未提出异议，移送成立")
    return len(windows)


def history(session: Session, petition_id: str) -> list[TriageRouting]:
    """The item's 分流 decisions, oldest first (the case page's record)."""
    return list(session.scalars(select(TriageRouting).where(TriageRouting.petition_id == petition_id)
                                .order_by(TriageRouting.created_at, TriageRouting.id)))
