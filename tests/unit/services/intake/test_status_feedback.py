"""考评反馈 in intake: the timeline follows the review workflow's events, and the petitioner rates the reply once per round.

Review's own events go through the real consumer path (status_events.deliver); the triage and
handling steps' events, whose schemas those steps add, are handed to their handlers directly.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.intake.status import handlers
from services.intake.status.models import StatusFeedback
from shared.events import Envelope, new_event
from shared.outbox import OutboxMessage
from tests.support.pages import csrf_token, soup
from tests.unit.services.intake.status_events import Clock, ReviewOf, at, deliver, register_petition, set_clock

RECEIVED = date(2026, 11, 2)


@pytest.fixture
def clock(intake_app: Flask) -> Clock:
    return set_clock(intake_app, date(2026, 12, 10))


@pytest.fixture
def petition(intake_client: FlaskClient) -> dict[str, Any]:
    return register_petition(intake_client)


def _item(review: ReviewOf, round_: int = 1, status: str = "handling") -> dict[str, Any]:
    return {"petition_id": review.petition_id, "case_number": review.case_number, "unit_code": "NY-JCY-KS",
            "handling_unit_code": "NY-JCY-WC", "status": status, "round": round_}


def _handle(app: Flask, type_: str, review: ReviewOf, data: dict[str, Any], when: datetime | None = None) -> None:
    """An event of the triage or handling step, straight to its handler (its schema is that step's)."""
    event = Envelope(type=type_, version=1, subject=review.petition_id, source="review", data=data,
                     occurred_at=when or at(date(2026, 11, 4)))
    with app.extensions["huhang"].session_factory() as s, s.begin():
        handlers.HANDLERS[type_](s, event)


def _ours(review: ReviewOf, type_: str, data: dict[str, Any]) -> Envelope:
    return new_event(type_, subject=review.petition_id, source="review", data=data)


def _replied(app: Flask, review: ReviewOf, kind: str, on: date, round_: int = 1) -> None:
    _handle(app, "handling.replied", review, {**_item(review, round_, "replied" if kind == "final" else "handling"),
                                              "kind": kind, "outcome": "支持", "delivery": "邮寄",
                                              "replied_on": on.isoformat(), "document_id": str(uuid.uuid4())})


def _query(client: FlaskClient, petition: dict[str, Any]) -> Any:
    return client.post("/api/v1/public/status-queries",
                       json={"case_number": petition["case_number"], "query_code": petition["query_code"]})


def _rate(client: FlaskClient, petition: dict[str, Any], **body: Any) -> Any:
    return client.post("/api/v1/public/status-feedback", json={
        "case_number": petition["case_number"], "query_code": petition["query_code"], **body})


def _submitted(app: Flask) -> list[dict[str, Any]]:
    with app.extensions["huhang"].session_factory() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.event_type == "petition.feedback_submitted")
                         .order_by(OutboxMessage.id)).all()
        return [json.loads(r.payload)["data"] for r in rows]


def _stored(app: Flask) -> int:
    with app.extensions["huhang"].session_factory() as s:
        return s.scalar(select(func.count()).select_from(StatusFeedback)) or 0


def _step(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(s for s in body["steps"] if s["code"] == code)


def test_the_workflow_events_move_the_timeline(intake_app: Flask, petition: dict[str, Any], clock: Clock) -> None:
    review = ReviewOf(petition)
    visitor = intake_app.test_client()
    deliver(intake_app, review.triaged(RECEIVED, when=at(RECEIVED)))
    _handle(intake_app, "triage.materials_requested", review, _item(review, status="awaiting_materials"))
    body = _query(visitor, petition).json
    assert _step(body, "routed")["text"].startswith("已一次性告知")
    _handle(intake_app, "triage.routed", review, {**_item(review, status="routed"), "route": "assigned",
                                                  "to_unit_code": "NY-JCY-WC", "due_on": "2026-11-20"},
            when=at(date(2026, 11, 6)))
    body = _query(visitor, petition).json
    assert _step(body, "triage")["state"] == "done"
    assert _step(body, "routed")["state"] == "done" and "宛城" in _step(body, "routed")["text"]
    assert body["handling_unit"] and "宛城" in body["handling_unit"]
    _replied(intake_app, review, "procedural", date(2026, 11, 7))
    assert _step(_query(visitor, petition).json, "reply")["on"] == "2026-11-07"
    _replied(intake_app, review, "progress", date(2026, 12, 1))  # the clocks' business: no step moves
    assert _step(_query(visitor, petition).json, "result")["state"] == "not_started"
    _replied(intake_app, review, "final", date(2026, 12, 8))
    body = _query(visitor, petition).json
    assert _step(body, "result")["state"] == "done" and body["status"] == "已答复办理结果"
    assert body["feedback_open"] is True and _step(body, "feedback")["state"] == "in_progress"


def test_a_declined_petition_shows_it(intake_app: Flask, petition: dict[str, Any], clock: Clock) -> None:
    review = ReviewOf(petition)
    _handle(intake_app, "triage.declined", review, {**_item(review, status="declined"), "reasons": "x", "basis": "y"})
    body = _query(intake_app.test_client(), petition).json
    assert _step(body, "triage")["state"] == "done" and _step(body, "routed")["text"].startswith("不予受理")


def test_the_petitioner_rates_once_per_round_and_a_reopened_round_can_be_rated_again(
        intake_app: Flask, petition: dict[str, Any], clock: Clock) -> None:
    review = ReviewOf(petition)
    visitor = intake_app.test_client()
    deliver(intake_app, review.triaged(RECEIVED, when=at(RECEIVED)))
    # Nothing to rate before the result reply: 409, nothing stored.
    early = _rate(visitor, petition, rating="satisfied")
    assert early.status_code == 409 and early.json["code"] == "status_feedback.not_open"
    _replied(intake_app, review, "final", date(2026, 12, 8))

    # Bad input: 422 with the field; a wrong code: the query's one 404.
    no_reasons = _rate(visitor, petition, rating="dissatisfied", reasons="  ")
    assert no_reasons.status_code == 422 and no_reasons.json["problems"][0]["field"] == "reasons"
    assert _rate(visitor, petition, rating="meh").status_code == 422
    wrong = visitor.post("/api/v1/public/status-feedback", json={
        "case_number": petition["case_number"], "query_code": "AAA-AAA-AAA", "rating": "satisfied"})
    assert wrong.status_code == 404 and wrong.json["code"] == "status_query.not_found"
    assert _stored(intake_app) == 0 and _submitted(intake_app) == []

    got = _rate(visitor, petition, rating="dissatisfied", reasons="答复没有回应账户冻结的问题")
    assert got.status_code == 201, got.json
    assert got.json["feedback_open"] is False and got.json["feedback_rating"] == "dissatisfied"
    assert "不满意" in _step(got.json, "feedback")["text"]
    sent = _submitted(intake_app)
    assert len(sent) == 1 and sent[0] | {"petition_id": petition["id"], "rating": "dissatisfied", "round": 1} == sent[0]
    again = _rate(visitor, petition, rating="satisfied")
    assert again.status_code == 409 and again.json["code"] == "status_feedback.already_given"
    assert len(_submitted(intake_app)) == 1

    # Review records it, then the unit reopens: round 2 is being handled, the rating form is gone.
    deliver(intake_app, _ours(review, "feedback.recorded", {
        **_item(review, 1, "replied"), "feedback_id": str(uuid.uuid4()), "rating": "dissatisfied", "via": "public",
        "method": None, "reasons": "答复没有回应账户冻结的问题", "recorded_at": at(date(2026, 12, 10))}))
    deliver(intake_app, review.opened("12309.result_reply", date(2026, 12, 11), date(2027, 3, 11)),
            _ours(review, "handling.reopened", {
                **_item(review, 2), "previous_round": 1, "feedback_id": str(uuid.uuid4()), "reason": "重新核查",
                "reopened_on": date(2026, 12, 11), "deadline_id": review.deadlines["12309.result_reply"],
                "due_on": date(2027, 3, 11)}))
    body = _query(visitor, petition).json
    assert body["round"] == 2 and body["status"] == "重新办理中" and body["feedback_open"] is False
    result = _step(body, "result")
    assert (result["state"], result["due_on"]) == ("in_progress", "2027-03-11") and "第2轮" in result["text"]
    # A late round-1 reply seen now changes nothing.
    _replied(intake_app, review, "final", date(2026, 12, 8), round_=1)
    assert _query(visitor, petition).json["status"] == "重新办理中"

    # Round 2 answered: the petitioner rates it, and 满意 closes the matter.
    _replied(intake_app, review, "final", date(2027, 2, 1), round_=2)
    assert _query(visitor, petition).json["feedback_open"] is True
    second = _rate(visitor, petition, rating="satisfied")
    assert second.status_code == 201 and [s["round"] for s in _submitted(intake_app)] == [1, 2]
    deliver(intake_app, _ours(review, "handling.closed", {**_item(review, 2, "closed"), "closed_on": date(2027, 2, 3),
                                                          "rating": "satisfied", "feedback_id": None, "reason": None}))
    body = _query(visitor, petition).json
    assert body["status"] == "已办结" and _step(body, "feedback")["state"] == "done"
    assert "满意" in _step(body, "feedback")["text"]


def test_staffs_record_wins_over_what_was_sent(intake_app: Flask, petition: dict[str, Any], clock: Clock) -> None:
    review = ReviewOf(petition)
    _replied(intake_app, review, "final", date(2026, 12, 8))
    # Staff's 回访 was recorded first: the form is gone and the public sees that 评价.
    deliver(intake_app, _ours(review, "feedback.recorded", {
        **_item(review, 1, "closed"), "feedback_id": str(uuid.uuid4()), "rating": "basically_satisfied",
        "via": "staff", "method": "phone", "reasons": None, "recorded_at": datetime(2026, 12, 9, tzinfo=timezone.utc)}))
    body = _query(intake_app.test_client(), petition).json
    assert body["feedback_open"] is False and body["feedback_rating"] == "basically_satisfied"
    assert _rate(intake_app.test_client(), petition, rating="satisfied").status_code == 409


def test_the_answer_page_offers_the_form_and_thanks_after(
        intake_app: Flask, petition: dict[str, Any], clock: Clock) -> None:
    review = ReviewOf(petition)
    _replied(intake_app, review, "final", date(2026, 12, 8))
    visitor = intake_app.test_client()
    token = csrf_token(soup(visitor.get("/public/status")))  # and the cookie it is tied to
    page = visitor.post("/public/status", data={"case_number": petition["case_number"],
                                                "query_code": petition["query_code"], "csrf_token": token})
    html = soup(page)
    form = html.find("form", class_="feedback-form")
    assert form is not None and form.find("input", attrs={"name": "case_number"})["value"] == petition["case_number"]
    # The code is typed again, never echoed into the page.
    assert petition["query_code"] not in page.data.decode()

    missing = visitor.post("/public/status/feedback", data={
        "case_number": petition["case_number"], "query_code": petition["query_code"], "rating": "dissatisfied",
        "csrf_token": token})
    assert missing.status_code == 422 and "不满意的理由" in missing.data.decode()
    assert soup(missing).find("input", attrs={"name": "rating", "value": "dissatisfied"}).has_attr("checked")
    done = visitor.post("/public/status/feedback", data={
        "case_number": petition["case_number"], "query_code": petition["query_code"], "rating": "dissatisfied",
        "reasons": "未回应诉求", "csrf_token": token})
    assert done.status_code == 200 and "已收到您的评价（不满意）" in done.data.decode()
    assert soup(done).find("form", class_="feedback-form") is None
    refused = visitor.post("/public/status/feedback", data={
        "case_number": petition["case_number"], "query_code": petition["query_code"], "rating": "satisfied",
        "csrf_token": token})
    assert refused.status_code == 409 and "已经评价过" in refused.data.decode()

