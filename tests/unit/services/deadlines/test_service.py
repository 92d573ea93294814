"""The deadline engine over a real (SQLite) review database: rules, attach, pauses, meet, imports."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines import attaching, closing, extensions, queries, suspensions
from services.review.deadlines.flows import import_year
from services.review.deadlines.models import Deadline, DeadlineRule
from services.review.deadlines.rules import RuleNotFound, load_catalogue, rule_in_force, seed_rules
from services.review.holidays.service import InvalidYearFile, list_years
from shared.calendar import Unit
from shared.events import decode
from shared.outbox import OutboxMessage

FICTIONAL_2027 = (Path(__file__).resolve().parents[2] / "calendar" / "fictional_2027.csv").read_text(encoding="utf-8")


def _events(session: Session, type_: str) -> list[dict]:  # type: ignore[type-arg]
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.event_type == type_).order_by(OutboxMessage.id))
    return [decode(r.payload).data for r in rows]


def test_seeding_is_idempotent_and_applies_settings(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        n = seed_rules(s, env={})
        seed_rules(s, env={})
        assert s.scalar(select(func.count()).select_from(DeadlineRule)) == n == len(load_catalogue().rules)
        assert rule_in_force(s, code="12309.procedural_reply", on=date(2026, 1, 5)).unit == "day"
    with review_sessions() as s, s.begin():
        seed_rules(s, env={"HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT": "working_day",
                           # not a setting of this rule: ignored
                           "HUHANG_RULE_12309_RESULT_REPLY_AMOUNT": "1"})
        row = rule_in_force(s, code="12309.procedural_reply", on=date(2026, 1, 5))
        assert (row.amount, row.unit, row.default_unit) == (7, "working_day", "day")
        assert rule_in_force(s, code="12309.result_reply", on=date(2026, 1, 5)).amount == 3


def test_the_rule_in_force_on_the_start_date_is_used(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        old = rule_in_force(s, code="custody_review.decision", on=date(2020, 6, 1))
        new = rule_in_force(s, code="custody_review.decision", on=date(2024, 6, 1))
        assert (old.amount, old.unit) == (10, "working_day")
        assert (new.amount, new.unit) == (10, "day")
        assert rule_in_force(s, code="custody_review.decision", on=date(2023, 12, 12)).id == old.id
        assert rule_in_force(s, code="custody_review.decision", on=date(2023, 12, 13)).id == new.id
        with pytest.raises(RuleNotFound):
            rule_in_force(s, code="custody_review.decision", on=date(2015, 1, 1))
        with pytest.raises(RuleNotFound):
            rule_in_force(s, code="no.such_rule", on=date(2024, 1, 1))


def test_a_12309_petition_gets_both_reply_deadlines_and_a_12368_one_the_work_order(
    review_sessions: sessionmaker[Session],
) -> None:
    with review_sessions() as s, s.begin():
        made = attaching.attach_for_petition(s, unit_code="NY-JCY-KS", petition_id="p1", case_number="12309-2025-000001",
                                           line="12309", received_on=date(2025, 9, 26))
        again = attaching.attach_for_petition(s, unit_code="NY-JCY-KS", petition_id="p1", case_number="12309-2025-000001",
                                            line="12309", received_on=date(2025, 9, 26))
        court = attaching.attach_for_petition(s, unit_code="NY-JCY-KS", petition_id="p2", case_number="12368-2025-000001",
                                            line="12368", received_on=date(2025, 9, 30))
    assert [d.id for d in made] == [d.id for d in again]  # idempotent
    by_code = {d.rule_code: d for d in made}
    assert by_code["12309.procedural_reply"].due_on == date(2025, 10, 9)
    assert by_code["12309.result_reply"].due_on == date(2025, 12, 26)
    # 2 working days from Tue 09-30 over 国庆: Thu 10-09, Fri 10-10.
    assert [(d.rule_code, d.due_on) for d in court] == [("court_12368.work_order", date(2025, 10, 10))]
    with review_sessions() as s:
        history = queries.history(s, by_code["12309.procedural_reply"].id)
        assert [h.kind for h in history] == ["set"]
        assert "群众来信" in history[0].data["basis"]


def test_suspend_and_lift_derive_the_due_date_and_keep_the_history(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        d = attaching.attach(s, unit_code="NY-JCY-KS", subject="case-1", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
        assert d.due_on == date(2025, 11, 10)  # Mon + 7 = Mon
        sus = suspensions.suspend(s, principal=None, deadline_id=d.id, reason="awaiting_materials", basis="一次性告知补充材料",
                              start_on=date(2025, 11, 5), actor="user:a")
        assert d.due_on is None and d.paused
    with review_sessions() as s, s.begin():
        suspensions.lift(s, principal=None, deadline_id=d.id, suspension_id=sus.id, resumed_on=date(2025, 11, 12), actor="user:a")
        d = queries.get_or_raise(s, d.id, principal=None)
        assert d.due_on == date(2025, 11, 17)  # 7 paused days
        kinds = [h.kind for h in queries.history(s, d.id)]
        assert kinds == ["set", "suspended", "resumed"]
        recomputed = _events(s, "deadline.recomputed")
        assert [(e["reason"], e["due_on"]) for e in recomputed] == [("suspended", None), ("resumed", "2025-11-17")]
        with pytest.raises(suspensions.SuspensionAlreadyLifted):
            suspensions.lift(s, principal=None, deadline_id=d.id, suspension_id=sus.id, resumed_on=date(2025, 11, 13), actor="user:a")


def test_invalid_suspensions_are_refused(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        d = attaching.attach(s, unit_code="NY-JCY-KS", subject="case-2", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
        with pytest.raises(suspensions.InvalidSuspension):
            suspensions.suspend(s, principal=None, deadline_id=d.id, reason="other", basis="x", start_on=date(2025, 11, 1), actor="u")
        with pytest.raises(suspensions.InvalidSuspension):
            suspensions.suspend(s, principal=None, deadline_id=d.id, reason="other", basis="x", start_on=date(2025, 11, 20), actor="u")
        suspensions.suspend(s, principal=None, deadline_id=d.id, reason="other", basis="x", start_on=date(2025, 11, 4), actor="u")
        with pytest.raises(suspensions.InvalidSuspension):
            suspensions.suspend(s, principal=None, deadline_id=d.id, reason="other", basis="x", start_on=date(2025, 11, 5), actor="u")


def test_extension_with_approval_moves_the_date(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        d = attaching.attach(s, unit_code="NY-JCY-KS", subject="case-3", rule_code="custody_review.decision", start_on=date(2020, 9, 18))
        before = d.due_on
        extensions.extend(s, principal=None, deadline_id=d.id, amount=5, unit=Unit.WORKING_DAY, basis="2016 规定", approved_by="检察长",
                       actor="user:b")
        assert d.due_on is not None and before is not None and d.due_on > before
        ext = queries.history(s, d.id)[-1]
        assert (ext.kind, ext.data["approved_by"]) == ("extended", "检察长")


def test_meeting_records_on_time_or_missed_in_beijing_time(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        a = attaching.attach(s, unit_code="NY-JCY-KS", subject="c-a", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
        b = attaching.attach(s, unit_code="NY-JCY-KS", subject="c-b", rule_code="12309.procedural_reply", start_on=date(2025, 11, 3))
        # 2025-11-10 23:30 Beijing = 15:30 UTC: still the due day.
        closing.meet(s, principal=None, deadline_id=a.id, met_at=datetime(2025, 11, 10, 15, 30, tzinfo=timezone.utc), actor="u")
        # 2025-11-11 00:30 Beijing = 11-10 16:30 UTC: a day late.
        closing.meet(s, principal=None, deadline_id=b.id, met_at=datetime(2025, 11, 10, 16, 30, tzinfo=timezone.utc), actor="u")
        assert (a.status, a.met_on_time) == ("met", True)
        assert (b.status, b.met_on_time) == ("missed", False)
        assert queries.history(s, b.id)[-1].kind == "missed"
        with pytest.raises(queries.DeadlineClosed):
            closing.meet(s, principal=None, deadline_id=a.id, actor="u")


def test_import_of_2027_recomputes_provisional_deadlines_once(review_sessions: sessionmaker[Session]) -> None:
    with review_sessions() as s, s.begin():
        d = attaching.attach(s, unit_code="NY-JCY-KS", subject="c-27", rule_code="12309.result_reply", start_on=date(2026, 11, 20))
        settled = attaching.attach(s, unit_code="NY-JCY-KS", subject="c-26", rule_code="12309.result_reply", start_on=date(2026, 3, 2))
        assert (d.due_on, d.provisional) == (date(2027, 2, 22), True)
        assert settled.provisional is False
    with review_sessions() as s, s.begin():
        row, changed = import_year(s, text=FICTIONAL_2027, imported_by="cli:test")  # FICTIONAL data
        assert row.year == 2027 and changed == [d.id]
    with review_sessions() as s, s.begin():
        d = queries.get_or_raise(s, d.id, principal=None)
        assert (d.due_on, d.provisional) == (date(2027, 2, 20), False)
        last = queries.history(s, d.id)[-1]
        assert (last.kind, last.data["reason"], last.data["previous_due_on"]) == ("recomputed", "calendar_imported", "2027-02-22")
        events = _events(s, "deadline.recomputed")
        assert len(events) == 1 and events[0]["previous_provisional"] is True and events[0]["provisional"] is False
        # Importing the same year again changes nothing and says so.
        _, again = import_year(s, text=FICTIONAL_2027, imported_by="cli:test")
        assert again == []
        years = {y.year: y for y in list_years(s)}
        assert years[2027].stored and not years[2026].stored


def test_an_invalid_year_file_is_refused_with_every_problem(review_sessions: sessionmaker[Session]) -> None:
    bad = FICTIONAL_2027.replace("2027-10-09,workday", "2027-10-08,workday").replace("2027-10-01,holiday", "2027-10-01,rest")
    with review_sessions() as s, s.begin():
        with pytest.raises(InvalidYearFile) as caught:
            import_year(s, text=bad, imported_by="cli:test")
    assert len(caught.value.details["problems"]) >= 2
    with review_sessions() as s:
        assert [y for y in list_years(s) if y.stored] == []


def test_triage_of_a_petition_attaches_its_deadlines(review_sessions: sessionmaker[Session]) -> None:
    from services.review.triage.handlers import on_petition_received as create_from_petition
    from shared.events import new_event

    event = new_event("petition.received", subject="pid-9", source="intake", data={
        "petition_id": "pid-9", "case_number": "12309-2026-000009", "line": "12309", "channel": "网",
        "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "王*", "summary": "s",
        "received_at": datetime(2026, 9, 30, 15, 30, tzinfo=timezone.utc), "received_on": "2026-09-30",
    })
    with review_sessions() as s, s.begin():
        create_from_petition(s, event)
    with review_sessions() as s:
        got = {d.rule_code: d.due_on for d in queries.list_(s, principal=None, subject="pid-9")}
    # 2026-09-30 + 7 = 10-07, the last day of 国庆 2026 (10-01..10-07): moved to Thu 10-08.
    assert set(got) == {"12309.procedural_reply", "12309.result_reply"}
    assert got["12309.procedural_reply"] == date(2026, 10, 8)
    assert got["12309.result_reply"] == date(2026, 12, 30)
