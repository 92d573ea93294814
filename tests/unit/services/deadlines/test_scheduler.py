"""The scheduler on SQLite: each notice once per due date; a moved due date gets its own warning."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching, closing, queries, suspensions
from services.review.deadlines.jobs import run_once
from services.review.deadlines.models import DeadlineNotice
from shared.events import decode
from shared.outbox import OutboxMessage


def _at(day: date, hour_beijing: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour_beijing - 8, tzinfo=timezone.utc)


def _notices(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.event_type.like("deadline.%")).order_by(OutboxMessage.id))
        return [(r.event_type, decode(r.payload).data["due_on"]) for r in rows if r.event_type in ("deadline.due_soon", "deadline.overdue")]


def test_due_soon_then_overdue_each_once(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        d = attaching.attach(s, unit_code="NY-JCY-KS", subject="c1", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
    assert (d.warn_on, d.due_on) == (date(2025, 11, 6), date(2025, 11, 10))

    assert run_once(review_sessions, _at(date(2025, 11, 5))).due_soon == 0
    assert run_once(review_sessions, _at(date(2025, 11, 6))).due_soon == 1
    assert run_once(review_sessions, _at(date(2025, 11, 7))).due_soon == 0  # not again
    assert run_once(review_sessions, _at(date(2025, 11, 10), 23)).overdue == 0  # still the due day in Beijing
    assert run_once(review_sessions, _at(date(2025, 11, 11), 9)).overdue == 1
    assert run_once(review_sessions, _at(date(2025, 11, 12))).overdue == 0
    assert _notices(review_sessions) == [("deadline.due_soon", "2025-11-10"), ("deadline.overdue", "2025-11-10")]
    with review_sessions() as s:
        kinds = [h.kind for h in queries.history(s, d.id)]
        assert kinds == ["set", "due_soon_emitted", "overdue_emitted"]
        assert s.scalar(select(func.count()).select_from(DeadlineNotice)) == 2


def test_a_met_or_paused_deadline_gets_no_notice_and_a_new_due_date_a_new_warning(
    review_sessions: sessionmaker[Session],
) -> None:
    with review_sessions() as s, s.begin():
        met = attaching.attach(s, unit_code="NY-JCY-KS", subject="m", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
        closing.meet(s, principal=None, deadline_id=met.id, met_at=_at(date(2025, 11, 4)), actor="u")
        moved = attaching.attach(s, unit_code="NY-JCY-KS", subject="p", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
    assert run_once(review_sessions, _at(date(2025, 11, 6))).due_soon == 1  # only `moved`
    with review_sessions() as s, s.begin():
        sus = suspensions.suspend(s, principal=None, deadline_id=moved.id, reason="appraisal", basis="鉴定", start_on=date(2025, 11, 7),
                              actor="u")
    assert run_once(review_sessions, _at(date(2025, 11, 20))).overdue == 0  # paused: no due date
    with review_sessions() as s, s.begin():
        suspensions.lift(s, principal=None, deadline_id=moved.id, suspension_id=sus.id, resumed_on=date(2025, 11, 21), actor="u")
        new_due = queries.get_or_raise(s, moved.id, principal=None).due_on
    assert new_due == date(2025, 11, 24)  # 14 paused days: 11-10 + 14
    assert run_once(review_sessions, _at(date(2025, 11, 21))).due_soon == 1
    assert [n for n in _notices(review_sessions) if n[0] == "deadline.due_soon"] == [
        ("deadline.due_soon", "2025-11-10"), ("deadline.due_soon", "2025-11-24"),
    ]


def test_a_deadline_first_seen_after_its_due_date_gets_only_the_overdue_notice(
    review_sessions: sessionmaker[Session],
) -> None:
    with review_sessions() as s, s.begin():
        attaching.attach(s, unit_code="NY-JCY-KS", subject="late", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
    result = run_once(review_sessions, _at(date(2025, 12, 1)))
    assert (result.due_soon, result.overdue) == (0, 1)
