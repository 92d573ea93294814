"""Rules of the triage queue, as plain functions over a session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.attaching import attach_for_petition
from services.review.triage.access import visible
from services.review.triage.inputs import DuplicateSplit, PetitionReceived
from services.review.triage.models import TriageDuplicate, TriageItem
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.events import new_event
from shared.outbox import enqueue


def receive(session: Session, petition: PetitionReceived, *, event_id: str, trace_id: str | None) -> None:
    """A received petition: a new matter becomes a triage item, a 重复件 is filed under its original's."""
    if petition.duplicate_of:
        file_duplicate(session, petition, event_id=event_id, trace_id=trace_id)
    else:
        create_from_petition(session, petition, event_id=event_id, trace_id=trace_id)


def file_duplicate(
    session: Session, petition: PetitionReceived, *, event_id: str, trace_id: str | None,
) -> TriageDuplicate:
    """A 重复件 opens no item and no deadlines: it is recorded for the original case's item to show."""
    assert petition.duplicate_of is not None
    existing = session.scalar(select(TriageDuplicate).where(TriageDuplicate.petition_id == petition.petition_id))
    if existing is not None:
        return existing
    filed = TriageDuplicate(
        petition_id=petition.petition_id, case_number=petition.case_number,
        original_petition_id=petition.duplicate_of, original_case_number=petition.duplicate_of_case_number,
        channel=petition.channel, summary=petition.summary, received_on=petition.received_on,
        source_event_id=event_id, unit_code=petition.unit_code,
    )
    session.add(filed)
    session.flush()
    record(
        session, action="triage.duplicate_file", subject_type="triage_duplicate", subject_id=filed.id,
        after={"petition_id": filed.petition_id, "case_number": filed.case_number,
               "original_petition_id": filed.original_petition_id},
        detail={"source_event_id": event_id, "source_event_type": "petition.received"},
        **Actor.system(trace_id).fields(),
    )
    return filed


def open_split_duplicate(session: Session, split: DuplicateSplit, *, event_id: str, trace_id: str | None) -> TriageItem:
    """A 重复件 split from its original in intake gets the item (and deadlines) it would have had."""
    filed = session.scalar(select(TriageDuplicate).where(TriageDuplicate.petition_id == split.petition.petition_id))
    if filed is not None and filed.split_at is None:
        filed.split_at = split.split_at
    return create_from_petition(session, split.petition, event_id=event_id, trace_id=trace_id,
                                source_event_type="petition.duplicate_split")


def duplicates_of(session: Session, *, petition_id: str) -> list[TriageDuplicate]:
    """The 重复件 filed under this case and not split off, in the order they arrived."""
    return list(session.scalars(
        select(TriageDuplicate).where(TriageDuplicate.original_petition_id == petition_id, TriageDuplicate.split_at.is_(None))
        .order_by(TriageDuplicate.received_on, TriageDuplicate.created_at, TriageDuplicate.id)))


def create_from_petition(
    session: Session, petition: PetitionReceived, *, event_id: str, trace_id: str | None,
    source_event_type: str = "petition.received",
) -> TriageItem:
    """A received petition becomes a pending triage item, announced by `triage.item_created`.

    ``event_id`` is the ``petition.received`` event it came from (kept on the item and in the
    audit row), ``trace_id`` ties the item's audit row and event to the request that caused it.
    """
    existing = session.scalar(select(TriageItem).where(TriageItem.petition_id == petition.petition_id))
    if existing is not None:
        # Another event for the same petition (e.g. a replay under a new id): one item only.
        return existing
    item = TriageItem(
        petition_id=petition.petition_id,
        case_number=petition.case_number,
        line=petition.line,
        channel=petition.channel,
        petition_type=petition.petition_type,
        is_enterprise=petition.is_enterprise,
        petitioner_masked=petition.petitioner_masked,
        enterprise_name=petition.enterprise_name,
        summary=petition.summary,
        received_on=petition.received_on,
        source_event_id=event_id,
        unit_code=petition.unit_code,
        enterprise_division=petition.enterprise_division,
    )
    session.add(item)
    session.flush()
    record(
        session, action="triage.item_create", subject_type="triage_item", subject_id=item.id,
        after={"petition_id": item.petition_id, "case_number": item.case_number, "status": item.status},
        detail={"source_event_id": event_id, "source_event_type": source_event_type},
        **Actor.system(trace_id).fields(),
    )
    # 12309: 7-day procedural reply and 3-month result reply; 12368: the work-order reply.  A
    # clock whose rule is not in force that day is flagged on the item, never a failed handler.
    missing: list[str] = []
    attach_for_petition(
        session, petition_id=item.petition_id, case_number=item.case_number, line=item.line,
        received_on=item.received_on, unit_code=item.unit_code, on_missing=missing.append,
    )
    if missing:
        item.missing_rules = ",".join(missing)
        record(
            session, action="triage.clock_missing", subject_type="triage_item", subject_id=item.id,
            after={"missing_rules": missing, "received_on": item.received_on.isoformat()},
            detail={"source_event_id": event_id}, **Actor.system(trace_id).fields(),
        )
    enqueue(
        session,
        new_event(
            "triage.item_created",
            subject=item.petition_id,
            source="review",
            trace_id=trace_id,
            data={
                "triage_item_id": item.id,
                "petition_id": item.petition_id,
                "case_number": item.case_number,
                "line": item.line,
                "channel": item.channel,
                "is_enterprise": item.is_enterprise,
                "received_on": item.received_on,
                "summary": item.summary,
                "unit_code": item.unit_code,
            },
        ),
    )
    return item


def list_(
    session: Session, *, status: str | None = None, is_enterprise: bool | None = None,
    petition_id: str | None = None, limit: int = 50, offset: int = 0, principal: Principal | None = None,
) -> list[TriageItem]:
    query = visible(select(TriageItem), principal).order_by(TriageItem.received_on, TriageItem.created_at, TriageItem.id)
    if status is not None:
        query = query.where(TriageItem.status == status)
    if is_enterprise is not None:
        query = query.where(TriageItem.is_enterprise == is_enterprise)
    if petition_id is not None:
        query = query.where(TriageItem.petition_id == petition_id)
    return list(session.scalars(query.limit(limit).offset(offset)))
