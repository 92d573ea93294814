"""The triage queue's one query on PostgreSQL: nearest due date first, paused petitions last, keyset pages complete.

The unit tests run it on SQLite (tests/unit/portal/test_triage_pages.py); the two databases
compare and coalesce dates differently, so the order and the cursor are checked here as well.
"""

from __future__ import annotations

import datetime as _dt

from services.review.triage import queue
from tests.unit.portal import factories

TODAY = _dt.date(2026, 11, 27)


def test_pages_walk_every_row_once_nearest_due_first(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    petitions = [factories.petition(number=i, unit_code="NY-JCY-KS", received_on=TODAY - _dt.timedelta(days=i * 3))
                 for i in range(12)]
    factories.add(sessions, petitions)
    for p in petitions[:2]:
        factories.pause(sessions, p.petition_id)
    factories.meet(sessions, petitions[2].petition_id, at=_dt.datetime(2026, 11, 27, 2, tzinfo=_dt.timezone.utc))
    expected = sorted(factories.made(sessions), key=lambda m: (m.next_due_on or _dt.date.max, m.item_id))
    assert [m.next_due_on for m in expected[-3:]] == [None, None, None]
    seen: list[str] = []
    after = None
    with sessions() as session:
        while True:
            page = queue.page(session, principal=None, filters=queue.QueueFilters(), today=TODAY, limit=3,
                              after=after)
            seen.extend(r.item.petition_id for r in page.rows)
            assert page.total == 12
            if page.next_cursor is None:
                break
            after = page.next_cursor
    assert seen == [m.petition_id for m in expected]
