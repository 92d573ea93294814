"""The rules of 12368 工单: create (or record an answer on the spot), reply, 转办, 改派, and who sees and acts.

* **Create**: the 12368 clerk (``court_clerk``) of the 事项's receiving unit (the 诉讼服务中心),
  on a 12368 item still 待分流 or 办理中.  An order goes to a judge and/or a division of the
  court's tree (targets.py) and starts the judge's clock (clocks.py); the item becomes 办理中 with
  the division as its handling unit.  An answer given on the spot is an order closed at once.
* **Reply**: the division's people (its judges and its head) at any level; once escalated to the
  center (level 2), the center's clerks too.  When no order of the item is open any more the
  item is 已答复 and the contact's clock from receipt is met (or missed).
* **转办** (transfer): the division's people, to a judge or division *outside* their division,
  with reasons: the old owner's clock closes (met if before its due date), the new owner gets a
  clock of its own and the escalation starts again from the judge.
* **改派** (reassign): the division head, to another judge of the division, with reasons: the
  clock runs on (a move inside the division buys no time).
* **Seeing**: an order is seen by whoever sees its division, the unit holding it, or the center
  that made it (their units and those above; the task force all).  Acting is for the unit's own
  people only (403 ``not_your_unit``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from services.review.deadlines.authors import label
from services.review.deadlines.models import OPEN as DEADLINE_OPEN, Deadline
from services.review.triage import states
from services.review.triage.access import NotYourUnit, get_item, require_acts_for, require_state
from services.review.triage.models import TriageItem
from services.review.work_orders import clocks, targets
from services.review.work_orders.models import (
    CENTER_LEVEL,
    JUDGE_LEVEL,
    ON_THE_SPOT,
    OPEN,
    ORDER,
    REASSIGN,
    REPLIED,
    TRANSFER,
    WorkOrder,
    WorkOrderEscalation,
    WorkOrderTransfer,
)
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.calendar import beijing_date
from shared.db.base import utcnow
from shared.errors import DomainError, ErrorKind, Forbidden, NotFound
from shared.events import new_event
from shared.outbox import enqueue

#: Who creates orders: the 12368 clerks of the 诉讼服务中心.
CREATE_ROLES = ("court_clerk",)
#: Who answers an order of their division (judges, the head); escalated to the center, its clerks.
ANSWER_ROLES = ("judge", "unit_leader", "court_clerk")
#: Who transfers an order of their division to another.
TRANSFER_ROLES = ("judge", "unit_leader")
#: Who reassigns within the division: its head.
REASSIGN_ROLES = ("unit_leader",)
READ_ROLES = ("judge", "unit_leader", "court_clerk", "task_force")
#: The states of the 事项 an order may be made in.
CREATABLE = (states.PENDING, states.HANDLING)
LINE = "12368"


class WorkOrderNotFound(NotFound):
    code = "work_order_not_found"
    message_zh = "未找到该工单"
    message_en = "No such work order"


class NotA12368Item(DomainError):
    kind = ErrorKind.CONFLICT
    code = "work_order.not_12368"
    message_zh = "只有12368诉讼服务事项可以生成工单"
    message_en = "Only a 12368 matter has work orders"


class OrderClosed(DomainError):
    kind = ErrorKind.CONFLICT
    code = "work_order.closed"
    message_zh = "该工单已回复，不能再办理"
    message_en = "The order has been replied to already"


class ClerksOnly(Forbidden):
    code = "work_order.clerks_only"
    message_zh = "只有诉讼服务中心的工作人员可以生成工单"
    message_en = "Only the 诉讼服务中心's clerks create work orders"


class HeadsOnly(Forbidden):
    code = "work_order.heads_only"
    message_zh = "只有本庭庭长（部门负责人）可以改派"
    message_en = "Only the division's head reassigns an order"


class GreenChannelNotEnterprise(DomainError):
    code = "work_order.green_channel_not_enterprise"
    field = "is_green_channel"
    message_zh = "绿色通道仅适用于涉企事项或已准予立案绿色通道的案件"
    message_en = "The green channel is for 涉企 matters or cases granted the 立案绿色通道 only"


class SameTarget(DomainError):
    code = "work_order.same_target"
    field = "to_username"
    message_zh = "工单已在该法官或部门处"
    message_en = "The order is with that judge or division already"


class TransferWithinDivision(DomainError):
    code = "work_order.transfer_within_division"
    field = "to_unit_code"
    message_zh = "本庭内更换承办法官请由庭长改派"
    message_en = "Within the division, the head reassigns the order (转办 is to another division)"


# --- seeing ----------------------------------------------------------------------------------


def sees(principal: Principal | None, order: WorkOrder) -> bool:
    return any(can_see(principal, unit) for unit in (order.unit_code, order.owner_unit_code, order.origin_unit_code))


def visible(query: Select[Any], principal: Principal | None) -> Select[Any]:
    """``query`` (over work_orders) narrowed to the orders the principal sees; None = a system caller."""
    if principal is None or principal.visible_units is None:
        return query
    if not principal.visible_units:
        return query.where(false())
    units = sorted(principal.visible_units)
    return query.where(or_(WorkOrder.unit_code.in_(units), WorkOrder.owner_unit_code.in_(units),
                           WorkOrder.origin_unit_code.in_(units)))


def get_or_raise(session: Session, order_id: str, *, principal: Principal | None, for_update: bool = False) -> WorkOrder:
    """The order if the principal sees it (row-locked with ``for_update``); else WorkOrderNotFound."""
    query = select(WorkOrder).where(WorkOrder.id == order_id)
    if for_update:
        query = query.with_for_update()
    order = session.scalar(query)
    if order is None or not sees(principal, order):
        raise WorkOrderNotFound(work_order_id=order_id)
    return order


def may_answer(principal: Principal, order: WorkOrder) -> bool:
    """The division's judges and head; once escalated to the center, its clerks as well."""
    if order.status != OPEN:
        return False
    if principal.unit_code == order.unit_code and principal.has_role("judge", "unit_leader"):
        return True
    return (order.level == CENTER_LEVEL and principal.unit_code == order.owner_unit_code
            and principal.has_role("court_clerk"))


def may_transfer(principal: Principal, order: WorkOrder) -> bool:
    return order.status == OPEN and principal.unit_code == order.unit_code and principal.has_role(*TRANSFER_ROLES)


def may_reassign(principal: Principal, order: WorkOrder) -> bool:
    return order.status == OPEN and principal.unit_code == order.unit_code and principal.has_role(*REASSIGN_ROLES)


def may_create(principal: Principal, item: TriageItem) -> bool:
    return (item.line == LINE and item.status in CREATABLE and principal.unit_code == item.unit_code
            and principal.has_role(*CREATE_ROLES))


# --- what is recorded ------------------------------------------------------------------------


def summary(order: WorkOrder) -> dict[str, Any]:
    """The order as the audit log keeps it (no personal numbers: the request is masked by the log)."""
    return {
        "petition_id": order.petition_id, "kind": order.kind, "status": order.status,
        "related_case_number": order.related_case_number, "unit_code": order.unit_code,
        "assignee_name": order.assignee_name, "owner_unit_code": order.owner_unit_code, "level": order.level,
        "assignment": order.assignment, "is_green_channel": order.is_green_channel,
        "green_source": order.green_source, "deadline_id": order.deadline_id,
        "reply_delivery": order.reply_delivery, "replied_on": order.replied_on,
    }


def item_state(item: TriageItem) -> dict[str, Any]:
    """What an order changes on its 事项, as the audit row keeps it."""
    return {"status": item.status, "handling_unit_code": item.handling_unit_code,
            "handler_name": item.handler_name}


def emit(session: Session, type_: str, order: WorkOrder, item: TriageItem, actor: Actor, **extra: Any) -> None:
    """Enqueue ``work_order.*`` (subject: the petition) with the item's and the order's state after the change."""
    deadline = session.get(Deadline, order.deadline_id) if order.deadline_id and order.status == OPEN else None
    data = {
        "petition_id": item.petition_id, "case_number": item.case_number, "unit_code": item.unit_code,
        "handling_unit_code": item.handling_unit_code, "status": item.status, "round": item.round,
        "work_order_id": order.id, "related_case_number": order.related_case_number,
        "order_status": order.status, "order_unit_code": order.unit_code,
        "owner_unit_code": order.owner_unit_code, "level": order.level,
        "is_green_channel": order.is_green_channel,
        "deadline_id": deadline.id if deadline else None,
        "due_on": deadline.due_on.isoformat() if deadline and deadline.due_on else None,
        **extra,
    }
    enqueue(session, new_event(type_, subject=item.petition_id, source="review", actor=actor.name, data=data,
                               trace_id=actor.trace_id))


def audit_change(session: Session, action: str, order: WorkOrder, actor: Actor, *, before: dict[str, Any] | None,
                 item_before: dict[str, Any], item: TriageItem, **detail: Any) -> None:
    """The audit row of a change of ``order``: before/after of the order and of its item."""
    record(session, action=action, subject_type="work_order", subject_id=order.id,
           before=None if before is None else {**before, "item": item_before},
           after={**summary(order), "item": item_state(item)}, detail=detail or None, **actor.fields())


def _principal(actor: Actor) -> Principal:
    if actor.principal is None:
        raise ClerksOnly()
    return actor.principal


def _green(session: Session, item: TriageItem, related_case_number: str, ticked: bool | None) -> tuple[bool, str | None]:
    """Whether the order runs on the 绿色通道 limits, and why: the clerk's tick, or the case's granted channel."""
    # A granted 立案绿色通道 is a court.green_channel deadline on the case (cases/court/service.py).
    granted = session.scalar(select(func.count()).select_from(Deadline).where(
        Deadline.rule_code == "court.green_channel", Deadline.case_number == related_case_number)) or 0
    if ticked is None:
        return (True, "court_case") if granted else (False, None)
    if ticked and not (item.is_enterprise or granted):
        raise GreenChannelNotEnterprise(is_green_channel=["the matter is not 涉企"])
    return (True, "clerk") if ticked else (False, None)


def _today(now: _dt.datetime | None) -> tuple[_dt.datetime, _dt.date]:
    at = now or utcnow()
    return at, beijing_date(at)


def _open_orders_left(session: Session, petition_id: str, *, besides: str) -> int:
    return session.scalar(select(func.count()).select_from(WorkOrder).where(
        WorkOrder.petition_id == petition_id, WorkOrder.status == OPEN, WorkOrder.id != besides)) or 0


def _answered(session: Session, item: TriageItem, order: WorkOrder, *, today: _dt.date, actor: Actor) -> None:
    """The caller has their answer when no order of the item is open: 已答复, the contact's clock closed."""
    if _open_orders_left(session, item.petition_id, besides=order.id):
        return
    item.status = states.REPLIED
    contact = clocks.contact_clock(session, item.petition_id)
    if contact is not None:
        clocks.close(session, contact.id, on=today, actor=label(actor), note=f"工单 {order.id} 已答复来电人")


# --- the actions -----------------------------------------------------------------------------


def create(
    session: Session, *, petition_id: str, order_in: dict[str, Any], actor: Actor, now: _dt.datetime | None = None,
) -> WorkOrder:
    """A work order from a 12368 contact (or the record of its answer on the spot).

    :raise ItemNotFound: the item is not visible to the clerk.
    :raise NotA12368Item: a 12309 matter.
    :raise NotYourUnit: the clerk is not of the item's receiving unit.
    :raise ClerksOnly: not a 12368 clerk.
    :raise WrongState: the item is not 待分流 or 办理中.
    :raise TargetRequired, NotAJudge, NotInCourtTree, JudgeNotInUnit: the target (targets.py).
    :raise GreenChannelNotEnterprise: 绿色通道 ticked for a matter that is not 涉企.
    """
    principal = _principal(actor)
    item = get_item(session, petition_id, principal=principal, for_update=True)
    if item.line != LINE:
        raise NotA12368Item(line=item.line)
    require_acts_for(principal, item.unit_code)
    if not principal.has_role(*CREATE_ROLES):
        raise ClerksOnly()
    require_state(item, *CREATABLE)
    assert item.unit_code is not None
    at, today = _today(now)
    related = order_in["related_case_number"]
    green, source = _green(session, item, related, order_in.get("is_green_channel"))
    item_before = item_state(item)
    order = WorkOrder(
        petition_id=item.petition_id, case_number=item.case_number, related_case_number=related,
        origin_unit_code=item.unit_code, kind=order_in.get("kind", ORDER), request=order_in["request"],
        is_green_channel=green, green_source=source, created_by=actor.name, created_on=today,
        level=JUDGE_LEVEL, assignment=1,
    )
    if order.kind == ON_THE_SPOT:
        order.unit_code = order.owner_unit_code = item.unit_code
        order.status = REPLIED
        order.reply_text, order.reply_delivery = order_in["reply_text"], order_in["delivery"]
        order.replied_by, order.replied_at, order.replied_on = actor.name, at, today
        session.add(order)
        session.flush()
        if item.handling_unit_code is None:
            item.handling_unit_code = item.unit_code
        _answered(session, item, order, today=today, actor=actor)
    else:
        target = targets.resolve(session, origin_unit_code=item.unit_code, to_username=order_in.get("to_username"),
                                 to_unit_code=order_in.get("to_unit_code"))
        order.unit_code = order.owner_unit_code = target.unit_code
        order.assignee_user_id, order.assignee_name = target.user_id, target.name
        order.status = OPEN
        session.add(order)
        session.flush()
        clock = clocks.start(session, order_id=order.id, assignment=1, level=JUDGE_LEVEL, green=green,
                             start_on=today, owner_unit_code=target.unit_code, case_number=item.case_number,
                             actor=label(actor))
        order.deadline_id = clock.id
        item.status = states.HANDLING
        item.handling_unit_code = target.unit_code
        item.handler_user_id, item.handler_name = target.user_id, target.name
    session.flush()
    audit_change(session, "work_order.create", order, actor, before=None, item_before=item_before, item=item,
                 request=order.request)
    emit(session, "work_order.created", order, item, actor, kind=order.kind, assignee_name=order.assignee_name,
         created_on=today.isoformat())
    if order.kind == ON_THE_SPOT:
        emit(session, "work_order.replied", order, item, actor, delivery=order.reply_delivery,
             replied_on=today.isoformat(), on_time=None)
    return order


def reply(
    session: Session, *, order_id: str, reply_in: dict[str, Any], actor: Actor, now: _dt.datetime | None = None,
) -> WorkOrder:
    """The reply: text and how the caller was told; the owner's clock is met (or missed).

    :raise WorkOrderNotFound: not visible.
    :raise OrderClosed: replied already.
    :raise NotYourUnit: not the division's people (nor, escalated to it, the center's).
    """
    principal = _principal(actor)
    order = get_or_raise(session, order_id, principal=principal, for_update=True)
    if order.status != OPEN:
        raise OrderClosed(status=order.status)
    if not may_answer(principal, order):
        raise NotYourUnit(unit_code=order.unit_code)
    item = get_item(session, order.petition_id, principal=None, for_update=True)
    at, today = _today(now)
    before, item_before = summary(order), item_state(item)
    clock = clocks.close(session, order.deadline_id, on=today, actor=label(actor), note="工单已回复")
    order.status = REPLIED
    order.reply_text, order.reply_delivery = reply_in["reply_text"], reply_in["delivery"]
    order.replied_by, order.replied_at, order.replied_on = actor.name, at, today
    order.replied_on_time = clock.met_on_time if clock is not None else None
    session.flush()
    _answered(session, item, order, today=today, actor=actor)
    session.flush()
    audit_change(session, "work_order.reply", order, actor, before=before, item_before=item_before, item=item,
                 reply_text=order.reply_text)
    emit(session, "work_order.replied", order, item, actor, delivery=order.reply_delivery,
         replied_on=today.isoformat(), on_time=order.replied_on_time)
    return order


def transfer(
    session: Session, *, order_id: str, transfer_in: dict[str, Any], actor: Actor, now: _dt.datetime | None = None,
) -> WorkOrder:
    """转办 to a judge or division outside the division: a new assignment with a clock of its own.

    :raise WorkOrderNotFound, OrderClosed, NotYourUnit: as for :func:`reply` (the center may not transfer).
    :raise TransferWithinDivision: the target is in the same division (the head reassigns instead).
    :raise TargetRequired, NotAJudge, NotInCourtTree, JudgeNotInUnit: the target.
    """
    principal = _principal(actor)
    order = get_or_raise(session, order_id, principal=principal, for_update=True)
    if order.status != OPEN:
        raise OrderClosed(status=order.status)
    if not may_transfer(principal, order):
        raise NotYourUnit(unit_code=order.unit_code)
    target = targets.resolve(session, origin_unit_code=order.origin_unit_code,
                             to_username=transfer_in.get("to_username"), to_unit_code=transfer_in.get("to_unit_code"))
    if target.unit_code == order.unit_code:
        raise TransferWithinDivision(to_unit_code=["the order's own division"])
    item = get_item(session, order.petition_id, principal=None, for_update=True)
    _, today = _today(now)
    before, item_before = summary(order), item_state(item)
    clocks.close(session, order.deadline_id, on=today, actor=label(actor), note="转办")
    move = WorkOrderTransfer(
        order_id=order.id, kind=TRANSFER, from_unit_code=order.unit_code, from_assignee_name=order.assignee_name,
        to_unit_code=target.unit_code, to_assignee_user_id=target.user_id, to_assignee_name=target.name,
        reasons=transfer_in["reasons"], restarted=True, transferred_by=actor.name,
    )
    order.assignment += 1
    order.level = JUDGE_LEVEL
    order.unit_code = order.owner_unit_code = target.unit_code
    order.assignee_user_id, order.assignee_name = target.user_id, target.name
    clock = clocks.start(session, order_id=order.id, assignment=order.assignment, level=JUDGE_LEVEL,
                         green=order.is_green_channel, start_on=today, owner_unit_code=target.unit_code,
                         case_number=order.case_number, actor=label(actor))
    order.deadline_id = move.deadline_id = clock.id
    item.handling_unit_code = target.unit_code
    item.handler_user_id, item.handler_name = target.user_id, target.name
    return _moved(session, order, item, move, actor, before=before, item_before=item_before)


def reassign(
    session: Session, *, order_id: str, reassign_in: dict[str, Any], actor: Actor, now: _dt.datetime | None = None,
) -> WorkOrder:
    """改派 by the division head to another judge of the division; the clock runs on.

    :raise WorkOrderNotFound, OrderClosed: as for :func:`reply`.
    :raise NotYourUnit: another division's head.
    :raise HeadsOnly: not the head (unit_leader).
    :raise NotAJudge, JudgeNotInUnit: the judge is not an active judge of the division.
    :raise SameTarget: the order is with that judge already.
    """
    principal = _principal(actor)
    order = get_or_raise(session, order_id, principal=principal, for_update=True)
    if order.status != OPEN:
        raise OrderClosed(status=order.status)
    require_acts_for(principal, order.unit_code)
    if not may_reassign(principal, order):
        raise HeadsOnly()
    target = targets.resolve(session, origin_unit_code=order.origin_unit_code, to_username=reassign_in["to_username"],
                             to_unit_code=order.unit_code)
    if target.user_id == order.assignee_user_id:
        raise SameTarget(to_username=["the order's judge already"])
    item = get_item(session, order.petition_id, principal=None, for_update=True)
    before, item_before = summary(order), item_state(item)
    move = WorkOrderTransfer(
        order_id=order.id, kind=REASSIGN, from_unit_code=order.unit_code, from_assignee_name=order.assignee_name,
        to_unit_code=order.unit_code, to_assignee_user_id=target.user_id, to_assignee_name=target.name,
        reasons=reassign_in["reasons"], restarted=False, deadline_id=order.deadline_id, transferred_by=actor.name,
    )
    order.assignee_user_id, order.assignee_name = target.user_id, target.name
    item.handler_user_id, item.handler_name = target.user_id, target.name
    return _moved(session, order, item, move, actor, before=before, item_before=item_before)


def _moved(
    session: Session, order: WorkOrder, item: TriageItem, move: WorkOrderTransfer, actor: Actor, *,
    before: dict[str, Any], item_before: dict[str, Any],
) -> WorkOrder:
    """Record a 转办 or 改派 (its row, the audit row ``work_order.<kind>``, ``work_order.transferred``)."""
    session.add(move)
    session.flush()
    audit_change(session, f"work_order.{move.kind}", order, actor, before=before, item_before=item_before, item=item,
                 reasons=move.reasons, restarted=move.restarted)
    emit(session, "work_order.transferred", order, item, actor, kind=move.kind, from_unit_code=move.from_unit_code,
         to_unit_code=move.to_unit_code, to_assignee_name=move.to_assignee_name, reasons=move.reasons,
         restarted=move.restarted)
    return order


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderRow:
    """An order with its running clock, as the lists show it."""

    order: WorkOrder
    clock: Deadline | None

    @property
    def due_on(self) -> _dt.date | None:
        return self.clock.due_on if self.clock is not None and self.clock.status == DEADLINE_OPEN else None


def _mine(principal: Principal) -> Any:
    """The orders a person holds: theirs as judge, their division's once escalated to its head, the center's."""
    held = [WorkOrder.assignee_user_id == principal.user_id]
    if principal.has_role("unit_leader"):
        held.append(and_(WorkOrder.unit_code == principal.unit_code, WorkOrder.level >= 1))
        held.append(and_(WorkOrder.unit_code == principal.unit_code, WorkOrder.assignee_user_id.is_(None)))
    if principal.has_role("court_clerk"):
        held.append(and_(WorkOrder.owner_unit_code == principal.unit_code, WorkOrder.level == CENTER_LEVEL))
    return or_(*held)


def list_(
    session: Session, *, principal: Principal, scope: str = "mine", status: str = OPEN, petition_id: str | None = None,
    limit: int = 50, offset: int = 0,
) -> list[OrderRow]:
    """Orders the principal sees: ``mine`` (held), ``unit`` (of their unit: its division's, or made by the
    center), ``visible`` (every one seen); open first, the nearest due date (so the overdue) first."""
    query = visible(select(WorkOrder, Deadline).outerjoin(Deadline, Deadline.id == WorkOrder.deadline_id), principal)
    if scope == "mine":
        query = query.where(_mine(principal))
    elif scope == "unit":
        query = query.where(or_(WorkOrder.unit_code == principal.unit_code,
                                WorkOrder.owner_unit_code == principal.unit_code,
                                WorkOrder.origin_unit_code == principal.unit_code))
    if status != "all":
        query = query.where(WorkOrder.status == status)
    if petition_id is not None:
        query = query.where(WorkOrder.petition_id == petition_id)
    running = case((and_(WorkOrder.status == OPEN, Deadline.status == DEADLINE_OPEN), 0), else_=1)
    query = query.order_by(running, Deadline.due_on.is_(None), Deadline.due_on, WorkOrder.created_at.desc(),
                           WorkOrder.id).limit(limit).offset(offset)
    return [OrderRow(order, clock) for order, clock in session.execute(query)]


def of_item(session: Session, petition_id: str) -> list[OrderRow]:
    """Every order of the item, newest first (the case page's panel: whoever sees the item sees them)."""
    rows = session.execute(select(WorkOrder, Deadline).outerjoin(Deadline, Deadline.id == WorkOrder.deadline_id)
                           .where(WorkOrder.petition_id == petition_id)
                           .order_by(WorkOrder.created_at.desc(), WorkOrder.id))
    return [OrderRow(order, clock) for order, clock in rows]


def transfers(session: Session, order_ids: list[str]) -> dict[str, list[WorkOrderTransfer]]:
    """The 转办 and 改派 of each order, oldest first (one query for a whole list)."""
    return _by_order(session, WorkOrderTransfer, order_ids, WorkOrderTransfer.transferred_at)


def escalations(session: Session, order_ids: list[str]) -> dict[str, list[WorkOrderEscalation]]:
    """The escalations of each order, oldest first (one query for a whole list)."""
    return _by_order(session, WorkOrderEscalation, order_ids, WorkOrderEscalation.escalated_at)


_Step = TypeVar("_Step", WorkOrderTransfer, WorkOrderEscalation)


def _by_order(session: Session, model: type[_Step], order_ids: list[str], at: Any) -> dict[str, list[_Step]]:
    found: dict[str, list[_Step]] = {order_id: [] for order_id in order_ids}
    for row in session.scalars(select(model).where(model.order_id.in_(order_ids)).order_by(at, model.id)):
        found[row.order_id].append(row)
    return found


def clocks_of(session: Session, order_id: str) -> list[Deadline]:
    """Every clock the order ran (each owner's), oldest first."""
    return list(session.scalars(select(Deadline).where(Deadline.subject.like(f"{clocks.SUBJECT_PREFIX}{order_id}:%"))
                                .order_by(Deadline.start_on, Deadline.created_at)))
