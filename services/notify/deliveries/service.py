"""Turning events into deliveries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.deliveries.models import STAFF_INBOX, Delivery
from shared.auth import Principal, scope
from shared.actor import Actor
from shared.audit.service import record
from shared.events import Envelope

TRIAGE_INBOX = "unit:triage-officers"
DEADLINE_INBOX = "unit:deadline-supervisors"  # 督办: who chases deadlines


def record_staff_notice(session: Session, event: Envelope) -> Delivery:
    """A new triage item is announced in the triage officers' staff inbox."""
    data = event.data
    flag = "【涉企】" if data.get("is_enterprise") else ""
    return _to_staff_inbox(
        session, event,
        subject=data["petition_id"],
        recipient=TRIAGE_INBOX,
        title=f"{flag}新信访件待分流 {data['case_number']}",
        body=f"{data['case_number']}（{data['line']}，{data['channel']}，{data['received_on']}收）：{data['summary']}",
    )


def record_deadline_notice(session: Session, event: Envelope) -> Delivery:
    """`deadline.due_soon` / `deadline.overdue` land in the 督办 staff inbox."""
    data = event.data
    flag = "【已逾期】" if event.type == "deadline.overdue" else "【即将到期】"
    provisional = "（暂定：该年度放假安排未公布）" if data.get("provisional") else ""
    return _to_staff_inbox(
        session, event,
        subject=data["subject"],
        recipient=DEADLINE_INBOX,
        title=f"{flag}{data['title']} {data.get('case_number') or data['subject']}"[:200],
        body=f"{data['title']}：{data['start_on']}起算，{data['due_on']}届满{provisional}。",
    )


def _to_staff_inbox(session: Session, event: Envelope, *, subject: str, recipient: str, title: str, body: str) -> Delivery:
    """A delivery to a staff inbox, filed under the event's unit (so only that unit's staff see it)."""
    delivery = Delivery(
        subject=subject,
        channel=STAFF_INBOX,
        recipient=recipient,
        template=event.type,
        title=title,
        body=body,
        status="delivered",
        source_event_id=event.id,
        source_event_type=event.type,
        unit_code=event.data.get("unit_code"),
    )
    session.add(delivery)
    _audit(session, delivery, event)
    return delivery


def list_(
    session: Session, *, subject: str | None = None, limit: int = 50, offset: int = 0, principal: Principal | None = None
) -> list[Delivery]:
    query = scope(select(Delivery), Delivery.unit_code, principal).order_by(Delivery.created_at.desc(), Delivery.id)
    if subject is not None:
        query = query.where(Delivery.subject == subject)
    return list(session.scalars(query.limit(limit).offset(offset)))


def _audit(session: Session, delivery: Delivery, event: Envelope) -> None:
    """Every recorded delivery is an audited state change (`delivery.record`, actor `system`)."""
    session.flush()
    record(
        session, action="delivery.record", subject_type="delivery", subject_id=delivery.id,
        after={"subject": delivery.subject, "channel": delivery.channel, "recipient": delivery.recipient,
               "template": delivery.template, "status": delivery.status},
        detail={"source_event_id": event.id, "source_event_type": event.type}, **Actor.system(event.trace_id).fields(),
    )
