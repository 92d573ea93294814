"""Notify turns review's workflow steps into notices for the unit that must act, and only those.

The events are built from the catalogue's sample payloads with the fields that matter set; notify's
real consumer handles them, its dispatcher sends them, and the inbox is read as each person would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.notify.channels.staff_inbox import StaffInbox
from services.notify.deliveries.dispatcher import Dispatcher
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.rendering import sample_payloads
from services.notify.domains import MANIFEST as NOTIFY
from services.notify.inbox import service as inbox
from shared.actor import Actor
from shared.events import encode, new_event
from shared.kafka.consumer import EventConsumer
from tests.support.auth import AuthKeys
from tests.support.court_intake import deliver, offline_consumer

ITEM = {"petition_id": "pid-1", "case_number": "宛检12309〔2026〕7号", "unit_code": "NY-JCY-KS", "round": 1}


@pytest.fixture
def consumer(notify_db: sessionmaker[Session]) -> Iterator[EventConsumer]:
    c = offline_consumer("notify", NOTIFY.handlers(), notify_db)
    yield c
    assert c.stats.dead_lettered == 0


def _send(consumer: EventConsumer, event_type: str, **fields: Any) -> None:
    data = {**sample_payloads(event_type)["full"], **ITEM, **fields}
    deliver(consumer, [encode(new_event(event_type, subject="pid-1", source="review", data=data))])


def _delivered(notify_db: sessionmaker[Session]) -> list[tuple[str, str | None, str, str]]:
    with notify_db() as s:
        return [(d.recipient, d.unit_code, d.template, d.title) for d in s.scalars(select(Delivery).order_by(Delivery.id))]


def test_each_step_reaches_the_unit_that_must_act(consumer: EventConsumer, notify_db: sessionmaker[Session]) -> None:
    _send(consumer, "triage.routed", route="assigned", handling_unit_code="NY-JCY-WC", due_on="2026-10-08")
    _send(consumer, "triage.routed", route="transferred_in_tree", unit_code="NY-FY-SF", handling_unit_code=None)
    _send(consumer, "handling.returned", handling_unit_code=None, from_unit_code="NY-JCY-WC", reasons="不属本院管辖")
    _send(consumer, "supervision.opened", supervised_unit_code="NY-JCY-WC", supervising_unit_code="NY-JCY")
    _send(consumer, "supervision.reported", supervised_unit_code="NY-JCY-WC", supervising_unit_code="NY-JCY")
    _send(consumer, "work_order.created", owner_unit_code="NY-FY-MS2", is_green_channel=True)
    _send(consumer, "feedback.recorded", rating="dissatisfied", handling_unit_code="NY-JCY-WC", reasons="未解决")
    assert sorted((r, u, t) for r, u, t, _ in _delivered(notify_db)) == sorted([
        ("unit:case-handlers", "NY-JCY-WC", "triage.routed"),
        ("unit:triage-officers", "NY-FY-SF", "triage.routed"),
        ("unit:triage-officers", "NY-JCY-KS", "handling.returned"),
        ("unit:case-handlers", "NY-JCY-WC", "supervision.opened"),
        ("unit:deadline-supervisors", "NY-JCY", "supervision.reported"),
        ("unit:court-staff", "NY-FY-MS2", "work_order.created"),
        ("unit:case-handlers", "NY-JCY-WC", "feedback.recorded"),
    ])
    titles = {template + ":" + unit: title for _, unit, template, title in _delivered(notify_db)}
    assert titles["triage.routed:NY-JCY-WC"] == "交办待受理 宛检12309〔2026〕7号"
    assert titles["triage.routed:NY-FY-SF"] == "移送待分流 宛检12309〔2026〕7号"
    assert titles["work_order.created:NY-FY-MS2"] == "【绿色通道】12368 工单 宛检12309〔2026〕7号"
    assert titles["feedback.recorded:NY-JCY-WC"] == "答复不满意 宛检12309〔2026〕7号"


def test_steps_that_ask_nobody_to_act_send_nothing(consumer: EventConsumer, notify_db: sessionmaker[Session]) -> None:
    _send(consumer, "triage.routed", route="here", handling_unit_code="NY-JCY-KS")
    _send(consumer, "triage.routed", route="transferred_out", to_organ="南阳市市场监督管理局")
    _send(consumer, "feedback.recorded", rating="satisfied", handling_unit_code="NY-JCY-WC")
    assert _delivered(notify_db) == []
    assert consumer.stats.handled == 3


def test_the_handlers_of_the_unit_read_a_jiaoban_and_others_do_not(
    consumer: EventConsumer, notify_db: sessionmaker[Session], test_keys: AuthKeys,
) -> None:
    _send(consumer, "triage.routed", route="assigned", handling_unit_code="NY-JCY-WC", due_on="2026-10-08")
    assert Dispatcher(notify_db, {"staff_inbox": StaffInbox()}).run_once() == 1

    def titles(role: str, unit: str) -> list[str]:
        with notify_db() as s:
            return [n.delivery.title for n in inbox.page(s, actor=Actor.of(test_keys.principal(role, unit))).notices]

    assert titles("case_handler", "NY-JCY-WC") == ["交办待受理 宛检12309〔2026〕7号"]
    assert titles("unit_leader", "NY-JCY") == ["交办待受理 宛检12309〔2026〕7号"]  # the 市院 sees its units'
    assert titles("case_handler", "NY-JCY-WL") == []  # another 基层院
    assert titles("triage_officer", "NY-JCY-WC") == []  # not the handlers' group
