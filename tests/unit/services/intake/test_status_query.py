"""The public status query: review's events build intake's read model; the API shows the timeline.

Events go through the real consumer path without a broker (status_events.deliver); the query
goes through the API as an anonymous caller, with a clock the test moves.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from services.intake import config
from services.intake.petitions.schemas import PETITION_EXAMPLE
from services.intake.status.models import StatusDeadline, StatusStep
from tests.unit.services.intake.conftest import ID, PHONE, audit_rows
from tests.unit.services.intake.status_events import Clock, ReviewOf, at, deliver, register_petition, set_clock

RECEIVED = date(2026, 11, 2)  # a Monday
ADDR = "203.0.113.7"


@pytest.fixture
def clock(intake_app: Flask) -> Clock:
    return set_clock(intake_app, date(2026, 11, 5))


@pytest.fixture
def petition(intake_client: FlaskClient) -> dict[str, Any]:
    return register_petition(intake_client)


@pytest.fixture
def visitor(intake_app: Flask) -> FlaskClient:
    return intake_app.test_client()


def _unknown(number: str) -> str:
    """A number of the same form that nobody registered."""
    return re.sub(r"\d+号$", "999999号", number)


def _query(client: FlaskClient, case_number: str, code: str, *, addr: str = ADDR) -> Any:
    return client.post("/api/v1/public/status-queries", json={"case_number": case_number, "query_code": code},
                       environ_base={"REMOTE_ADDR": addr})


def _steps(body: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    return [(s["name"], s["state"], s["on"], s["text"]) for s in body["steps"]]


# --- the read model ----------------------------------------------------------------------------


def test_before_review_has_said_anything_only_the_receipt_is_done(
    visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    resp = _query(visitor, petition["case_number"], petition["query_code"])
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert (body["case_number"], body["line_name"], body["category"], body["received_on"]) == (
        petition["case_number"], "12309 检察服务", "控告", "2026-11-02")
    assert body["party"] == "南阳市宛城区示例机械有限公司"  # an enterprise's name is public
    assert body["status"] == "已登记，待受理分流" and body["deadlines"] == [] and body["result"] is None
    assert [(name, state) for name, state, _, _ in _steps(body)] == [
        ("受理", "done"), ("分流", "not_started"), ("承办单位", "not_started"), ("程序性回复", "not_started"),
        ("答复/办结", "not_started"), ("评价", "not_started")]
    assert all(text == "尚未进行" for _, state, _, text in _steps(body) if state == "not_started")


def test_triage_and_deadlines_from_reviews_events_make_the_timeline(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    review = ReviewOf(petition)
    deliver(intake_app,
            review.opened("12309.procedural_reply", RECEIVED, date(2026, 11, 9)),
            review.opened("12309.result_reply", RECEIVED, date(2027, 2, 2), provisional=True),
            review.triaged(RECEIVED, when=at(RECEIVED, 11)))
    body = _query(visitor, petition["case_number"], petition["query_code"]).json
    assert body["status"] == "已受理，待分流"
    assert _steps(body)[1] == ("分流", "in_progress", "2026-11-02", "待分流")
    reply = body["steps"][3]
    assert (reply["name"], reply["state"], reply["due_on"], reply["timing"], reply["timing_text"]) == (
        "程序性回复", "not_started", "2026-11-09", "open", "进行中")
    assert [(d["name"], d["start_on"], d["due_on"], d["provisional"], d["timing_text"]) for d in body["deadlines"]] == [
        ("告知受理情况（7日内）", "2026-11-02", "2026-11-09", False, "进行中"),
        ("答复办理过程或结果（3个月内）", "2026-11-02", "2027-02-02", True, "进行中"),
    ]

    # The reply goes out on time; a week later the timeline says so, and the 3 months run on.
    deliver(intake_app, review.closed("12309.procedural_reply", date(2026, 11, 6), date(2026, 11, 9)))
    clock.now = at(date(2026, 11, 20))
    body = _query(visitor, petition["case_number"], petition["query_code"]).json
    assert _steps(body)[3] == ("程序性回复", "done", "2026-11-06", "已回复")
    assert body["steps"][3]["timing_text"] == "已按期" and body["status"] == "办理中"
    assert [d["timing"] for d in body["deadlines"]] == ["on_time", "open"]


def test_a_missed_deadline_and_a_paused_one_read_as_they_are(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    review = ReviewOf(petition)
    deliver(intake_app, review.opened("12309.procedural_reply", RECEIVED, date(2026, 11, 9)),
            review.opened("12309.result_reply", RECEIVED, date(2027, 2, 2)))
    clock.now = at(date(2026, 11, 12))
    body = _query(visitor, petition["case_number"], petition["query_code"]).json
    assert body["deadlines"][0]["timing_text"] == "已逾期"  # past due, not replied: said plainly
    deliver(intake_app, review.closed("12309.procedural_reply", date(2026, 11, 12), date(2026, 11, 9), status="missed"),
            review.recomputed("12309.result_reply", None, date(2027, 2, 2)))
    body = _query(visitor, petition["case_number"], petition["query_code"]).json
    assert [(d["timing_text"], d["due_on"], d["closed_on"]) for d in body["deadlines"]] == [
        ("逾期", "2026-11-09", "2026-11-12"), ("进行中", None, None)]
    assert body["steps"][3]["timing"] == "late"


def test_a_final_result_reply_concludes_and_a_progress_reply_does_not(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    review = ReviewOf(petition)
    deliver(intake_app, review.opened("12309.result_reply", RECEIVED, date(2027, 2, 2)),
            review.closed("12309.result_reply", date(2027, 2, 1), date(2027, 2, 2), outcome="progress"))
    clock.now = at(date(2027, 2, 3))
    body = _query(visitor, petition["case_number"], petition["query_code"]).json
    assert _steps(body)[4] == ("答复/办结", "in_progress", "2027-02-01", "已告知办理进展，尚未办结")
    deliver(intake_app, review.closed("12309.result_reply", date(2027, 2, 1), date(2027, 2, 2), outcome="final"))
    body = _query(visitor, petition["case_number"], petition["query_code"]).json
    assert _steps(body)[4][:3] == ("答复/办结", "done", "2027-02-01") and body["status"] == "已答复办理结果"


def test_redelivered_and_replayed_events_change_nothing(
    intake_app: Flask, petition: dict[str, Any],
) -> None:
    review = ReviewOf(petition)
    opened = review.opened("12309.procedural_reply", RECEIVED, date(2026, 11, 9))
    triaged = review.triaged(RECEIVED)
    first = deliver(intake_app, opened, triaged)
    again = deliver(intake_app, opened, triaged)  # the same ids: the inbox skips them
    assert (first.stats.handled, again.stats.handled, again.stats.duplicates) == (2, 0, 2)
    # The same facts under new ids (a replay after a rebuild): still one row each.
    deliver(intake_app, review.opened("12309.procedural_reply", RECEIVED, date(2026, 11, 9)), review.triaged(RECEIVED))
    with intake_app.extensions["huhang"].session_factory() as s:
        assert len(s.scalars(select(StatusDeadline)).all()) == 1 and len(s.scalars(select(StatusStep)).all()) == 1


def test_a_close_seen_before_its_open_keeps_the_close(intake_app: Flask, petition: dict[str, Any]) -> None:
    review = ReviewOf(petition)
    deliver(intake_app, review.closed("12309.procedural_reply", date(2026, 11, 6), date(2026, 11, 9)),
            review.opened("12309.procedural_reply", RECEIVED, date(2026, 11, 9)))
    with intake_app.extensions["huhang"].session_factory() as s:
        row = s.scalars(select(StatusDeadline)).one()
        assert (row.status, row.closed_on, row.start_on, row.due_on) == ("met", date(2026, 11, 6), RECEIVED,
                                                                         date(2026, 11, 9))


def test_the_answer_shows_only_what_article_7_allows(
    intake_client: FlaskClient, visitor: FlaskClient, clock: Clock,
) -> None:
    body = {**copy.deepcopy(PETITION_EXAMPLE), "enterprise": None, "received_at": "2026-11-02T09:00:00+08:00"}
    body["petitioner"] = {**body["petitioner"], "kind": "natural", "relation": None}
    created = intake_client.post("/api/v1/petitions", json=body)
    assert created.status_code == 201, created.json
    registered = created.json
    resp = _query(visitor, registered["case_number"], registered["query_code"])
    text = resp.get_data(as_text=True)
    assert resp.json["party"] == "张*"  # a person: the surname only
    for secret in (ID, PHONE, "张三", PETITION_EXAMPLE["claim"], "南阳市宛城区示例路", registered["id"]):
        assert secret not in text
    assert set(resp.json) == {"kind", "case_number", "line", "line_name", "category", "party", "received_on",
                              "receiving_unit", "handling_unit", "status", "steps", "deadlines", "commitments", "result",
                              "merged_into", "round", "feedback_open", "feedback_rating"}
    assert resp.headers["Cache-Control"] == "no-store"


# --- the guard: one 404, the window, the lock, the audit ---------------------------------------


def test_a_wrong_code_and_an_unknown_case_answer_the_same_404(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    number = petition["case_number"]
    unknown = _unknown(number)
    wrong = _query(visitor, number, "ZZZZZZZZ")
    missing = _query(visitor, unknown, petition["query_code"])
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json == missing.json
    assert wrong.json["code"] == "status_query.not_found" and wrong.json["message"]["zh"].startswith("没有查到")
    assert [(r.outcome, r.detail.get("reason")) for r in audit_rows(intake_app, "public.status_query")] == [
        ("failure", "wrong_code"), ("failure", "unknown_case")]


def test_both_failures_run_the_same_statements_and_the_same_argon2_work(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Indistinguishable time without a timed assertion: the same SQL, in order, and as many verifications."""
    verifications: list[str] = []
    real_verify = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str, password: str | bytes) -> bool:  # noqa: A002 - argon2's name
        verifications.append("verify")
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    engine = intake_app.extensions["huhang"].engine
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    def run(case_number: str, code: str) -> tuple[list[str], int]:
        statements.clear()
        verifications.clear()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            assert _query(visitor, case_number, code).status_code == 404
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        return list(statements), len(verifications)

    _query(visitor, petition["case_number"], "WARMWARM")  # warm the caches once
    wrong = run(petition["case_number"], "ZZZZZZZZ")
    unknown = run(_unknown(petition["case_number"]), petition["query_code"])
    assert wrong == unknown
    assert wrong[1] == 1 and len(wrong[0]) > 5  # one argon2 run, and the whole path was seen


def test_ten_queries_a_minute_per_address_then_429_with_retry_after(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    assert config.IntakeSettings().status_query_window_s == 60  # the default: 10 a minute
    for n in range(10):
        assert _query(visitor, petition["case_number"], petition["query_code"]).status_code == 200, n
    limited = _query(visitor, petition["case_number"], petition["query_code"])
    assert limited.status_code == 429 and limited.json["code"] == "too_many_status_queries"
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    assert _query(visitor, petition["case_number"], petition["query_code"], addr="198.51.100.20").status_code == 200
    clock.now += timedelta(seconds=61)
    assert _query(visitor, petition["case_number"], petition["query_code"]).status_code == 200


def test_five_wrong_codes_lock_the_number_for_an_hour_even_for_the_right_code(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    number, code = petition["case_number"], petition["query_code"]
    for n in range(5):  # from five addresses: the lock is per number, not per address
        assert _query(visitor, number, "ZZZZZZZZ", addr=f"198.51.100.{n}").status_code == 404
    locked = _query(visitor, number, code, addr="192.0.2.1")
    assert locked.status_code == 429 and locked.json["code"] == "status_query.locked"
    assert 3500 <= int(locked.headers["Retry-After"]) <= 3601
    clock.now += timedelta(minutes=59)
    assert _query(visitor, number, code, addr="192.0.2.1").status_code == 429
    clock.now += timedelta(minutes=2)
    assert _query(visitor, number, code, addr="192.0.2.1").status_code == 200
    reasons = [(r.outcome, r.detail.get("reason")) for r in audit_rows(intake_app, "public.status_query")]
    assert reasons == [("failure", "wrong_code")] * 5 + [("denied", "locked")] * 2 + [("success", None)]


def test_an_unknown_number_locks_exactly_like_a_real_one(
    visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    unknown = _unknown(petition["case_number"])
    answers = [_query(visitor, n, "ZZZZZZZZ", addr=f"198.51.100.{i}").status_code
               for i, n in enumerate([unknown] * 5 + [petition["case_number"]] * 5)]
    assert answers == [404] * 10
    real = _query(visitor, petition["case_number"], "ZZZZZZZZ", addr="192.0.2.1")
    fake = _query(visitor, unknown, "ZZZZZZZZ", addr="192.0.2.2")
    assert real.status_code == fake.status_code == 429 and real.json == fake.json
    assert real.headers["Retry-After"] == fake.headers["Retry-After"]


def test_a_right_code_resets_the_count_of_wrong_ones(
    visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    number, code = petition["case_number"], petition["query_code"]
    for _ in range(2):
        for n in range(4):
            assert _query(visitor, number, "ZZZZZZZZ", addr=f"198.51.100.{n}").status_code == 404
        assert _query(visitor, number, code, addr="192.0.2.9").status_code == 200


def test_wrong_codes_older_than_the_hour_are_forgotten(
    visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    number = petition["case_number"]
    for n in range(4):
        _query(visitor, number, "ZZZZZZZZ", addr=f"198.51.100.{n}")
    clock.now += timedelta(minutes=61)
    assert _query(visitor, number, "ZZZZZZZZ", addr="198.51.100.9").status_code == 404  # the 1st of a new hour
    assert _query(visitor, number, petition["query_code"], addr="192.0.2.1").status_code == 200


@pytest.mark.parametrize("body", [
    {"case_number": "12309-2026-000001"},
    {"case_number": "12309-2026-000001", "query_code": "ABCD2345", "extra": "x"},
    {"case_number": "不是编号", "query_code": "ABCD2345"},
    {"case_number": "12309-2026-000001", "query_code": "A" * 200},
    {"case_number": "1" * 1000, "query_code": "ABCD2345"},
])
def test_malformed_queries_are_422_and_count_nothing(intake_app: Flask, visitor: FlaskClient, body: dict[str, Any]) -> None:
    resp = visitor.post("/api/v1/public/status-queries", json=body)
    assert resp.status_code == 422 and resp.json["code"] == "validation_failed"
    assert audit_rows(intake_app, "public.status_query") == []


def test_the_code_is_never_in_the_audit_log(
    intake_app: Flask, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    _query(visitor, petition["case_number"], petition["query_code"])
    _query(visitor, petition["case_number"], "ZZZZZZZZ")
    for row in audit_rows(intake_app, "public.status_query"):
        dumped = f"{row.detail} {row.before} {row.after}"
        assert petition["query_code"].replace("-", "") not in dumped and "ZZZZZZZZ" not in dumped
        assert row.client_addr == ADDR and row.actor == "anonymous"


@pytest.fixture(autouse=True)
def _fast_settings(intake_app: Flask) -> Iterator[None]:
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings()
    yield


# --- a flagged court case, by its 案号 and an enterprise party's code ---------------------------


def test_a_flagged_court_case_answers_by_its_case_number_and_the_partys_code(
    intake_app: Flask, test_keys: Any, visitor: FlaskClient, clock: Clock,
) -> None:
    from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE

    judge = intake_app.test_client()
    flagged = judge.post("/api/v1/court-cases", json=COURT_CASE_EXAMPLE, headers=test_keys.headers("judge"))
    assert flagged.status_code == 201, flagged.json
    [enterprise] = [p for p in flagged.json["parties"] if p["kind"] == "enterprise"]
    typed = COURT_CASE_EXAMPLE["case_number"].replace("（", "(").replace("）", ")")  # as typed on a phone
    resp = _query(visitor, typed, enterprise["query_code"])
    assert resp.status_code == 200, resp.json
    body = resp.json
    assert (body["kind"], body["case_number"], body["category"], body["party"]) == (
        "court_case", "（2022）豫13民初1234号", "商事", "南阳市宛城区示例机械有限公司")
    assert body["status"] == "已标记涉企，待立案"
    assert [(s["name"], s["state"]) for s in body["steps"]] == [("涉企案件标记", "done"), ("立案", "not_started")]
    assert "李四" not in resp.get_data(as_text=True) and "411302199001011236" not in resp.get_data(as_text=True)
    wrong = _query(visitor, typed, "ZZZZZZZZ")
    unknown = _query(visitor, "（2022）豫13民初9999号", "ZZZZZZZZ")
    assert wrong.status_code == unknown.status_code == 404 and wrong.json == unknown.json
    rows = audit_rows(intake_app, "public.status_query")
    assert [(r.subject_type, r.outcome, r.detail.get("reason")) for r in rows] == [
        ("court_case", "success", None), ("court_case", "failure", "wrong_code"), ("court_case", "failure", "unknown_case")]


def test_a_duplicates_petitioner_sees_the_original_case_and_after_a_split_its_own(
    intake_app: Flask, intake_client: FlaskClient, visitor: FlaskClient, petition: dict[str, Any], clock: Clock,
) -> None:
    """重复件 (issue 9 point 5): the later petition is handled with the earlier case, and its query says so."""
    later_body = {**copy.deepcopy(PETITION_EXAMPLE), "received_at": "2026-11-04T10:00:00+08:00"}
    later = intake_client.post("/api/v1/petitions", json=later_body).json
    assert later["duplicate_of"]["case_number"] == petition["case_number"]
    review = ReviewOf(petition)  # review handles the original only: the 重复件 opened no track
    deliver(intake_app, review.triaged(RECEIVED, when=at(RECEIVED, 11)))

    body = _query(visitor, later["case_number"], later["query_code"]).json
    assert body["case_number"] == later["case_number"] and body["merged_into"] == petition["case_number"]
    assert body["status"] == f"已并入{petition['case_number']}一并办理"
    assert _steps(body)[1] == ("分流", "in_progress", "2026-11-02", "待分流")  # the original's handling
    assert _query(visitor, petition["case_number"], petition["query_code"]).json["merged_into"] is None

    split = intake_client.post(f"/api/v1/petitions/{later['id']}/duplicate-split", json={"reason": "不是同一事项"})
    assert split.status_code == 200, split.json
    body = _query(visitor, later["case_number"], later["query_code"]).json
    assert body["merged_into"] is None and _steps(body)[1][1] == "not_started"
