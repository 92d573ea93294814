"""Turning events into deliveries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notify.deliveries.models import STAFF_INBOX, Delivery
from shared.events import Envelope

TRIAGE_INBOX = "unit:triage-officers"


def record_staff_notice(session: Session, event: Envelope) -> Delivery:
    """A new triage item is announced in the triage officers' staff inbox."""
    data = event.data
    flag = "【涉企】" if data.get("is_enterprise") else ""
    delivery = Delivery(
        subject=data["petition_id"],
        channel=STAFF_INBOX,
        recipient=TRIAGE_INBOX,
        template="triage.item_created",
        title=f"{flag}新信访件待分流 {data['case_number']}",
        body=f"{data['case_number']}（{data['line']}，{data['channel']}，{data['received_on']}收）：{data['summary']}",
        status="delivered",
        source_event_id=event.id,
        source_event_type=event.type,
    )
    session.add(delivery)
    return delivery


def list_(session: Session, *, subject: str | None = None, limit: int = 50, offset: int = 0) -> list[Delivery]:
    query = select(Delivery).order_by(Delivery.created_at.desc(), Delivery.id)
    if subject is not None:
        query = query.where(Delivery.subject == subject)
    return list(session.scalars(query.limit(limit).offset(offset)))
