"""Review's side of 重复件: a linked petition opens no item; its split opens the item it would have had."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import queries
from services.review.triage import service
from services.review.triage.handlers import HANDLERS
from services.review.triage.models import TriageDuplicate, TriageItem
from shared.events import decode, encode, new_event

RECEIVED = {
    "petition_id": "pid-2", "case_number": "12309-2026-000002", "line": "12309", "channel": "电",
    "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "王*", "summary": "再次反映账户冻结",
    "received_at": datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc), "received_on": "2026-03-02",
    "unit_code": "NY-JCY-KS",
}


@pytest.fixture
def review_sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _, sessions = engine_for("review")
    return sessions  # type: ignore[no-any-return]


def _handle(sessions: sessionmaker[Session], type_: str, data: dict[str, object]) -> None:
    event = decode(encode(new_event(type_, subject=str(data["petition_id"]), source="intake", data=data)))
    with sessions() as s, s.begin():
        HANDLERS[type_](s, event)


def test_a_duplicate_is_filed_under_its_original_and_its_split_opens_its_item(review_sessions: sessionmaker[Session]) -> None:
    _handle(review_sessions, "petition.received",
            RECEIVED | {"duplicate_of": "pid-1", "duplicate_of_case_number": "12309-2026-000001"})
    _handle(review_sessions, "petition.received",  # redelivered under a new id: still one row
            RECEIVED | {"duplicate_of": "pid-1", "duplicate_of_case_number": "12309-2026-000001"})
    with review_sessions() as s:
        assert s.scalars(select(TriageItem)).all() == []
        assert queries.list_(s, principal=None, subject="pid-2") == []  # no deadlines either
        (filed,) = service.duplicates_of(s, petition_id="pid-1")
        assert (filed.petition_id, filed.original_case_number, filed.channel) == ("pid-2", "12309-2026-000001", "电")

    _handle(review_sessions, "petition.duplicate_split", RECEIVED | {
        "original_petition_id": "pid-1", "original_case_number": "12309-2026-000001",
        "split_at": datetime(2026, 3, 20, 2, 0, tzinfo=timezone.utc)})
    with review_sessions() as s:
        (item,) = s.scalars(select(TriageItem)).all()
        assert (item.petition_id, item.case_number, item.status) == ("pid-2", "12309-2026-000002", "pending")
        # The deadlines count from the petition's own receipt, not from the split.
        assert {d.start_on.isoformat() for d in queries.list_(s, principal=None, subject="pid-2")} == {"2026-03-02"}
        assert service.duplicates_of(s, petition_id="pid-1") == []
        assert s.scalars(select(TriageDuplicate)).one().split_at is not None
