"""The rules of 12368 工单 over a session: create, reply, on-the-spot, 转办, 改派, green channel, refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching
from services.review.deadlines.models import Deadline
from services.review.triage.access import ItemNotFound, NotYourUnit, WrongState
from services.review.triage.models import TriageItem
from services.review.work_orders import clocks, service, targets
from services.review.work_orders.models import WorkOrder
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.work_orders import CENTER, MS1, MS2, RELATED, Court, Staff, at

OCT_8 = date(2026, 10, 8)  # Thursday, the first working day after 国庆 2026


def _create(court: Court, petition_id: str, on: date, *, by: Staff | None = None, **order_in: Any) -> WorkOrder:
    body = {"related_case_number": RELATED, "request": "来电人询问开庭时间", "to_username": court.judge.username,
            **order_in}
    with court.sessions() as s, s.begin():
        order = service.create(s, petition_id=petition_id, order_in=body, actor=(by or court.clerk).actor, now=at(on))
        s.expunge(order)
        return order


def _act(court: Court, fn: Callable[..., WorkOrder], order_id: str, by: Staff, on: date, **body: Any) -> WorkOrder:
    name = {"reply": "reply_in", "transfer": "transfer_in", "reassign": "reassign_in"}[fn.__name__]
    with court.sessions() as s, s.begin():
        order = fn(s, order_id=order_id, actor=by.actor, now=at(on), **{name: body})
        s.expunge(order)
        return order


def _reply(court: Court, order_id: str, by: Staff, on: date) -> WorkOrder:
    return _act(court, service.reply, order_id, by, on, reply_text="开庭定于10月12日上午", delivery="phone")


def _item(court: Court, petition_id: str) -> TriageItem:
    with court.sessions() as s:
        item = s.scalar(select(TriageItem).where(TriageItem.petition_id == petition_id))
        assert item is not None
        s.expunge(item)
        return item


def _clock(court: Court, deadline_id: str | None) -> Deadline:
    with court.sessions() as s:
        deadline = s.get(Deadline, deadline_id)
        assert deadline is not None
        s.expunge(deadline)
        return deadline


def _events(court: Court, type_: str) -> list[dict[str, Any]]:
    with court.sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.event_type == type_).order_by(OutboxMessage.id))
        return [decode(r.payload).data for r in rows]


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    with sessions() as s:
        return (s.scalar(select(func.count()).select_from(WorkOrder)) or 0,
                s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_an_order_to_the_judge_runs_his_clock_and_the_item_is_handled_by_his_division(court: Court) -> None:
    petition_id = court.item(OCT_8)
    order = _create(court, petition_id, OCT_8)

    assert (order.status, order.unit_code, order.owner_unit_code, order.level) == ("open", MS2, MS2, 0)
    assert order.assignee_name == "王法官" and order.assignee_user_id == court.judge.principal.user_id
    clock = _clock(court, order.deadline_id)
    # Two working days from Thursday 10-08: 10-09 and the 调休 Saturday 10-10.
    assert (clock.rule_code, clock.start_on, clock.due_on, clock.unit_code) == (
        "court_12368.work_order", OCT_8, date(2026, 10, 10), MS2)
    assert clock.subject == clocks.subject_of(order.id, 1)
    item = _item(court, petition_id)
    assert (item.status, item.handling_unit_code, item.handler_name) == ("handling", MS2, "王法官")
    assert item.next_due_on == date(2026, 10, 10)
    [created] = _events(court, "work_order.created")
    assert created["work_order_id"] == order.id and created["status"] == "handling" and created["due_on"] == "2026-10-10"
    assert created["order_unit_code"] == MS2 and created["kind"] == "order" and created["unit_code"] == CENTER
    with court.sessions() as s:
        audit = s.scalar(select(AuditEntry).where(AuditEntry.action == "work_order.create"))
        assert audit is not None and audit.subject_id == order.id and audit.actor == "t-clerk"
        assert audit.after["item"]["status"] == "handling"


def test_the_judges_reply_meets_his_clock_and_the_contacts_clock_and_the_item_is_replied(court: Court) -> None:
    petition_id = court.item(OCT_8)
    order = _create(court, petition_id, OCT_8)
    replied = _reply(court, order.id, court.judge, date(2026, 10, 9))

    assert (replied.status, replied.replied_on_time, replied.reply_delivery) == ("replied", True, "phone")
    assert _clock(court, order.deadline_id).status == "met"
    item = _item(court, petition_id)
    assert item.status == "replied" and item.next_due_on is None
    with court.sessions() as s:
        contact = s.scalar(select(Deadline).where(Deadline.subject == petition_id))
        assert contact is not None and (contact.rule_code, contact.status) == ("court_12368.work_order", "met")
    [event] = _events(court, "work_order.replied")
    assert event["status"] == "replied" and event["on_time"] is True and event["delivery"] == "phone"


def test_an_answer_on_the_spot_is_an_order_closed_at_once(court: Court) -> None:
    petition_id = court.item(OCT_8)
    order = _create(court, petition_id, OCT_8, kind="on_the_spot", to_username=None,
                    reply_text="案件已于9月立案，承办法官为王法官", delivery="phone")

    assert (order.kind, order.status, order.deadline_id, order.unit_code) == ("on_the_spot", "replied", None, CENTER)
    assert _item(court, petition_id).status == "replied"
    assert [e["kind"] for e in _events(court, "work_order.created")] == ["on_the_spot"]
    assert len(_events(court, "work_order.replied")) == 1


def test_a_second_open_order_keeps_the_item_in_handling_until_both_are_replied(court: Court) -> None:
    petition_id = court.item(OCT_8)
    first = _create(court, petition_id, OCT_8)
    second = _create(court, petition_id, OCT_8, to_username=None, to_unit_code=MS1)
    assert second.assignee_name is None and second.unit_code == MS1
    _reply(court, first.id, court.judge, OCT_8)
    assert _item(court, petition_id).status == "handling"
    _reply(court, second.id, court.other_judge, OCT_8)
    assert _item(court, petition_id).status == "replied"


def test_a_green_channel_case_runs_the_shorter_limit(court: Court) -> None:
    with court.sessions() as s, s.begin():  # intake granted the 立案绿色通道 on that 案号 (cases/court)
        attaching.attach(s, subject="court-case-1", rule_code="court.green_channel", start_on=date(2026, 9, 1),
                         unit_code="NY-FY", case_number=RELATED)
    order = _create(court, court.item(date(2026, 9, 30)), date(2026, 9, 30))
    assert (order.is_green_channel, order.green_source) == (True, "court_case")
    clock = _clock(court, order.deadline_id)
    # One working day from the eve of 国庆: the first working day after it.
    assert (clock.rule_code, clock.due_on) == ("court_12368.work_order_green", OCT_8)
    ticked = _create(court, court.item(OCT_8), OCT_8, related_case_number="（2026）豫13民初99号",
                     is_green_channel=True)
    assert (ticked.is_green_channel, ticked.green_source) == (True, "clerk")
    plain = _create(court, court.item(OCT_8), OCT_8, related_case_number="（2026）豫13民初99号")
    assert plain.is_green_channel is False


def test_green_channel_ticked_for_a_matter_not_enterprise_is_refused_and_nothing_is_stored(court: Court) -> None:
    petition_id = court.item(OCT_8, enterprise=False)
    before = _counts(court.sessions)
    with pytest.raises(service.GreenChannelNotEnterprise) as refused:
        _create(court, petition_id, OCT_8, related_case_number="（2026）豫13民初99号", is_green_channel=True)
    assert refused.value.field == "is_green_channel"
    assert _counts(court.sessions) == before and _item(court, petition_id).status == "pending"


@pytest.mark.parametrize(("order_in", "error"), [
    ({"to_username": None}, targets.TargetRequired),
    ({"to_username": "t-nobody"}, targets.NotAJudge),
    ({"to_username": "t-clerk"}, targets.NotAJudge),  # an account of the tree, but not a judge
    ({"to_username": None, "to_unit_code": "NY-JCY-WC"}, targets.NotInCourtTree),  # a procuratorate
    ({"to_username": None, "to_unit_code": CENTER}, targets.NotInCourtTree),  # the center itself
    ({"to_unit_code": MS1}, targets.JudgeNotInUnit),  # 民二庭's judge named with 民一庭
])
def test_a_target_outside_the_courts_judges_is_refused(court: Court, order_in: dict[str, Any], error: type) -> None:
    petition_id = court.item(OCT_8)
    before = _counts(court.sessions)
    with pytest.raises(error):
        _create(court, petition_id, OCT_8, **order_in)
    assert _counts(court.sessions) == before


def test_who_may_create(court: Court, test_keys: Any) -> None:
    petition_id = court.item(OCT_8)
    # Another court's clerk does not see the center's matter; the court above sees it but does not act for it.
    with pytest.raises(ItemNotFound):
        _create(court, petition_id, OCT_8, by=Staff(test_keys.principal("court_clerk", "NY-FY-WC")))
    with pytest.raises(NotYourUnit):
        _create(court, petition_id, OCT_8, by=Staff(test_keys.principal("court_clerk", "NY-FY")))
    with pytest.raises(service.ClerksOnly):
        _create(court, petition_id, OCT_8, by=Staff(test_keys.principal("judge", CENTER)))
    with pytest.raises(ItemNotFound):
        _create(court, petition_id, OCT_8, by=court.prosecutor)
    # A 12309 matter has no work orders.
    with court.sessions() as s, s.begin():
        s.add(TriageItem(petition_id="p-12309", case_number="宛检12309〔2026〕1号", line="12309", channel="电",
                         petition_type="控告", is_enterprise=False, petitioner_masked="张*", summary="x",
                         received_on=OCT_8, source_event_id="e", unit_code=CENTER))
    with pytest.raises(service.NotA12368Item):
        _create(court, "p-12309", OCT_8)


def test_no_order_on_a_matter_already_replied(court: Court) -> None:
    petition_id = court.item(OCT_8)
    _reply(court, _create(court, petition_id, OCT_8).id, court.judge, OCT_8)
    with pytest.raises(WrongState):
        _create(court, petition_id, OCT_8)


def test_who_may_reply(court: Court) -> None:
    order = _create(court, court.item(OCT_8), OCT_8)
    with pytest.raises(service.WorkOrderNotFound):  # 民一庭 does not see 民二庭's order
        _reply(court, order.id, court.other_judge, OCT_8)
    with pytest.raises(NotYourUnit):  # the court above sees it, but the division answers
        _reply(court, order.id, court.court_judge, OCT_8)
    with pytest.raises(NotYourUnit):  # the center, before the order is escalated to it
        _reply(court, order.id, court.clerk, OCT_8)
    _reply(court, order.id, court.head, OCT_8)  # the division's head answers for it
    with pytest.raises(service.OrderClosed):
        _reply(court, order.id, court.judge, OCT_8)


def test_a_transfer_restarts_the_clock_for_the_new_division_and_closes_the_old_one(court: Court) -> None:
    petition_id = court.item(OCT_8)
    order = _create(court, petition_id, OCT_8)
    old_clock = order.deadline_id
    moved = _act(court, service.transfer, order.id, court.judge, date(2026, 10, 9), to_username=court.other_judge.username,
                 reasons="本案由民一庭审理")

    assert (moved.unit_code, moved.owner_unit_code, moved.assignee_name, moved.assignment) == (MS1, MS1, "赵法官", 2)
    assert _clock(court, old_clock).status == "met"  # transferred before its due date
    new_clock = _clock(court, moved.deadline_id)
    # Restarted on Friday 10-09: the 调休 Saturday 10-10 and Monday 10-12.
    assert (new_clock.start_on, new_clock.due_on, new_clock.unit_code) == (date(2026, 10, 9), date(2026, 10, 12), MS1)
    assert _item(court, petition_id).handling_unit_code == MS1
    [event] = _events(court, "work_order.transferred")
    assert event["kind"] == "transfer" and event["restarted"] is True and event["to_unit_code"] == MS1
    # 民二庭 no longer acts on it; 民一庭 does.
    with pytest.raises(service.WorkOrderNotFound):
        _reply(court, order.id, court.judge, date(2026, 10, 9))
    assert _reply(court, order.id, court.other_judge, date(2026, 10, 12)).replied_on_time is True


def test_transfers_the_same_day_each_get_a_clock_of_their_own(court: Court) -> None:
    order = _create(court, court.item(OCT_8), OCT_8)
    _act(court, service.transfer, order.id, court.judge, OCT_8, to_unit_code=MS1, reasons="民一庭")
    back = _act(court, service.transfer, order.id, court.other_judge, OCT_8, to_unit_code=MS2, reasons="退回民二庭")
    assert back.assignment == 3
    with court.sessions() as s:
        assert len(service.clocks_of(s, order.id)) == 3


def test_a_transfer_inside_the_division_is_the_heads_reassignment(court: Court) -> None:
    order = _create(court, court.item(OCT_8), OCT_8, to_username=None, to_unit_code=MS2)
    with pytest.raises(service.TransferWithinDivision):
        _act(court, service.transfer, order.id, court.judge, OCT_8, to_unit_code=MS2, reasons="x")
    with pytest.raises(service.HeadsOnly):
        _act(court, service.reassign, order.id, court.judge, OCT_8, to_username=court.judge.username, reasons="x")
    with pytest.raises(targets.JudgeNotInUnit):
        _act(court, service.reassign, order.id, court.head, OCT_8, to_username=court.other_judge.username, reasons="x")
    moved = _act(court, service.reassign, order.id, court.head, date(2026, 10, 9), to_username=court.judge.username,
                 reasons="由王法官承办")
    assert (moved.assignee_name, moved.deadline_id, moved.assignment) == ("王法官", order.deadline_id, 1)
    with pytest.raises(service.SameTarget):
        _act(court, service.reassign, order.id, court.head, OCT_8, to_username=court.judge.username, reasons="x")
    [event] = _events(court, "work_order.transferred")
    assert event["kind"] == "reassign" and event["restarted"] is False


def test_the_lists_mine_and_my_divisions_overdue_first(court: Court) -> None:
    late = _create(court, court.item(date(2026, 9, 28)), date(2026, 9, 28))  # due 09-30
    soon = _create(court, court.item(OCT_8), OCT_8)
    other = _create(court, court.item(OCT_8), OCT_8, to_username=None, to_unit_code=MS2)
    with court.sessions() as s:
        mine = [r.order.id for r in service.list_(s, principal=court.judge.principal)]
        unit = [r.order.id for r in service.list_(s, principal=court.judge.principal, scope="unit")]
        head = [r.order.id for r in service.list_(s, principal=court.head.principal)]
        seen_by_ms1 = service.list_(s, principal=court.other_judge.principal, scope="visible")
        center = [r.order.id for r in service.list_(s, principal=court.clerk.principal, scope="unit")]
    assert mine == [late.id, soon.id]
    assert unit[0] == late.id and set(unit) == {late.id, soon.id, other.id}
    assert head == [other.id]  # sent to the division with no judge named: the head holds it
    assert seen_by_ms1 == [] and set(center) == {late.id, soon.id, other.id}


def test_the_item_next_due_on_is_the_nearest_of_its_own_and_its_orders_clocks(court: Court) -> None:
    petition_id = court.item(date(2026, 9, 28))  # the contact's clock: due 09-30
    _create(court, petition_id, date(2026, 9, 29))  # the judge's: due 10-08
    assert _item(court, petition_id).next_due_on == date(2026, 9, 30)
    with court.sessions() as s, s.begin():
        contact = clocks.contact_clock(s, petition_id)
        assert contact is not None
        clocks.close(s, contact.id, on=date(2026, 9, 29), actor="test", note="t")
    assert _item(court, petition_id).next_due_on == OCT_8


def test_the_system_actor_cannot_create() -> None:
    with pytest.raises(service.ClerksOnly):
        service._principal(Actor.system())


def test_the_list_reads_a_fixed_number_of_queries_however_many_orders(court: Court) -> None:
    from sqlalchemy import event

    from services.review.work_orders import reading

    def statements(n: int) -> int:
        for _ in range(n):
            order = _create(court, court.item(OCT_8), OCT_8)
            _act(court, service.transfer, order.id, court.judge, OCT_8, to_unit_code=MS1, reasons="民一庭")
        seen: list[str] = []
        with court.sessions() as s:
            engine = s.get_bind()
            listener = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
            event.listen(engine, "before_cursor_execute", listener)
            try:
                rows = reading.as_read_many(s, service.list_(s, principal=court.clerk.principal, scope="unit"), today=OCT_8)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
        assert all(len(r["transfers"]) == 1 for r in rows)
        return len(seen)

    assert statements(1) == statements(4)
