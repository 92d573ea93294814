"""Unit scoping of deadlines: every read and write is narrowed in the query by the principal's units.

Another unit's deadline is a DeadlineNotFound (404), exactly like one that does not exist, and a
refused write changes nothing. A deadline without a unit is seen only by the task force; a system
caller (``principal=None``: the scheduler, a calendar import) sees every deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching, closing, extensions, queries, suspensions
from services.review.deadlines.jobs import run_once
from shared.auth import Principal
from shared.calendar import Unit
from shared.db.migrate import upgrade
from tests.support.auth import AuthKeys

START = date(2025, 11, 3)


def _make(sessions: sessionmaker[Session]) -> dict[str | None, str]:
    """One open deadline per unit: 控申 (NY-JCY-KS), 宛城区院 (NY-JCY-WC), 中院诉服 (NY-FY-SF), none."""
    with sessions() as s, s.begin():
        return {
            unit: attaching.attach(s, subject=f"pid-{unit}", rule_code="12309.procedural_reply", start_on=START,
                                 unit_code=unit).id
            for unit in ("NY-JCY-KS", "NY-JCY-WC", "NY-FY-SF", None)
        }


def test_the_list_holds_only_the_principals_units(review_sessions: sessionmaker[Session], test_keys: AuthKeys) -> None:
    ids = _make(review_sessions)

    def seen(principal: Principal | None) -> set[str | None]:
        with review_sessions() as s:
            return {d.unit_code for d in queries.list_(s, principal=principal)}

    assert seen(test_keys.principal("triage_officer")) == {"NY-JCY-KS"}
    assert seen(test_keys.principal("case_handler")) == {"NY-JCY-WC"}
    # 市院 sees its departments and the 基层院 below it, not the court.
    assert seen(test_keys.principal("unit_leader")) == {"NY-JCY-KS", "NY-JCY-WC"}
    assert seen(test_keys.principal("judge")) == {"NY-FY-SF"}
    # The task force sees every unit, and alone among staff the deadlines with no unit.
    assert seen(test_keys.principal("task_force")) == {"NY-JCY-KS", "NY-JCY-WC", "NY-FY-SF", None}
    assert seen(None) == set(ids)  # a system caller
    # Filters narrow inside the scope, never widen it.
    with review_sessions() as s:
        assert queries.list_(s, principal=test_keys.principal("case_handler"), subject="pid-NY-FY-SF") == []


def test_another_units_deadline_is_not_found_for_reads(review_sessions: sessionmaker[Session], test_keys: AuthKeys) -> None:
    ids = _make(review_sessions)
    handler = test_keys.principal("case_handler")
    with review_sessions() as s:
        assert queries.get_or_raise(s, ids["NY-JCY-WC"], principal=handler).unit_code == "NY-JCY-WC"
        assert queries.detail(s, ids["NY-JCY-WC"], principal=handler)["history"][0].kind == "set"
        for unit in ("NY-JCY-KS", "NY-FY-SF", None):
            with pytest.raises(queries.DeadlineNotFound):
                queries.get_or_raise(s, ids[unit], principal=handler)
            with pytest.raises(queries.DeadlineNotFound):
                queries.detail(s, ids[unit], principal=handler)
        # Existence is not revealed: the same error as for an id that does not exist.
        with pytest.raises(queries.DeadlineNotFound):
            queries.get_or_raise(s, "no-such-id", principal=handler)
        assert queries.get_or_raise(s, ids[None], principal=test_keys.principal("task_force")).unit_code is None


WRITES: dict[str, Callable[[Session, str, Principal], Any]] = {
    "suspend": lambda s, i, p: suspensions.suspend(s, deadline_id=i, reason="appraisal", basis="鉴定",
                                               start_on=date(2025, 11, 5), actor="u", principal=p),
    "lift": lambda s, i, p: suspensions.lift(s, deadline_id=i, suspension_id="whatever", resumed_on=date(2025, 11, 6),
                                         actor="u", principal=p),
    "extend": lambda s, i, p: extensions.extend(s, deadline_id=i, amount=5, unit=Unit.WORKING_DAY, basis="b",
                                             approved_by="检察长", actor="u", principal=p),
    "meet": lambda s, i, p: closing.meet(s, deadline_id=i, actor="u", principal=p,
                                         met_at=datetime(2025, 11, 4, 2, tzinfo=timezone.utc)),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_another_units_deadline_is_not_found_for_writes_and_stays_unchanged(
    review_sessions: sessionmaker[Session], test_keys: AuthKeys, write: str,
) -> None:
    ids = _make(review_sessions)
    judge = test_keys.principal("judge")  # NY-FY and below
    for unit in ("NY-JCY-KS", "NY-JCY-WC", None):
        with review_sessions() as s, s.begin():
            with pytest.raises(queries.DeadlineNotFound):
                WRITES[write](s, ids[unit], judge)
    with review_sessions() as s:
        for unit in ("NY-JCY-KS", "NY-JCY-WC", None):
            d = queries.get_or_raise(s, ids[unit], principal=None)
            assert (d.status, d.due_on) == ("open", date(2025, 11, 10))
            assert [h.kind for h in queries.history(s, d.id)] == ["set"]


def test_the_own_units_deadline_can_be_worked(review_sessions: sessionmaker[Session], test_keys: AuthKeys) -> None:
    ids = _make(review_sessions)
    leader = test_keys.principal("unit_leader")  # NY-JCY: the 宛城区院 deadline is below it
    with review_sessions() as s, s.begin():
        sus = suspensions.suspend(s, deadline_id=ids["NY-JCY-WC"], reason="appraisal", basis="鉴定",
                              start_on=date(2025, 11, 5), actor="u", principal=leader)
        suspensions.lift(s, deadline_id=ids["NY-JCY-WC"], suspension_id=sus.id, resumed_on=date(2025, 11, 6), actor="u",
                     principal=leader)
        met = closing.meet(s, deadline_id=ids["NY-JCY-WC"], actor="u", principal=leader,
                           met_at=datetime(2025, 11, 11, 2, tzinfo=timezone.utc))
        assert (met.status, met.due_on) == ("met", date(2025, 11, 11))


def test_a_triaged_petitions_deadlines_belong_to_the_triage_items_unit(
    review_sessions: sessionmaker[Session], test_keys: AuthKeys,
) -> None:
    from services.review.triage.handlers import on_petition_received as create_from_petition
    from shared.events import new_event

    event = new_event("petition.received", subject="pid-u", source="intake", data={
        "petition_id": "pid-u", "case_number": "12309-2026-000010", "line": "12309", "channel": "网",
        "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "王*", "summary": "s",
        "received_at": datetime(2026, 3, 2, 2, tzinfo=timezone.utc), "received_on": "2026-03-02",
        "unit_code": "NY-JCY-KS",
    })
    with review_sessions() as s, s.begin():
        create_from_petition(s, event)
    with review_sessions() as s:
        mine = queries.list_(s, principal=test_keys.principal("triage_officer"), subject="pid-u")
        assert {(d.rule_code, d.unit_code) for d in mine} == {
            ("12309.procedural_reply", "NY-JCY-KS"), ("12309.result_reply", "NY-JCY-KS")}
        assert queries.list_(s, principal=test_keys.principal("judge"), subject="pid-u") == []


def test_the_scheduler_is_unscoped_and_its_notices_carry_the_unit(review_sessions: sessionmaker[Session]) -> None:
    from sqlalchemy import select

    from shared.events import decode
    from shared.outbox import OutboxMessage

    _make(review_sessions)
    # The day after 2025-11-10: every unit's deadline (and the one with no unit) is overdue.
    assert run_once(review_sessions, datetime(2025, 11, 11, 1, tzinfo=timezone.utc)).overdue == 4
    with review_sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.event_type == "deadline.overdue"))
        assert {decode(r.payload).data["unit_code"] for r in rows} == {"NY-JCY-KS", "NY-JCY-WC", "NY-FY-SF", None}


def test_the_api_answers_404_for_another_units_deadline(review_app: Flask, test_keys: AuthKeys) -> None:
    with review_app.extensions["huhang"].session_factory() as s, s.begin():
        court = attaching.attach(s, subject="pid-court", rule_code="court_12368.work_order", start_on=START,
                               unit_code="NY-FY-SF").id
    client = review_app.test_client()
    handler = test_keys.headers("case_handler")
    got = client.get(f"/api/v1/deadlines/{court}", headers=handler)
    assert got.status_code == 404 and got.json["code"] == "deadline_not_found"
    assert client.post(f"/api/v1/deadlines/{court}/meet", json={}, headers=handler).status_code == 404
    assert client.get("/api/v1/deadlines", headers=handler).json == []
    clerk = client.get(f"/api/v1/deadlines/{court}", headers=test_keys.headers("court_clerk"))
    assert clerk.status_code == 200 and clerk.json["unit_code"] == "NY-FY-SF"


def test_the_migration_backfills_the_unit_from_the_triage_item(tmp_path: Path) -> None:
    """deadlines_0002_units_followups on a database holding deadlines from before it: a petition's deadlines take its triage
    item's unit; a deadline of any other subject keeps NULL (the task force only)."""
    url = f"sqlite:///{tmp_path / 'review.db'}"
    upgrade("review", url, "deadlines_0001_engine")
    upgrade("review", url, "triage_0002_units")
    engine = create_engine(url)
    now = "2026-01-05 00:00:00.000000"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO triage_items (id, petition_id, case_number, line, channel, petition_type, is_enterprise,"
            " petitioner_masked, summary, received_on, status, source_event_id, unit_code, created_at, updated_at)"
            " VALUES ('t1', 'pid-old', '12309-2026-000001', '12309', '网', '控告', 1, '张*', 's', '2026-01-05',"
            " 'pending', 'e1', 'NY-JCY-KS', :now, :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO deadline_rules (id, code, title, amount, unit, custody, basis, effective_from, warn_before,"
            " settings, default_amount, default_unit, created_at, updated_at)"
            " VALUES (1, '12309.result_reply', 't', 3, 'month', 0, 'b', '2019-11-21', 2, '', 3, 'month', :now, :now)"),
            {"now": now})
        for id_, subject in (("d1", "pid-old"), ("d2", "case-without-triage-item")):
            conn.execute(text(
                "INSERT INTO deadlines (id, subject, rule_id, rule_code, title, amount, unit, custody, warn_before,"
                " start_on, base_due_on, due_on, provisional, status, created_at, updated_at)"
                " VALUES (:id, :subject, 1, '12309.result_reply', 't', 3, 'month', 0, 2, '2026-01-05', '2026-04-07',"
                " '2026-04-07', 0, 'open', :now, :now)"), {"id": id_, "subject": subject, "now": now})
    upgrade("review", url)
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT id, unit_code FROM deadlines")).tuples().all())
    engine.dispose()
    assert got == {"d1": "NY-JCY-KS", "d2": None}
