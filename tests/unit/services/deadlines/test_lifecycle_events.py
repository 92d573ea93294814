"""``deadline.opened`` and ``deadline.closed``: what happened to a subject's clocks, in the outbox with the change."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching, closing
from shared.events import decode
from shared.outbox import OutboxMessage

UNIT = "NY-JCY-KS"


def _events(sessions: sessionmaker[Session], *types: str) -> list[tuple[str, str, dict[str, Any]]]:
    with sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.event_type.in_(types)).order_by(OutboxMessage.id))
        return [(r.event_type, decode(r.payload).subject, decode(r.payload).data) for r in rows]


def test_attaching_a_petitions_deadlines_announces_each_once(review_sessions: sessionmaker[Session]) -> None:
    for _ in range(2):  # attaching is idempotent, and so is its announcement
        with review_sessions() as s, s.begin():
            attaching.attach_for_petition(s, petition_id="p-1", case_number="12309-2025-000042", line="12309",
                                          received_on=date(2025, 11, 3), unit_code=UNIT)
    opened = _events(review_sessions, "deadline.opened")
    assert [(subject, d["rule_code"], d["start_on"], d["due_on"], d["case_number"], d["unit_code"])
            for _, subject, d in opened] == [
        ("p-1", "12309.procedural_reply", "2025-11-03", "2025-11-10", "12309-2025-000042", UNIT),
        ("p-1", "12309.result_reply", "2025-11-03", "2026-02-03", "12309-2025-000042", UNIT),
    ]
    assert all(d["provisional"] is False and d["follows_id"] is None for _, _, d in opened)


def test_closing_says_met_or_missed_with_the_beijing_date(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        reply, result = attaching.attach_for_petition(s, petition_id="p-2", case_number="12309-2025-000043",
                                                      line="12309", received_on=date(2025, 11, 3), unit_code=UNIT)
    with review_sessions() as s, s.begin():
        # 2025-11-10 23:30 in Beijing is still the due day (15:30 UTC).
        closing.meet(s, deadline_id=reply.id, principal=None, actor="user:a",
                     met_at=datetime(2025, 11, 10, 15, 30, tzinfo=timezone.utc))
    with review_sessions() as s, s.begin():
        closing.meet(s, deadline_id=result.id, principal=None, actor="user:a",
                     met_at=datetime(2026, 2, 4, 2, 0, tzinfo=timezone.utc))
    closed = _events(review_sessions, "deadline.closed")
    assert [(d["deadline_id"], d["status"], d["closed_on"], d["outcome"]) for _, _, d in closed] == [
        (reply.id, "met", "2025-11-10", None),
        (result.id, "missed", "2026-02-04", "final"),
    ]
