"""The clocks of a 工单: which rule each owner runs on, starting and closing them, and the item's next due date.

Each owner of an order gets a clock of its own (subject ``work-order:<order id>:<assignment>``,
owned by the unit holding the order):

* the judge or division it was sent to: ``court_12368.work_order`` (2 working days by default),
  ``court_12368.work_order_green`` for a 绿色通道 case (1);
* each escalation level (庭长, then 诉讼服务中心): ``court_12368.escalation`` (1), or
  ``court_12368.escalation_green``.

A 转办 starts a new assignment (a new clock for the new owner, escalation again from level 0);
the subject carries the assignment so that two clocks of one order never share (subject, rule,
start), which the engine keeps unique.  The contact's own clock from receipt
(``court_12368.work_order`` on the petition) is not one of these: it runs until the caller is
answered (service.py closes it).

The triage item's ``next_due_on`` is the nearest of its own open clocks; an order's clocks count
too, so this module subscribes to the engine's observers and, after triage's own refresh, lowers
it to an open order clock's due date where that is nearer.
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from services.review.deadlines import closing
from services.review.deadlines.attaching import attach
from services.review.deadlines.models import OPEN, Deadline
from services.review.triage.models import TriageItem

WORK_ORDER_RULE = "court_12368.work_order"
WORK_ORDER_GREEN_RULE = "court_12368.work_order_green"
ESCALATION_RULE = "court_12368.escalation"
ESCALATION_GREEN_RULE = "court_12368.escalation_green"
#: The contact's clock from receipt (deadlines/attaching.py PETITION_RULES): the answer to the caller.
CONTACT_RULE = WORK_ORDER_RULE

SUBJECT_PREFIX = "work-order:"


def subject_of(order_id: str, assignment: int) -> str:
    return f"{SUBJECT_PREFIX}{order_id}:{assignment}"


def order_id_of(subject: str) -> str | None:
    """The order a clock's subject names; None for any other subject."""
    if not subject.startswith(SUBJECT_PREFIX):
        return None
    return subject[len(SUBJECT_PREFIX):].rsplit(":", 1)[0]


def rule_for(*, level: int, green: bool) -> str:
    """The rule of the clock an owner at ``level`` runs on (0: the judge; 1, 2: an escalation)."""
    if level == 0:
        return WORK_ORDER_GREEN_RULE if green else WORK_ORDER_RULE
    return ESCALATION_GREEN_RULE if green else ESCALATION_RULE


def start(
    session: Session, *, order_id: str, assignment: int, level: int, green: bool, start_on: _dt.date,
    owner_unit_code: str, case_number: str, actor: str,
) -> Deadline:
    """The new owner's clock from ``start_on`` (the day not counted), owned by its unit."""
    return attach(session, subject=subject_of(order_id, assignment), rule_code=rule_for(level=level, green=green),
                  start_on=start_on, unit_code=owner_unit_code, case_number=case_number, actor=actor)


def close(session: Session, deadline_id: str | None, *, on: _dt.date, actor: str, note: str) -> Deadline | None:
    """Close an owner's clock: met if ``on`` is by its due date, else missed (the engine decides)."""
    if deadline_id is None:
        return None
    deadline = session.get(Deadline, deadline_id)
    if deadline is None or deadline.status != OPEN:
        return deadline
    # A rule of this domain closes it (the actor was checked here): the engine is not asked to scope it.
    return closing.meet(session, deadline_id=deadline_id, actor=actor, principal=None, met_on=on, note=note)


def contact_clock(session: Session, petition_id: str) -> Deadline | None:
    """The contact's open clock from receipt, if it still runs."""
    return session.scalar(select(Deadline).where(
        Deadline.subject == petition_id, Deadline.rule_code == CONTACT_RULE, Deadline.status == OPEN,
    ).order_by(Deadline.start_on).limit(1))


def refresh_item(session: Session, subject: str) -> None:
    """After any clock change: the item's next_due_on counts its orders' open clocks too."""
    # Imported here: models.py subscribes this function, and models must not import service code.
    from services.review.work_orders.models import OPEN as ORDER_OPEN, WorkOrder

    order_id = order_id_of(subject)
    if order_id is not None:
        petition_id = session.scalar(select(WorkOrder.petition_id).where(WorkOrder.id == order_id))
    else:
        petition_id = subject
    if petition_id is None:
        return
    order_ids = list(session.scalars(select(WorkOrder.id).where(
        WorkOrder.petition_id == petition_id, WorkOrder.status == ORDER_OPEN)))
    if not order_ids and order_id is None:
        return  # a petition without open orders: triage's own refresh is the whole answer
    session.flush()
    subjects = or_(Deadline.subject == petition_id,
                   *[Deadline.subject.like(f"{SUBJECT_PREFIX}{oid}:%") for oid in order_ids])
    nearest = select(func.min(Deadline.due_on)).where(subjects, Deadline.status == OPEN)
    session.execute(update(TriageItem).where(TriageItem.petition_id == petition_id)
                    .values(next_due_on=nearest.scalar_subquery()).execution_options(synchronize_session="fetch"))
