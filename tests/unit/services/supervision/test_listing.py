"""The 督办 list: who sees which 督办, filters, nearest due date first, keyset pages, one statement a page."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import suspensions
from services.review.supervision import listing, service
from services.review.supervision.models import Supervision
from shared.auth import Principal
from shared.calendar import BEIJING, Unit
from tests.unit.services.supervision.conftest import ActorOf, MakeItem

TODAY = _dt.date(2026, 11, 20)


@contextmanager
def statements(sessions: sessionmaker[Session]) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = sessions.kw["bind"]

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def made(sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> list[Supervision]:
    """Twelve 督办 of 市院 over 宛城区院 and 卧龙区院 items, periods 1..12 working days; two closed, one paused."""
    out = []
    for i in range(12):
        unit = "NY-JCY-WC" if i % 2 == 0 else "NY-JCY-WL"
        petition_id = make_item(unit=unit, handling=unit)
        with sessions() as session, session.begin():
            s = service.open_(session, petition_id=petition_id, amount=12 - i, unit=Unit.WORKING_DAY,
                              instructions=f"督办 {i}", actor=actor("unit_leader"),
                              now=_dt.datetime(2026, 11, 10, 9, tzinfo=BEIJING))
            out.append(s.id)
    for i in (3, 8):  # closed: reported and accepted
        with sessions() as session, session.begin():
            unit = "NY-JCY-WC" if i % 2 == 0 else "NY-JCY-WL"
            service.report(session, supervision_id=out[i], text="已办理", actor=actor("case_handler", unit),
                           now=_dt.datetime(2026, 11, 11, 9, tzinfo=BEIJING))
            service.accept(session, supervision_id=out[i], actor=actor("unit_leader"),
                           now=_dt.datetime(2026, 11, 11, 10, tzinfo=BEIJING))
    with sessions() as session, session.begin():  # a paused clock: no due date (the observer copies it)
        paused = session.get(Supervision, out[5])
        assert paused is not None and paused.deadline_id is not None
        suspensions.suspend(session, deadline_id=paused.deadline_id, reason="other", basis="等待鉴定意见",
                            start_on=_dt.date(2026, 11, 11), actor="test", principal=None)
    with sessions() as session:
        rows = [session.get(Supervision, i) for i in out]
        session.expunge_all()
    return [r for r in rows if r is not None]


def _all(sessions: sessionmaker[Session], principal: Principal | None, filters: listing.ListFilters,
         limit: int = 5) -> list[str]:
    ids: list[str] = []
    after = None
    with sessions() as session:
        while True:
            page = listing.page(session, principal=principal, filters=filters, today=TODAY, limit=limit, after=after)
            ids.extend(r.supervision.id for r in page.rows)
            if page.next_cursor is None:
                return ids
            after = page.next_cursor


def _expected(rows: list[Supervision], keep: object = None) -> list[str]:
    chosen = [r for r in rows if keep is None or keep(r)]  # type: ignore[operator]
    return [r.id for r in sorted(chosen, key=lambda r: (r.due_on or _dt.date.max, r.id))]


def test_the_leader_above_sees_all_nearest_due_first_across_pages(
        sessions: sessionmaker[Session], made: list[Supervision], actor: ActorOf) -> None:
    assert _all(sessions, actor("unit_leader").principal, listing.ListFilters()) == _expected(made)
    assert made[5].due_on is None and _all(sessions, None, listing.ListFilters())[-1] == made[5].id


def test_a_unit_below_sees_only_its_own(sessions: sessionmaker[Session], made: list[Supervision],
                                        actor: ActorOf) -> None:
    wc = _all(sessions, actor("case_handler", "NY-JCY-WC").principal, listing.ListFilters())
    assert wc == _expected(made, lambda r: r.supervised_unit_code == "NY-JCY-WC")
    assert _all(sessions, actor("case_handler", "NY-JCY-NZ").principal, listing.ListFilters()) == []


def test_filters(sessions: sessionmaker[Session], made: list[Supervision], actor: ActorOf) -> None:
    leader = actor("unit_leader").principal
    assert _all(sessions, leader, listing.ListFilters(state="closed")) == _expected(made, lambda r: r.state == "closed")
    assert _all(sessions, leader, listing.ListFilters(state=listing.OPEN_STATES)) == _expected(
        made, lambda r: r.state != "closed")
    overdue = _all(sessions, leader, listing.ListFilters(overdue=True))
    assert overdue == _expected(made, lambda r: r.state != "closed" and r.due_on is not None and r.due_on < TODAY)
    assert overdue  # the short periods are past by TODAY
    assert _all(sessions, leader, listing.ListFilters(supervised_unit="NY-JCY-WL", kind="listed")) == _expected(
        made, lambda r: r.supervised_unit_code == "NY-JCY-WL")
    assert _all(sessions, leader, listing.ListFilters(kind="escalated")) == []


def test_one_statement_a_page(sessions: sessionmaker[Session], made: list[Supervision], actor: ActorOf) -> None:
    with sessions() as session:
        first = listing.page(session, principal=actor("unit_leader").principal, filters=listing.ListFilters(),
                             today=TODAY, limit=5)
        with statements(sessions) as seen:
            page = listing.page(session, principal=actor("unit_leader").principal,
                                filters=listing.ListFilters(overdue=False), today=TODAY, limit=5,
                                after=first.next_cursor)
            for row in page.rows:  # everything the page shows is loaded already
                (row.case_number, row.item_status, row.overdue, row.supervision.due_on, row.supervised_unit_code)
    assert len(page.rows) == 5 and len(seen) == 1, seen


def test_a_bad_cursor_is_refused(sessions: sessionmaker[Session]) -> None:
    with sessions() as session, pytest.raises(listing.BadCursor):
        listing.page(session, principal=None, filters=listing.ListFilters(), today=TODAY, after="2026-13-01~x")
