"""The 工单 clocks walked across 国庆 2026 and 春节 2027, and the escalation job (庭长, then 诉讼服务中心).

国庆 2026: 10-01…10-07 off, Saturday 10-10 a 调休 working day.  春节 2027 uses the FICTIONAL test
year (tests/unit/calendar/fictional_2027.csv: 02-05…02-12 off, Saturday 02-20 worked), imported as
an administrator would; without it a 2027 date is provisional.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.review.deadlines import jobs as deadline_jobs
from services.review.deadlines.models import Deadline
from services.review.holidays.service import store_year
from services.review.work_orders import service
from services.review.work_orders.jobs import WorkOrderEscalations, jobs
from services.review.work_orders.models import WorkOrder, WorkOrderEscalation
from shared.audit.models import AuditEntry
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.work_orders import CENTER, MS2, RELATED, Court, at

FICTIONAL_2027 = Path(__file__).resolve().parents[3] / "unit" / "calendar" / "fictional_2027.csv"


def _order(court: Court, on: date, **order_in: object) -> WorkOrder:
    body = {"related_case_number": RELATED, "request": "联系法官", "to_username": court.judge.username, **order_in}
    with court.sessions() as s, s.begin():
        order = service.create(s, petition_id=court.item(on), order_in=body, actor=court.clerk.actor, now=at(on))
        s.expunge(order)
        return order


def _state(court: Court, order_id: str) -> tuple[WorkOrder, Deadline]:
    with court.sessions() as s:
        order = s.get(WorkOrder, order_id)
        assert order is not None
        clock = s.get(Deadline, order.deadline_id)
        assert clock is not None
        s.expunge_all()
        return order, clock


def _run(court: Court, on: date, hour: int = 9) -> int:
    return WorkOrderEscalations(batch_size=2).run_once(court.sessions, now=at(on, hour))


@pytest.mark.parametrize(("created_on", "due_on"), [
    # The last working day before 国庆: the second working day after it.
    (date(2026, 9, 30), date(2026, 10, 9)),
    # The day before the 调休 Saturday: the Saturday counts.
    (date(2026, 10, 9), date(2026, 10, 12)),
    # Created during the holiday (a self-service contact handled on 10-03): 10-08, 10-09.
    (date(2026, 10, 3), date(2026, 10, 9)),
])
def test_the_two_working_day_clock_across_national_day(court: Court, created_on: date, due_on: date) -> None:
    _, clock = _state(court, _order(court, created_on).id)
    assert (clock.start_on, clock.due_on, clock.provisional) == (created_on, due_on, False)


def test_escalation_across_national_day_once_per_level(court: Court) -> None:
    order = _order(court, date(2026, 9, 30))  # due 10-09
    assert _run(court, date(2026, 10, 9)) == 0  # due today: not overdue yet

    assert _run(court, date(2026, 10, 10)) == 1  # the 调休 Saturday: a working day, the order is late
    escalated, clock = _state(court, order.id)
    assert (escalated.level, escalated.owner_unit_code) == (1, MS2)
    assert (clock.rule_code, clock.start_on, clock.due_on, clock.unit_code) == (
        "court_12368.escalation", date(2026, 10, 10), date(2026, 10, 12), MS2)
    assert _run(court, date(2026, 10, 10), hour=17) == 0  # once per level
    assert _run(court, date(2026, 10, 12)) == 0
    with court.sessions() as s:  # the judge's clock closed as missed; the head holds the order
        judge_clock = s.scalar(select(Deadline).where(Deadline.rule_code == "court_12368.work_order",
                                                      Deadline.subject.like("work-order:%")))
        assert judge_clock is not None and judge_clock.status == "missed"
        assert [r.order.id for r in service.list_(s, principal=court.head.principal)] == [order.id]

    assert _run(court, date(2026, 10, 13)) == 1  # then the 诉讼服务中心
    at_center, clock = _state(court, order.id)
    assert (at_center.level, at_center.owner_unit_code, clock.unit_code, clock.due_on) == (
        2, CENTER, CENTER, date(2026, 10, 14))
    assert _run(court, date(2026, 10, 20)) == 0  # the center is the last level
    with court.sessions() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrderEscalation)) == 2
        events = [decode(m.payload).data for m in s.scalars(
            select(OutboxMessage).where(OutboxMessage.event_type == "work_order.escalated").order_by(OutboxMessage.id))]
        audits = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "work_order.escalate"))
        mine = [r.order.id for r in service.list_(s, principal=court.clerk.principal)]
    assert [(e["from_level"], e["level"], e["owner_unit_code"]) for e in events] == [(0, 1, MS2), (1, 2, CENTER)]
    assert audits == 2 and mine == [order.id]

    # Escalated to the center, its clerk may answer (late: the center's clock ran out on 10-14).
    with court.sessions() as s, s.begin():
        replied = service.reply(s, order_id=order.id, reply_in={"reply_text": "已联系承办法官并告知", "delivery": "phone"},
                                actor=court.clerk.actor, now=at(date(2026, 10, 15)))
        assert (replied.status, replied.replied_on_time) == ("replied", False)


def test_nothing_escalates_on_a_rest_day(court: Court) -> None:
    order = _order(court, date(2026, 12, 9))  # Wednesday: due Friday 12-11
    assert _run(court, date(2026, 12, 12)) == 0  # Saturday, not a 调休 day
    assert _run(court, date(2026, 12, 13)) == 0
    assert _run(court, date(2026, 12, 14)) == 1  # Monday
    _, clock = _state(court, order.id)
    assert (clock.start_on, clock.due_on) == (date(2026, 12, 14), date(2026, 12, 15))


def test_a_green_order_escalates_on_its_own_limits(court: Court) -> None:
    order = _order(court, date(2026, 9, 30), is_green_channel=True)  # a 涉企 matter, ticked
    _, clock = _state(court, order.id)
    assert (clock.rule_code, clock.due_on) == ("court_12368.work_order_green", date(2026, 10, 8))
    assert _run(court, date(2026, 10, 9)) == 1
    _, clock = _state(court, order.id)
    assert (clock.rule_code, clock.due_on) == ("court_12368.escalation_green", date(2026, 10, 10))


def test_a_reply_before_the_job_runs_leaves_nothing_to_escalate(court: Court) -> None:
    order = _order(court, date(2026, 9, 30))
    with court.sessions() as s, s.begin():
        service.reply(s, order_id=order.id, reply_in={"reply_text": "已告知", "delivery": "sms"},
                      actor=court.judge.actor, now=at(date(2026, 10, 12)))  # late, but replied
    assert _run(court, date(2026, 10, 13)) == 0


def test_a_transfer_starts_escalation_again_from_the_judge(court: Court) -> None:
    order = _order(court, date(2026, 9, 30))
    assert _run(court, date(2026, 10, 10)) == 1  # level 1: 民二庭's head
    with court.sessions() as s, s.begin():
        service.transfer(s, order_id=order.id, transfer_in={"to_username": court.other_judge.username,
                                                            "reasons": "本案由民一庭审理"},
                         actor=court.head.actor, now=at(date(2026, 10, 10)))
    moved, clock = _state(court, order.id)
    assert (moved.level, moved.assignment, clock.rule_code, clock.due_on) == (
        0, 2, "court_12368.work_order", date(2026, 10, 13))
    assert _run(court, date(2026, 10, 14)) == 1
    assert _state(court, order.id)[0].level == 1  # 民一庭's head now: its own level 1


def test_many_overdue_orders_in_batches(court: Court) -> None:
    orders = [_order(court, date(2026, 9, 30)) for _ in range(5)]
    assert _run(court, date(2026, 10, 10)) == 5  # batches of 2, 2, 1
    with court.sessions() as s:
        assert {o.level for o in s.scalars(select(WorkOrder))} == {1}
    assert len(orders) == 5 and [j.name for j in jobs()] == ["work-order-escalations"]


def test_the_clock_across_spring_festival_2027(court: Court) -> None:
    # Without the 2027 notice the date is counted on weekends only, and shown provisional.
    early = _order(court, date(2027, 2, 4))
    _, provisional = _state(court, early.id)
    assert provisional.provisional is True
    with court.sessions() as s, s.begin():
        store_year(s, text=FICTIONAL_2027.read_text(encoding="utf-8"), imported_by="test")  # FICTIONAL data
    # Thursday 02-04 is the last working day before the (fictional) 02-05…02-12 holiday: due 02-16.
    order = _order(court, date(2027, 2, 4))
    _, clock = _state(court, order.id)
    assert (clock.due_on, clock.provisional) == (date(2027, 2, 16), False)
    # The engine's pass recomputes the provisional clock with the imported year: the same date now.
    deadline_jobs.run_once(court.sessions, at(date(2027, 2, 5)))
    assert _state(court, early.id)[1].due_on == date(2027, 2, 16)
    assert _run(court, date(2027, 2, 16)) == 0
    assert _run(court, date(2027, 2, 17)) == 2
    _, clock = _state(court, order.id)
    assert clock.due_on == date(2027, 2, 18)
    assert _run(court, date(2027, 2, 19)) == 2
    _, clock = _state(court, order.id)
    # From Friday 02-19, one working day: the 调休 Saturday 02-20.
    assert (clock.start_on, clock.due_on, clock.unit_code) == (date(2027, 2, 19), date(2027, 2, 20), CENTER)
