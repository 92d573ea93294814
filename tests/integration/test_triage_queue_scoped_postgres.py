"""The queue's per-unit branches on PostgreSQL: a scoped officer's pages hold exactly the items they see, in order, once.

queue.page reads a scoped queue as one keyset branch per visible unit (receiving, then handling
where the receiving unit is not seen) under visible(); this checks that the union is the same set
and order as the plain scoped query, and the counts add up, for a unit that handles items it did
not receive.
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy import select, update

from services.review.triage import queue
from services.review.triage.models import TriageItem
from shared.auth.principal import make_principal
from tests.unit.portal import factories

TODAY = _dt.date(2026, 11, 27)


def test_a_scoped_queue_is_every_item_seen_once_in_order(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    units = ("NY-JCY-KS", "NY-JCY-WC", "NY-JCY-WL", "NY-FY-SF")
    petitions = [factories.petition(number=i, unit_code=units[i % 4], received_on=TODAY - _dt.timedelta(days=i % 50))
                 for i in range(60)]
    factories.add(sessions, petitions)
    with sessions() as s, s.begin():  # 交办 from 控申 to 宛城区院: seen by 宛城区院 as handling unit
        s.execute(update(TriageItem).where(TriageItem.unit_code == "NY-JCY-KS").values(
            handling_unit_code="NY-JCY-WC", status="routed"))
    wc = make_principal(user_id="u", username="wc", unit_code="NY-JCY-WC", roles=("triage_officer",),
                        visible_units=("NY-JCY-WC",))
    with sessions() as s:
        expected = sorted(((i.next_due_on or _dt.date.max, i.id), i.petition_id, i.status) for i in s.scalars(
            select(TriageItem).where((TriageItem.unit_code == "NY-JCY-WC") | (TriageItem.handling_unit_code == "NY-JCY-WC"))))
        seen, after, counts = [], None, {}
        while True:
            page = queue.page(s, principal=wc, filters=queue.QueueFilters(), today=TODAY, limit=4, after=after)
            seen.extend(r.item.petition_id for r in page.rows)
            counts = page.counts
            if page.next_cursor is None:
                break
            after = page.next_cursor
    assert len(expected) == 30
    assert seen == [pid for _, pid, _ in expected]
    assert counts["routed"] == 15 and counts["pending"] == 15 and sum(counts.values()) == 30
