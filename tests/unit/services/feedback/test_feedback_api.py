"""考评反馈 through the API: each rule and each refusal (403/404/409/422), and nothing stored on a refusal."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from services.review.deadlines.models import Deadline
from services.review.feedback.models import Feedback, HandlingRound
from services.review.triage.models import TriageItem
from shared.audit.models import AuditEntry
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys

HANDLER = ("case_handler", "NY-JCY-WC")  # of the handling unit
LEADER = ("unit_leader", "NY-JCY-WC")


def _post(app: Flask, keys: AuthKeys, path: str, body: dict[str, Any], who: tuple[str, str] = HANDLER) -> Any:
    return app.test_client().post(f"/api/v1/feedback/items/{path}", json=body, headers=keys.headers(*who))


def _events(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    with app.extensions["huhang"].session_factory() as s:
        rows = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(r.event_type, json.loads(r.payload)["data"]) for r in rows]


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.extensions["huhang"].session_factory() as s:
        return (s.scalar(select(func.count()).select_from(Feedback)) or 0,
                s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _item(app: Flask, pid: str) -> TriageItem:
    with app.extensions["huhang"].session_factory() as s:
        item = s.scalar(select(TriageItem).where(TriageItem.petition_id == pid))
        assert item is not None
        s.expunge(item)
        return item


def test_satisfied_closes_the_matter_and_a_second_rating_is_409(
        review_app: Flask, test_keys: AuthKeys, item_in: Callable[..., str]) -> None:
    pid = item_in()
    before = len(_events(review_app))
    got = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "basically_satisfied", "method": "phone"})
    assert got.status_code == 201, got.json
    assert (got.json["via"], got.json["round"], got.json["method"]) == ("staff", 1, "phone")
    assert _item(review_app, pid).status == "closed"
    events = _events(review_app)[before:]
    assert [t for t, _ in events] == ["feedback.recorded", "handling.closed"]
    assert events[0][1]["rating"] == "basically_satisfied" and events[0][1]["via"] == "staff"
    assert events[1][1] | {"status": "closed", "round": 1, "petition_id": pid} == events[1][1]
    with review_app.extensions["huhang"].session_factory() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action).where(AuditEntry.action.in_(
            ("feedback.record", "handling.close"))).order_by(AuditEntry.id))]
        assert actions == ["feedback.record", "handling.close"]
        row = s.scalar(select(HandlingRound).where(HandlingRound.petition_id == pid))
        assert row is not None and row.round == 1 and row.replied_at is not None and row.closed_at is not None

    stored = _counts(review_app)
    again = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "satisfied", "method": "in_person"})
    assert again.status_code == 409 and again.json["code"] == "feedback.already_recorded"
    assert set(again.json["message"]) == {"zh", "en"}
    assert _counts(review_app) == stored


def test_dissatisfied_without_reasons_is_422_with_the_field_and_stores_nothing(
        review_app: Flask, test_keys: AuthKeys, item_in: Callable[..., str]) -> None:
    pid = item_in()
    stored = _counts(review_app)
    got = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "dissatisfied", "method": "written"})
    assert got.status_code == 422
    assert {"field": "reasons", "code": "feedback.reasons_required"}.items() <= got.json["problems"][0].items()
    blank = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "dissatisfied", "method": "written",
                                                              "reasons": "   "})
    assert blank.status_code == 422
    bad = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "so-so", "method": "carrier pigeon"})
    assert bad.status_code == 422 and {"rating", "method"} <= set(bad.json["errors"])
    assert _counts(review_app) == stored
    assert _item(review_app, pid).status == "replied"


def test_only_the_handling_units_people_record_and_only_a_replied_matter(
        review_app: Flask, test_keys: AuthKeys, item_in: Callable[..., str]) -> None:
    pid, handling = item_in(), item_in(status="handling")
    stored = _counts(review_app)[:2]  # (an access refusal may be audited: only rows of 评价 and events)
    body = {"rating": "satisfied", "method": "phone"}
    # The receiving unit's triage officer sees the item but does not answer for the handling unit.
    officer = _post(review_app, test_keys, f"{pid}/feedback", body, who=("triage_officer", "NY-JCY-KS"))
    assert officer.status_code == 403 and officer.json["code"] == "not_your_unit"
    # The 市院 above sees it and may 督办, but never answers for the unit below.
    above = _post(review_app, test_keys, f"{pid}/feedback", body, who=("unit_leader", "NY-JCY"))
    assert above.status_code == 403 and above.json["code"] == "not_your_unit"
    # Another 基层院 does not see it at all.
    other = _post(review_app, test_keys, f"{pid}/feedback", body, who=("case_handler", "NY-JCY-WL"))
    assert other.status_code == 404 and other.json["code"] == "item_not_found"
    # A judge has no say here (the declared roles).
    assert _post(review_app, test_keys, f"{pid}/feedback", body, who=("judge", "NY-JCY-WC")).status_code == 403
    # Still being handled: nothing to rate yet.
    early = _post(review_app, test_keys, f"{handling}/feedback", body)
    assert early.status_code == 409 and early.json["code"] == "wrong_state"
    assert _counts(review_app)[:2] == stored


def test_dissatisfied_then_reopen_starts_round_two_with_a_new_result_clock(
        review_app: Flask, test_keys: AuthKeys, item_in: Callable[..., str]) -> None:
    pid = item_in()
    rated = _post(review_app, test_keys, f"{pid}/feedback",
                  {"rating": "dissatisfied", "method": "phone", "reasons": "未答复账户解冻问题"})
    assert rated.status_code == 201 and _item(review_app, pid).status == "replied"
    # A triage officer of the handling unit records but does not decide.
    refused = _post(review_app, test_keys, f"{pid}/reopen", {"reason": "x"}, who=("triage_officer", "NY-JCY-WC"))
    assert refused.status_code == 403
    missing = _post(review_app, test_keys, f"{pid}/reopen", {})
    assert missing.status_code == 422 and "reason" in missing.json["errors"]

    before = len(_events(review_app))
    got = _post(review_app, test_keys, f"{pid}/reopen", {"reason": "重新核查账户冻结情况"}, who=LEADER)
    assert got.status_code == 201, got.json
    assert (got.json["round"], got.json["feedback_id"], got.json["reason"]) == (2, rated.json["id"], "重新核查账户冻结情况")
    item = _item(review_app, pid)
    assert (item.status, item.round) == ("handling", 2)
    with review_app.extensions["huhang"].session_factory() as s:
        results = s.scalars(select(Deadline).where(Deadline.subject == pid, Deadline.rule_code == "12309.result_reply")
                            .order_by(Deadline.start_on)).all()
        assert len(results) == 2 and results[1].id == got.json["deadline_id"]
        assert results[1].start_on.isoformat() == got.json["opened_on"] and results[1].status == "open"
        assert results[1].unit_code == "NY-JCY-WC"
        rounds = s.scalars(select(HandlingRound).where(HandlingRound.petition_id == pid).order_by(HandlingRound.round)).all()
        assert [r.round for r in rounds] == [1, 2] and rounds[0].closed_at is not None and rounds[1].closed_at is None
        fb = s.get(Feedback, rated.json["id"])
        assert fb is not None and fb.decision == "reopened" and fb.decided_by == "t-unit_leader"
    events = _events(review_app)[before:]
    reopened = [d for t, d in events if t == "handling.reopened"]
    assert len(reopened) == 1 and reopened[0]["round"] == 2 and reopened[0]["previous_round"] == 1
    assert reopened[0]["status"] == "handling" and reopened[0]["deadline_id"] == got.json["deadline_id"]
    assert "deadline.opened" in [t for t, _ in events]

    # Reopened once: nothing left to decide, and round 2 has no result reply to rate yet.
    stored = _counts(review_app)
    again = _post(review_app, test_keys, f"{pid}/reopen", {"reason": "再来一次"}, who=LEADER)
    assert again.status_code == 409
    early = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "satisfied", "method": "phone"})
    assert early.status_code == 409 and early.json["code"] == "wrong_state"
    assert _counts(review_app) == stored

    overview = review_app.test_client().get(f"/api/v1/feedback/items/{pid}", headers=test_keys.headers(*HANDLER))
    assert overview.status_code == 200 and [r["round"] for r in overview.json["rounds"]] == [1, 2]


def test_dissatisfied_then_close_anyway_records_the_reason(
        review_app: Flask, test_keys: AuthKeys, item_in: Callable[..., str]) -> None:
    pid = item_in()
    satisfied = item_in()
    _post(review_app, test_keys, f"{satisfied}/feedback", {"rating": "satisfied", "method": "phone"})
    # Nothing to decide on a 满意 (the matter is closed already).
    assert _post(review_app, test_keys, f"{satisfied}/close", {"reason": "x"}).status_code == 409
    _post(review_app, test_keys, f"{pid}/feedback", {"rating": "dissatisfied", "method": "written", "reasons": "不服"})
    got = _post(review_app, test_keys, f"{pid}/close", {"reason": "已依法答复，诉求无法律依据"})
    assert got.status_code == 200 and got.json["status"] == "closed"
    assert got.json["feedback"][0]["decision"] == "closed"
    closed = [d for t, d in _events(review_app) if t == "handling.closed" and d["petition_id"] == pid]
    assert closed[0]["reason"] == "已依法答复，诉求无法律依据" and closed[0]["rating"] == "dissatisfied"
    assert _post(review_app, test_keys, f"{pid}/reopen", {"reason": "x"}).status_code == 409


def test_a_reopened_12368_matter_runs_under_the_work_order_rule(
        review_app: Flask, test_keys: AuthKeys, item_in: Callable[..., str]) -> None:
    judge_unit = ("unit_leader", "NY-FY-WC")
    pid = item_in(line="12368", unit="NY-FY-SF", handling_unit="NY-FY-WC")
    rated = _post(review_app, test_keys, f"{pid}/feedback", {"rating": "dissatisfied", "method": "phone",
                                                              "reasons": "法官未回电"}, who=judge_unit)
    assert rated.status_code == 201, rated.json
    got = _post(review_app, test_keys, f"{pid}/reopen", {"reason": "请承办法官再次答复"}, who=judge_unit)
    assert got.status_code == 201, got.json
    with review_app.extensions["huhang"].session_factory() as s:
        clock = s.get(Deadline, got.json["deadline_id"])
        assert clock is not None and clock.rule_code == "court_12368.work_order" and clock.unit_code == "NY-FY-WC"
