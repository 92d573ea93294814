"""升级: an overdue 工单 passes to the division head (庭长), then to the court's 诉讼服务中心, once per level.

An order is overdue when its owner's clock is open and its due date is before today (Beijing).
Escalating it closes that clock (missed), records the level reached (unique per order, assignment
and level: a level is reached once, whatever replica or pass gets there), gives the new owner a
clock of its own (``court_12368.escalation``, or ``_green``) and sends ``work_order.escalated``.
Level 2 (the center) is the last: an order overdue there stays with the center, whose clock's
overdue notice goes out as every deadline's does.
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN as DEADLINE_OPEN, Deadline
from services.review.triage.access import get_item
from services.review.work_orders import clocks
from services.review.work_orders.models import CENTER_LEVEL, HEAD_LEVEL, OPEN, WorkOrder, WorkOrderEscalation
from services.review.work_orders.service import audit_change, emit, item_state, summary
from shared.actor import Actor
from shared.db.engine import is_postgres

ACTOR = "system:scheduler"


def claim_overdue(session: Session, *, today: _dt.date, limit: int) -> list[WorkOrder]:
    """Up to ``limit`` open orders below the last level whose owner's clock is past due, row-locked
    (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: another replica takes the others)."""
    query = (select(WorkOrder).join(Deadline, Deadline.id == WorkOrder.deadline_id)
             .where(WorkOrder.status == OPEN, WorkOrder.level < CENTER_LEVEL, Deadline.status == DEADLINE_OPEN,
                    Deadline.due_on < today)
             .order_by(Deadline.due_on, WorkOrder.id).limit(limit))
    if is_postgres(str(session.get_bind().engine.url)):
        query = query.with_for_update(skip_locked=True, of=WorkOrder)
    return list(session.scalars(query))


def escalate(session: Session, order: WorkOrder, *, today: _dt.date, trace_id: str | None = None) -> bool:
    """Pass ``order`` (locked, overdue) one level up; False if that level was reached already."""
    level = order.level + 1
    done = session.scalar(select(WorkOrderEscalation.id).where(
        WorkOrderEscalation.order_id == order.id, WorkOrderEscalation.assignment == order.assignment,
        WorkOrderEscalation.level == level))
    if done is not None or order.deadline_id is None:
        return False
    actor = Actor.system(trace_id)
    item = get_item(session, order.petition_id, principal=None, for_update=True)
    before, item_before = summary(order), item_state(item)
    missed = order.deadline_id
    clocks.close(session, missed, on=today, actor=ACTOR, note=f"超期未回复，升级至第{level}级")
    to_unit = order.unit_code if level == HEAD_LEVEL else order.origin_unit_code
    clock = clocks.start(session, order_id=order.id, assignment=order.assignment, level=level,
                         green=order.is_green_channel, start_on=today, owner_unit_code=to_unit,
                         case_number=order.case_number, actor=ACTOR)
    session.add(WorkOrderEscalation(order_id=order.id, assignment=order.assignment, level=level, to_unit_code=to_unit,
                                    missed_deadline_id=missed, deadline_id=clock.id, escalated_on=today))
    from_level = order.level
    order.level, order.owner_unit_code, order.deadline_id = level, to_unit, clock.id
    session.flush()
    audit_change(session, "work_order.escalate", order, actor, before=before, item_before=item_before, item=item,
                 from_level=from_level, missed_deadline_id=missed)
    emit(session, "work_order.escalated", order, item, actor, from_level=from_level, missed_deadline_id=missed)
    return True
