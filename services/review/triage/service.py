"""Rules of the triage queue, as plain functions over a session."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.triage.models import TriageItem
from shared.events import Envelope, new_event
from shared.outbox import enqueue


def create_from_petition(session: Session, event: Envelope) -> TriageItem:
    """A received petition becomes a pending triage item, announced by `triage.item_created`."""
    data = event.data
    existing = session.scalar(select(TriageItem).where(TriageItem.petition_id == data["petition_id"]))
    if existing is not None:
        # Another event for the same petition (e.g. a replay under a new id): one item only.
        return existing
    item = TriageItem(
        petition_id=data["petition_id"],
        case_number=data["case_number"],
        line=data["line"],
        channel=data["channel"],
        petition_type=data["petition_type"],
        is_enterprise=data["is_enterprise"],
        petitioner_masked=data["petitioner_masked"],
        enterprise_name=data.get("enterprise_name"),
        summary=data["summary"],
        received_on=date.fromisoformat(data["received_on"]),
        source_event_id=event.id,
    )
    session.add(item)
    session.flush()
    enqueue(
        session,
        new_event(
            "triage.item_created",
            subject=item.petition_id,
            source="review",
            trace_id=event.trace_id,
            data={
                "triage_item_id": item.id,
                "petition_id": item.petition_id,
                "case_number": item.case_number,
                "line": item.line,
                "channel": item.channel,
                "is_enterprise": item.is_enterprise,
                "received_on": item.received_on,
                "summary": item.summary,
            },
        ),
    )
    return item


def list_(
    session: Session, *, status: str | None = None, is_enterprise: bool | None = None,
    petition_id: str | None = None, limit: int = 50, offset: int = 0,
) -> list[TriageItem]:
    query = select(TriageItem).order_by(TriageItem.received_on, TriageItem.created_at, TriageItem.id)
    if status is not None:
        query = query.where(TriageItem.status == status)
    if is_enterprise is not None:
        query = query.where(TriageItem.is_enterprise == is_enterprise)
    if petition_id is not None:
        query = query.where(TriageItem.petition_id == petition_id)
    return list(session.scalars(query.limit(limit).offset(offset)))
