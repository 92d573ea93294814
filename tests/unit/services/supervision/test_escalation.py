"""逾期升级: an overdue 期限 escalates its item one level up the unit tree, once, the working day after
its due date (walked across 国庆 2026 with its 调休 Saturday)."""

from __future__ import annotations

import datetime as _dt

import time_machine
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.models import Deadline
from services.review.jobs.runner import JobRunner
from services.review.supervision import jobs, listing
from services.review.supervision.escalation import cutoff
from services.review.supervision.models import Supervision, SupervisionEscalation
from services.review.holidays.service import holiday_table
from shared.audit.models import AuditEntry
from shared.calendar import BEIJING, default_table
from shared.outbox.models import OutboxMessage
from tests.unit.services.supervision.conftest import ActorOf, MakeItem, item_of

PROCEDURAL = "12309.procedural_reply"


def _deadline(sessions: sessionmaker[Session], petition_id: str, rule: str = PROCEDURAL) -> Deadline:
    with sessions() as session:
        d = session.scalars(select(Deadline).where(Deadline.subject == petition_id, Deadline.rule_code == rule)).one()
        session.expunge(d)
        return d


def _escalations(sessions: sessionmaker[Session]) -> list[SupervisionEscalation]:
    with sessions() as session:
        rows = list(session.scalars(select(SupervisionEscalation).order_by(SupervisionEscalation.escalated_on)))
        session.expunge_all()
        return rows


def _supervisions(sessions: sessionmaker[Session]) -> list[Supervision]:
    with sessions() as session:
        rows = list(session.scalars(select(Supervision)))
        session.expunge_all()
        return rows


def test_the_cutoff_is_the_latest_working_day() -> None:
    table = default_table()
    assert cutoff(_dt.date(2026, 10, 9), table) == _dt.date(2026, 10, 9)  # a Friday
    assert cutoff(_dt.date(2026, 10, 11), table) == _dt.date(2026, 10, 10)  # Sunday → the 调休 Saturday
    assert cutoff(_dt.date(2026, 10, 7), table) == _dt.date(2026, 9, 30)  # the last day of 国庆 → before it


def test_a_departments_overdue_deadline_goes_to_its_procuratorate_once(
        sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> None:
    petition_id = make_item(unit="NY-JCY-KS", handling=None, status="pending", received_on=_dt.date(2026, 11, 2))
    due = _deadline(sessions, petition_id).due_on
    assert due is not None
    day_after = due + _dt.timedelta(days=1)
    while not default_table().is_working_day(day_after):
        day_after += _dt.timedelta(days=1)
    assert jobs.run_once(sessions, today=due) == []
    [done] = jobs.run_once(sessions, today=day_after)
    assert (done.from_unit, done.to_unit) == ("NY-JCY-KS", "NY-JCY")  # 控申部 → 院领导
    assert jobs.run_once(sessions, today=day_after) == []
    assert jobs.run_once(sessions, today=day_after + _dt.timedelta(days=30)) == []  # once per deadline
    [s] = _supervisions(sessions)
    assert (s.kind, s.state, s.supervising_unit_code, s.supervised_unit_code) == ("escalated", "open", "NY-JCY", "NY-JCY-KS")
    assert s.escalated_deadline_id == done.deadline_id and s.due_on is not None and s.due_on > day_after
    assert item_of(sessions, petition_id).supervised is True
    with sessions() as session:
        [event] = session.scalars(select(OutboxMessage).where(OutboxMessage.event_type == "supervision.escalated")).all()
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "supervision.escalate")) == 1
        # On the 督办 list of the unit it went to.
        shown = listing.page(session, principal=actor("unit_leader").principal, today=day_after,
                             filters=listing.ListFilters(supervising_unit="NY-JCY"))
    assert [r.supervision.id for r in shown.rows] == [s.id]
    assert b'"to_unit": "NY-JCY"' in event.payload or b'"to_unit":"NY-JCY"' in event.payload


def test_a_basic_court_goes_to_the_intermediate_court(sessions: sessionmaker[Session], make_item: MakeItem) -> None:
    petition_id = make_item(unit="NY-FY-WC", handling="NY-FY-WC", received_on=_dt.date(2026, 11, 2))
    [done] = jobs.run_once(sessions, today=_dt.date(2026, 12, 1))
    assert (done.petition_id, done.from_unit, done.to_unit) == (petition_id, "NY-FY-WC", "NY-FY")


def test_without_an_owner_on_the_deadline_the_handling_unit_is_escalated(
        sessions: sessionmaker[Session], make_item: MakeItem) -> None:
    petition_id = make_item(unit="NY-JCY-KS", handling="NY-JCY-WC", received_on=_dt.date(2026, 11, 2))
    with sessions() as session, session.begin():
        session.execute(update(Deadline).where(Deadline.subject == petition_id).values(unit_code=None))
    [done] = jobs.run_once(sessions, today=_dt.date(2026, 12, 1))
    assert (done.from_unit, done.to_unit) == ("NY-JCY-WC", "NY-JCY")  # 基层院 → 市院


def test_a_unit_with_none_above_records_the_escalation_and_opens_nothing(
        sessions: sessionmaker[Session], make_item: MakeItem) -> None:
    petition_id = make_item(unit="NY-JCY", handling=None, status="pending", received_on=_dt.date(2026, 11, 2))
    [done] = jobs.run_once(sessions, today=_dt.date(2026, 12, 1))
    assert (done.from_unit, done.to_unit, done.supervision_id) == ("NY-JCY", None, None)
    assert jobs.run_once(sessions, today=_dt.date(2026, 12, 2)) == []
    assert _supervisions(sessions) == [] and item_of(sessions, petition_id).supervised is False


def test_a_missed_deadline_escalates_and_a_closed_item_does_not(
        sessions: sessionmaker[Session], make_item: MakeItem) -> None:
    from services.review.deadlines import closing

    late = make_item(received_on=_dt.date(2026, 11, 2))
    closed = make_item(received_on=_dt.date(2026, 11, 2), status="closed")
    d = _deadline(sessions, late)
    assert d.due_on is not None
    with sessions() as session, session.begin():
        met_at = _dt.datetime.combine(d.due_on + _dt.timedelta(days=1), _dt.time(9), tzinfo=BEIJING)
        closing.meet(session, deadline_id=d.id, met_at=met_at, actor="test", principal=None)
    done = jobs.run_once(sessions, today=_dt.date(2026, 12, 1))
    assert [e.petition_id for e in done] == [late]
    assert _deadline(sessions, late).status == "missed" and closed not in {e.petition_id for e in done}


def _walk(sessions: sessionmaker[Session], first: _dt.date, last: _dt.date) -> dict[str, _dt.date]:
    """Run the scheduler's pass at 09:00 Beijing time each day, the clock moved by time-machine (no sleeps)."""
    runner = JobRunner(jobs.jobs(batch_size=2), sessions, interval_s=0)
    escalated_on: dict[str, _dt.date] = {}
    day = first
    while day <= last:
        with time_machine.travel(_dt.datetime.combine(day, _dt.time(9), tzinfo=BEIJING), tick=False):
            runner.run_once()
        for e in _escalations(sessions):
            escalated_on.setdefault(e.petition_id, e.escalated_on)
        day += _dt.timedelta(days=1)
    return escalated_on


def test_across_national_day_2026_escalation_comes_the_working_day_after_the_moved_due_date(
        sessions: sessionmaker[Session], make_item: MakeItem) -> None:
    # 2026-09-26 + 7 days = 10-03, inside 国庆 (10-01..07): moved to Thursday 10-08; escalated Friday 10-09.
    in_holiday = make_item(received_on=_dt.date(2026, 9, 26))
    # Due Friday 10-09: the next working day is the 调休 Saturday 10-10.
    friday = make_item(received_on=_dt.date(2026, 10, 2))
    # Due on the 调休 Saturday 10-10: Sunday is a rest day, so Monday 10-12.
    makeup = make_item(received_on=_dt.date(2026, 10, 3))
    with sessions() as session:
        table = holiday_table(session)
    assert not table.is_working_day(_dt.date(2026, 10, 3)) and table.is_working_day(_dt.date(2026, 10, 10))
    assert [_deadline(sessions, p).due_on for p in (in_holiday, friday, makeup)] == [
        _dt.date(2026, 10, 8), _dt.date(2026, 10, 9), _dt.date(2026, 10, 10)]
    escalated_on = _walk(sessions, _dt.date(2026, 9, 30), _dt.date(2026, 10, 13))
    assert escalated_on == {in_holiday: _dt.date(2026, 10, 9), friday: _dt.date(2026, 10, 10),
                            makeup: _dt.date(2026, 10, 12)}
    assert len(_escalations(sessions)) == 3  # once each, though the walk ran 14 passes


def test_a_paused_deadline_does_not_escalate(sessions: sessionmaker[Session], make_item: MakeItem) -> None:
    from tests.unit.portal import factories

    petition_id = make_item(received_on=_dt.date(2026, 11, 2))
    factories.pause(sessions, petition_id)
    assert jobs.run_once(sessions, today=_dt.date(2026, 12, 1)) == []
