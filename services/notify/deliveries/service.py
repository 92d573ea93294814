"""Turning typed notice inputs into pending deliveries (texts from `templates/`, see rendering.py).

Sending is the dispatcher's (`dispatcher.py`), outside the consumer's transaction; here a notice is
only rendered and recorded.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.deliveries.inputs import (
    CourtCaseStep,
    DeadlineNotice,
    EventSource,
    NoticeInput,
    TriageItemCreated,
)
from services.notify.deliveries.models import STAFF_INBOX, Delivery
from services.notify.deliveries.rendering import render_notice
from services.notify.deliveries.states import DeliveryStatus
from services.notify.deliveries.workflow import COURT_INBOX, DEADLINE_INBOX, TRIAGE_INBOX, WorkflowStep
from shared.auth import Principal, scope
from shared.actor import Actor
from shared.audit.service import record
from shared.db.base import utcnow


def record_staff_notice(session: Session, notice: TriageItemCreated) -> Delivery:
    """A new triage item is announced in the triage officers' staff inbox."""
    return _to_staff_inbox(session, notice, subject=notice.petition_id, recipient=TRIAGE_INBOX, unit_code=notice.unit_code)


def record_deadline_notice(session: Session, notice: DeadlineNotice) -> Delivery:
    """`deadline.due_soon` / `deadline.overdue` land in the 督办 staff inbox."""
    return _to_staff_inbox(session, notice, subject=notice.subject, recipient=DEADLINE_INBOX, unit_code=notice.unit_code)


def record_court_case_notice(session: Session, notice: CourtCaseStep) -> Delivery:
    """A step of a 涉企 court case lands in the court staff's inbox of the case's unit.

    The flag and a fee-relief application ask for a decision (立案绿色通道; 缓交 before 立案); the
    decisions and 立案 are for the record of whoever works the case next.
    """
    return _to_staff_inbox(session, notice, subject=notice.court_case_id, recipient=COURT_INBOX,
                           unit_code=notice.unit_code)


def record_workflow_notice(session: Session, step: WorkflowStep) -> Delivery | None:
    """A workflow step that asks a unit to act (交办, 退回, 督办, 工单, 不满意) lands in that unit's group inbox."""
    if step.address is None:
        return None
    return _to_staff_inbox(session, step, subject=step.subject_id, recipient=step.address.recipient,
                           unit_code=step.address.unit_code)


def _to_staff_inbox(
    session: Session, notice: NoticeInput, *, subject: str, recipient: str, unit_code: str | None
) -> Delivery:
    """A delivery to a staff inbox, filed under the event's unit (so only that unit's staff see it)."""
    rendered = render_notice(notice, STAFF_INBOX)
    delivery = Delivery(
        subject=subject,
        channel=STAFF_INBOX,
        recipient=recipient,
        template=rendered.template,
        title=rendered.title,
        body=rendered.body,
        # The dispatcher sends it (dispatcher.py); here, inside the consumer's transaction, it is
        # only recorded, once per event, channel and recipient (the unique constraint).
        status=DeliveryStatus.PENDING.value,
        attempts=0,
        next_attempt_at=utcnow(),
        source_event_id=notice.source.event_id,
        source_event_type=notice.source.event_type,
        unit_code=unit_code,
        trace_id=notice.source.trace_id,
    )
    session.add(delivery)
    _audit(session, delivery, notice.source)
    return delivery


def list_(
    session: Session, *, subject: str | None = None, limit: int = 50, offset: int = 0, principal: Principal | None = None
) -> list[Delivery]:
    query = scope(select(Delivery), Delivery.unit_code, principal).order_by(Delivery.created_at.desc(), Delivery.id)
    if subject is not None:
        query = query.where(Delivery.subject == subject)
    return list(session.scalars(query.limit(limit).offset(offset)))


def _audit(session: Session, delivery: Delivery, event: EventSource) -> None:
    """Every recorded delivery is an audited state change (`delivery.record`, actor `system`)."""
    session.flush()
    record(
        session, action="delivery.record", subject_type="delivery", subject_id=delivery.id,
        after={"subject": delivery.subject, "channel": delivery.channel, "recipient": delivery.recipient,
               "template": delivery.template, "status": delivery.status},
        detail={"source_event_id": event.event_id, "source_event_type": event.event_type}, **Actor.system(event.trace_id).fields(),
    )
