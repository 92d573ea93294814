"""The public status query over the real broker and PostgreSQL.

* the whole path with every service a process: a petition registered at intake, triaged by
  review, whose `triage.item_created` and `deadline.opened` reach intake's read model through
  Kafka; the query then shows 受理, 分流 and the deadlines with their due dates; the per-address
  limit answers 429; the enterprise view lists the enterprise's matters on both lines only;
* the guard over PostgreSQL with a clock the test holds: one 404 for both failures, the hour's
  lock after five wrong codes, and wrong codes sent in parallel all counted (the upsert is atomic).
"""

from __future__ import annotations

import copy
import re
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.config import IntakeSettings
from services.intake.enterprises.schemas import VERIFICATION_EXAMPLE
from services.intake.petitions import service as petitions
from services.intake.petitions.schemas import PETITION_EXAMPLE, PetitionCreate
from services.intake.public import lockout, service
from services.intake.public.models import StatusQueryLock
from services.intake.status.models import StatusDeadline, StatusStep
from shared.actor import Actor
from shared.db.engine import make_engine, make_session_factory
from shared.db.transaction import transaction
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, wait_for

COURT_EXAMPLE = {**copy.deepcopy(PETITION_EXAMPLE), "line": "12368", "petition_type": "联系法官",
                 "related_case_number": "（2022）豫13民初1234号"}
OTHER = {**copy.deepcopy(PETITION_EXAMPLE),
         "enterprise": {**PETITION_EXAMPLE["enterprise"], "name": "南阳市另一家有限公司", "credit_code": "91411300MA4000000A"}}


def _read_model(url: str, petition_id: str) -> tuple[int, int] | None:
    """(steps, deadlines) intake holds for the petition, once both have arrived."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            steps = s.scalar(select(func.count()).select_from(StatusStep).where(StatusStep.subject_id == petition_id)) or 0
            deadlines = s.scalar(select(func.count()).select_from(StatusDeadline)
                                 .where(StatusDeadline.subject_id == petition_id)) or 0
    finally:
        engine.dispose()
    return (steps, deadlines) if steps and deadlines >= 2 else None


def test_reviews_events_reach_the_public_timeline_through_kafka(stack: Stack, test_keys: AuthKeys) -> None:
    intake = stack.start_api("intake")
    for svc in ("intake", "review"):
        stack.start_workers(svc)
    clerk, court = test_keys.headers("intake_clerk"), test_keys.headers("court_clerk")
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers=clerk, timeout=10)
    assert created.status_code == 201, created.text
    petition = created.json()

    # Watched in intake's own database, not through the query: polling it would spend the window.
    wait_for(lambda: _read_model(stack.database_urls["intake"], petition["id"]), timeout=60,
             what="triage.item_created and deadline.opened in intake's read model")
    resp = requests.post(f"{intake}/api/v1/public/status-queries", timeout=10,
                         json={"case_number": petition["case_number"], "query_code": petition["query_code"]})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    steps = {s["name"]: s for s in body["steps"]}
    assert steps["受理"]["state"] == "done" and steps["受理"]["on"] == body["received_on"]
    assert (steps["分流"]["state"], steps["分流"]["text"]) == ("in_progress", "待分流") and steps["分流"]["on"]
    assert [(d["name"], d["start_on"], d["timing"]) for d in body["deadlines"]] == [
        ("告知受理情况（7日内）", body["received_on"], "open"),
        ("答复办理过程或结果（3个月内）", body["received_on"], "open")]
    assert all(d["due_on"] > body["received_on"] for d in body["deadlines"])
    assert steps["程序性回复"]["due_on"] == body["deadlines"][0]["due_on"]
    assert body["status"] == "已受理，待分流"

    # One 404 for a wrong code and for an unknown number.
    unknown = re.sub(r"\d+号$", "999999号", petition["case_number"])
    wrong = requests.post(f"{intake}/api/v1/public/status-queries", timeout=10,
                          json={"case_number": petition["case_number"], "query_code": "ZZZZZZZZ"})
    missing = requests.post(f"{intake}/api/v1/public/status-queries", timeout=10,
                            json={"case_number": unknown, "query_code": petition["query_code"]})
    assert wrong.status_code == missing.status_code == 404 and wrong.json() == missing.json()

    # The enterprise view: its petitions on both lines, not another enterprise's.
    second = requests.post(f"{intake}/api/v1/petitions", json=COURT_EXAMPLE, headers=court, timeout=10).json()
    requests.post(f"{intake}/api/v1/petitions", json=OTHER, headers=clerk, timeout=10).raise_for_status()
    verified = requests.post(f"{intake}/api/v1/enterprises/verifications", json=VERIFICATION_EXAMPLE, headers=clerk,
                             timeout=10)
    assert verified.status_code == 201, verified.text
    view = requests.post(f"{intake}/api/v1/public/enterprise-queries", timeout=10, json={
        "credit_code": VERIFICATION_EXAMPLE["credit_code"], "access_code": verified.json()["access_code"]})
    assert view.status_code == 200, view.text
    assert sorted(m["case_number"] for m in view.json()["matters"]) == sorted(
        [petition["case_number"], second["case_number"]])
    assert "南阳市另一家有限公司" not in view.text

    # Four public queries so far from this address (three status, one enterprise); the window holds ten a minute.
    answers = [requests.post(f"{intake}/api/v1/public/status-queries", timeout=10, json={
        "case_number": petition["case_number"], "query_code": petition["query_code"]}) for _ in range(7)]
    assert [a.status_code for a in answers] == [200] * 6 + [429]
    assert answers[-1].json()["code"] == "too_many_status_queries" and int(answers[-1].headers["Retry-After"]) <= 61


# --- the guard over PostgreSQL, with the test's clock --------------------------------------------


@pytest.fixture
def intake_pg(pg_session_for: Any) -> sessionmaker[Session]:
    _, sessions = pg_session_for("intake")
    return sessions  # type: ignore[no-any-return]


def _register(sessions: sessionmaker[Session]) -> tuple[str, str]:
    with sessions() as s, transaction(s):
        reg = petitions.register(s, petition_in=PetitionCreate().load(copy.deepcopy(PETITION_EXAMPLE)),
                                 actor=Actor("clerk", "NY-JCY-KS"))
        return reg.petition.case_number, reg.query_code or ""


def _ask(sessions: sessionmaker[Session], number: str, code: str, now: datetime, addr: str) -> str:
    try:
        with sessions() as s, transaction(s):
            service.query(s, case_number=number, code=code, actor=Actor("anonymous", client_addr=addr),
                          settings=IntakeSettings(), now=now)
    except (service.StatusNotFound, service.QueryLocked, service.TooManyQueries) as exc:
        return exc.code
    return "ok"


def test_five_wrong_codes_lock_the_number_for_an_hour_on_postgresql(intake_pg: sessionmaker[Session]) -> None:
    number, code = _register(intake_pg)
    now = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)
    assert [_ask(intake_pg, number, "ZZZZZZZZ", now, f"198.51.100.{n}") for n in range(5)] == [
        "status_query.not_found"] * 5
    assert _ask(intake_pg, number, code, now + timedelta(minutes=30), "192.0.2.1") == "status_query.locked"
    assert _ask(intake_pg, number, code, now + timedelta(minutes=61), "192.0.2.1") == "ok"


def test_wrong_codes_sent_at_once_are_each_counted(intake_pg: sessionmaker[Session]) -> None:
    """Eight failures in parallel transactions: the upsert is atomic, so the lock is set, none lost."""
    now = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)
    policy = lockout.Policy(max_failures=100, seconds=3600)
    key = lockout.key_of("case", "宛检12309〔2026〕424242号")
    barrier = threading.Barrier(8)

    def fail() -> None:
        with intake_pg() as s, s.begin():
            barrier.wait(timeout=10)
            lockout.failed(s, key=key, policy=policy, now=now)

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    with intake_pg() as s:
        assert s.scalar(select(StatusQueryLock.failures).where(StatusQueryLock.key == key)) == 8
