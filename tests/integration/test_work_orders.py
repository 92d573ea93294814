"""12368 工单 over the real broker and PostgreSQL.

* The journey: a 12368 contact registered through intake's API becomes review's item (its
  consumer), the 12368 clerk makes a work order to 民二庭's judge through review's API, the judge
  replies; the `work_order.*` events are on the review topic in order, the item is 已答复, and
  intake's read model sees the contact's clock met (its consumer of review's deadline events).
* The escalation job's claims on PostgreSQL: two replicas at once never take one order twice
  (``FOR UPDATE SKIP LOCKED``), and a level is reached once.
"""

from __future__ import annotations

import copy
import threading
from datetime import date
from typing import Any

import requests
from sqlalchemy import func, select

from services.intake.petitions.schemas import PETITION_EXAMPLE
from services.intake.status.models import StatusDeadline
from services.review.identity.accounts.models import StaffAccount
from services.review.work_orders import service
from services.review.work_orders.escalation import claim_overdue, escalate
from services.review.work_orders.models import WorkOrder, WorkOrderEscalation
from shared.calendar import Unit, beijing_today, period_end
from shared.config import KafkaSettings
from shared.db.base import utcnow
from shared.db.engine import make_engine, make_session_factory
from shared.events import decode
from tests.support.auth import AuthKeys
from tests.support.kafka import read_topic
from tests.support.stack import Stack, wait_for
from tests.support.work_orders import Court, at

COURT_CONTACT = {**copy.deepcopy(PETITION_EXAMPLE), "line": "12368", "petition_type": "联系法官",
                 "related_case_number": "（2026）豫13民初1234号"}


def _add_judge(url: str, keys: AuthKeys) -> dict[str, str]:
    """民二庭's judge as an account of review (the token's user id is the account's)."""
    p = keys.principal("judge", "NY-FY-MS2", username="t-judge-ms2")
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s, s.begin():
            s.add(StaffAccount(id=p.user_id, username=p.username, display_name="王法官", unit_code=p.unit_code,
                               roles=["judge"], password_hash="x", password_changed_at=utcnow()))
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {keys.token('judge', 'NY-FY-MS2', username=p.username)}"}


def _item(review: str, petition_id: str, headers: dict[str, str]) -> dict[str, Any] | None:
    answer = requests.get(f"{review}/api/v1/triage", params={"petition_id": petition_id}, headers=headers, timeout=5)
    assert answer.status_code == 200, answer.text
    return next((i for i in answer.json() if i["petition_id"] == petition_id), None)


def _contact_clock(url: str, petition_id: str) -> StatusDeadline | None:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            row = s.scalar(select(StatusDeadline).where(StatusDeadline.subject_id == petition_id,
                                                        StatusDeadline.rule_code == "court_12368.work_order"))
            if row is not None:
                s.expunge(row)
            return row
    finally:
        engine.dispose()


def test_a_12368_contact_becomes_an_order_the_judge_replies_to(
    stack: Stack, test_keys: AuthKeys, kafka_settings: KafkaSettings,
) -> None:
    clerk = test_keys.headers("court_clerk", "NY-FY-SF")
    watcher = test_keys.headers("task_force")
    judge = _add_judge(stack.database_urls["review"], test_keys)
    intake = stack.start_api("intake")
    review = stack.start_api("review")
    for svc in ("intake", "review"):
        stack.start_workers(svc)

    registered = requests.post(f"{intake}/api/v1/petitions", json=COURT_CONTACT, headers=clerk, timeout=10)
    assert registered.status_code == 201, registered.text
    petition_id = registered.json()["id"]
    item = wait_for(lambda: _item(review, petition_id, watcher), what="review's item of the contact")
    assert (item["line"], item["status"], item["unit_code"]) == ("12368", "pending", "NY-FY-SF")

    created = requests.post(f"{review}/api/v1/work-orders/items/{petition_id}", headers=clerk, timeout=10, json={
        "related_case_number": "（2026）豫13民初1234号", "request": "来电人询问开庭时间", "to_username": "t-judge-ms2"})
    assert created.status_code == 201, created.text
    order = created.json()
    today = beijing_today()
    assert order["clock"]["due_on"] == period_end(today, 2, Unit.WORKING_DAY).date.isoformat()

    mine = requests.get(f"{review}/api/v1/work-orders", headers=judge, timeout=5).json()
    assert [o["id"] for o in mine] == [order["id"]]
    replied = requests.post(f"{review}/api/v1/work-orders/{order['id']}/reply", headers=judge, timeout=10,
                            json={"reply_text": "开庭时间另行通知", "delivery": "phone"})
    assert replied.status_code == 200, replied.text
    assert replied.json()["replied_on_time"] is True
    assert _item(review, petition_id, watcher)["status"] == "replied"  # type: ignore[index]

    records = read_topic(kafka_settings, kafka_settings.events_topic("review"), at_least=4)
    events = [decode(r.value) for r in records]
    ours = [e for e in events if e.subject == petition_id and e.type.startswith("work_order.")]
    assert [e.type for e in ours] == ["work_order.created", "work_order.replied"]
    assert ours[0].data["status"] == "handling" and ours[1].data["status"] == "replied"
    assert ours[0].data["handling_unit_code"] == "NY-FY-MS2" and ours[1].data["on_time"] is True
    # Intake follows the contact's clock (review's deadline events): met by the judge's reply.
    met = wait_for(lambda: (lambda r: r if r is not None and r.status != "open" else None)(
        _contact_clock(stack.database_urls["intake"], petition_id)), what="intake's copy of the contact's clock")
    assert met.status == "met" and met.closed_on == today


def test_two_replicas_escalate_each_order_once(pg_session_for, test_keys: AuthKeys) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("review")
    court = Court(sessions, test_keys)
    created_on = date(2026, 9, 30)
    body = {"related_case_number": "（2026）豫13民初1234号", "request": "联系法官", "to_username": court.judge.username}
    for _ in range(6):
        with sessions() as s, s.begin():
            service.create(s, petition_id=court.item(created_on), order_in=body, actor=court.clerk.actor,
                           now=at(created_on))
    today = date(2026, 10, 10)

    # One replica holds its claim open while the other claims: it gets the other rows, never the same.
    with sessions() as first, first.begin():
        held = {o.id for o in claim_overdue(first, today=today, limit=3)}
        got: dict[str, set[str]] = {}

        def other_replica() -> None:
            with sessions() as second, second.begin():
                claimed = claim_overdue(second, today=today, limit=10)
                got["ids"] = {o.id for o in claimed}
                for order in claimed:
                    escalate(second, order, today=today)

        thread = threading.Thread(target=other_replica)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert len(held) == 3 and len(got["ids"]) == 3 and not held & got["ids"]
        for order_id in held:
            order = first.get(WorkOrder, order_id)
            assert order is not None
            escalate(first, order, today=today)

    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(WorkOrderEscalation)) == 6
        assert {o.level for o in s.scalars(select(WorkOrder))} == {1}
    # Another pass the same day finds nothing to do: a level is reached once.
    with sessions() as s, s.begin():
        assert claim_overdue(s, today=today, limit=10) == []
