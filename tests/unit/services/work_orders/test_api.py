"""The 工单 API in-process: the shared error shape (422 with problems, 403, 404, 409), nothing stored on a
refusal, the examples accepted, and the clock moved with time-machine across 国庆 (no sleeps)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.review.work_orders.jobs import WorkOrderEscalations
from services.review.work_orders.models import WorkOrder
from shared.audit.models import AuditEntry
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys
from tests.support.work_orders import MS2, RELATED, Court, Staff, at


@pytest.fixture
def court(review_app: Flask, test_keys: AuthKeys) -> Court:
    return Court(review_app.extensions["huhang"].session_factory, test_keys)


@pytest.fixture
def client(review_app: Flask) -> FlaskClient:
    return review_app.test_client()


@pytest.fixture(autouse=True)
def _eve_of_national_day() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc), tick=False):
        yield


def _h(keys: AuthKeys, staff: Staff) -> dict[str, str]:
    p = staff.principal
    role = sorted(p.roles)[0]
    return {"Authorization": f"Bearer {keys.token(role, p.unit_code, username=p.username)}"}


def _stored(app: Flask) -> tuple[int, int, int]:
    with app.extensions["huhang"].session_factory() as s:
        return (s.scalar(select(func.count()).select_from(WorkOrder)) or 0,
                s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
                # A refusal by role is audited as a failure (shared/auth): only successes count as stored.
                s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.outcome == "success")) or 0)


def _example(client: FlaskClient, path: str) -> dict[str, Any]:
    doc = client.get("/openapi.json").json
    example: dict[str, Any] = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"]
    return example


def test_create_reply_and_read_through_the_api(client: FlaskClient, court: Court, test_keys: AuthKeys) -> None:
    petition_id = court.item(date(2026, 9, 30))
    body = {**_example(client, "/api/v1/work-orders/items/{petition_id}"), "to_username": court.judge.username}
    created = client.post(f"/api/v1/work-orders/items/{petition_id}", json=body, headers=_h(test_keys, court.clerk))
    assert created.status_code == 201, created.json
    order = created.json
    assert created.headers["Location"] == f"/api/v1/work-orders/{order['id']}"
    assert order["clock"]["due_on"] == "2026-10-09" and order["clock"]["overdue"] is False
    assert (order["unit_code"], order["assignee_name"], order["status"]) == (MS2, "王法官", "open")

    mine = client.get("/api/v1/work-orders", headers=_h(test_keys, court.judge))
    assert [o["id"] for o in mine.json] == [order["id"]]
    reply = _example(client, "/api/v1/work-orders/{order_id}/reply")
    with time_machine.travel(datetime(2026, 10, 9, 2, 0, tzinfo=timezone.utc), tick=False):
        replied = client.post(f"/api/v1/work-orders/{order['id']}/reply", json=reply, headers=_h(test_keys, court.judge))
    assert replied.status_code == 200, replied.json
    assert (replied.json["status"], replied.json["replied_on"], replied.json["replied_on_time"]) == (
        "replied", "2026-10-09", True)
    again = client.post(f"/api/v1/work-orders/{order['id']}/reply", json=reply, headers=_h(test_keys, court.judge))
    assert again.status_code == 409 and again.json["code"] == "work_order.closed"
    assert set(again.json["message"]) == {"zh", "en"}


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"request": "x", "to_username": "t-judge-ms2"}, "related_case_number", None),
    ({"related_case_number": "豫13民初1234号", "request": "x", "to_username": "t-judge-ms2"}, "related_case_number", None),
    ({"related_case_number": RELATED, "to_username": "t-judge-ms2"}, "request", None),
    ({"related_case_number": RELATED, "request": "x", "kind": "on_the_spot"}, "reply_text", "work_order.reply_required"),
    ({"related_case_number": RELATED, "request": "x"}, "to_unit_code", "work_order.target_required"),
    ({"related_case_number": RELATED, "request": "x", "to_unit_code": "NY-JCY-WC"}, "to_unit_code",
     "work_order.not_in_court_tree"),
    ({"related_case_number": RELATED, "request": "x", "to_username": "t-handler"}, "to_username",
     "work_order.not_a_judge"),
])
def test_invalid_input_is_422_with_the_field_and_nothing_stored(
    client: FlaskClient, review_app: Flask, court: Court, test_keys: AuthKeys, body: dict[str, Any], field: str,
    code: str | None,
) -> None:
    petition_id = court.item(date(2026, 9, 30))
    before = _stored(review_app)
    answer = client.post(f"/api/v1/work-orders/items/{petition_id}", json=body, headers=_h(test_keys, court.clerk))
    assert answer.status_code == 422, answer.json
    problems = {p["field"]: p for p in answer.json["problems"]}
    assert field in problems, answer.json
    if code:
        assert problems[field]["code"] == code
    assert set(problems[field]["message"]) == {"zh", "en"}
    assert _stored(review_app) == before


def test_who_may_call(client: FlaskClient, review_app: Flask, court: Court, test_keys: AuthKeys) -> None:
    petition_id = court.item(date(2026, 9, 30))
    body = {"related_case_number": RELATED, "request": "x", "to_username": court.judge.username}
    before = _stored(review_app)
    # A judge does not create; a procuratorate handler has no 工单 at all.
    assert client.post(f"/api/v1/work-orders/items/{petition_id}", json=body,
                       headers=_h(test_keys, court.judge)).status_code == 403
    assert client.get("/api/v1/work-orders", headers=_h(test_keys, court.prosecutor)).status_code == 403
    # The court's own clerk above the center sees the contact but does not act for the center.
    above = client.post(f"/api/v1/work-orders/items/{petition_id}", json=body,
                        headers=test_keys.headers("court_clerk", "NY-FY"))
    assert above.status_code == 403 and above.json["code"] == "not_your_unit"
    unseen = client.post(f"/api/v1/work-orders/items/{petition_id}", json=body,
                         headers=test_keys.headers("court_clerk", "NY-FY-WC"))
    assert unseen.status_code == 404 and unseen.json["code"] == "item_not_found"
    assert _stored(review_app) == before

    order = client.post(f"/api/v1/work-orders/items/{petition_id}", json=body, headers=_h(test_keys, court.clerk)).json
    reply = {"reply_text": "x", "delivery": "phone"}
    other = client.post(f"/api/v1/work-orders/{order['id']}/reply", json=reply, headers=_h(test_keys, court.other_judge))
    assert other.status_code == 404 and other.json["code"] == "work_order_not_found"
    court_level = client.post(f"/api/v1/work-orders/{order['id']}/reply", json=reply,
                              headers=_h(test_keys, court.court_judge))
    assert court_level.status_code == 403 and court_level.json["code"] == "not_your_unit"
    reassign = client.post(f"/api/v1/work-orders/{order['id']}/reassign", json={"to_username": "t-judge-ms2",
                                                                               "reasons": "x"},
                           headers=_h(test_keys, court.judge))
    assert reassign.status_code == 403  # 改派 is the head's
    inside = client.post(f"/api/v1/work-orders/{order['id']}/transfer", json={"to_unit_code": MS2, "reasons": "x"},
                         headers=_h(test_keys, court.judge))
    assert inside.status_code == 422 and inside.json["problems"][0]["code"] == "work_order.transfer_within_division"
    unknown = client.get("/api/v1/work-orders/no-such-order", headers=_h(test_keys, court.judge))
    assert unknown.status_code == 404


def test_escalation_seen_through_the_api_as_time_moves(
    client: FlaskClient, review_app: Flask, court: Court, test_keys: AuthKeys,
) -> None:
    petition_id = court.item(date(2026, 9, 30))
    order = client.post(f"/api/v1/work-orders/items/{petition_id}", json={
        "related_case_number": RELATED, "request": "x", "to_username": court.judge.username},
        headers=_h(test_keys, court.clerk)).json
    sessions = review_app.extensions["huhang"].session_factory
    for day, level in ((date(2026, 10, 9), 0), (date(2026, 10, 10), 1), (date(2026, 10, 12), 1), (date(2026, 10, 13), 2)):
        with time_machine.travel(at(day, 9), tick=False):
            WorkOrderEscalations().run_once(sessions, now=at(day, 9))
            read = client.get(f"/api/v1/work-orders/{order['id']}", headers=_h(test_keys, court.clerk)).json
        assert read["level"] == level, (day, read)
    assert [e["level"] for e in read["escalations"]] == [1, 2]
    assert read["clock"]["rule_code"] == "court_12368.escalation" and read["clock"]["due_on"] == "2026-10-14"
    held = client.get("/api/v1/work-orders", headers=_h(test_keys, court.clerk)).json
    assert [o["id"] for o in held] == [order["id"]]
