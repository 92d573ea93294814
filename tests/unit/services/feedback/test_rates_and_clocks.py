"""The rates per unit (three grouped queries, scoped), the public 评价 from intake, and the reopened clock over 春节 2027."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.review.deadlines import closing
from services.review.deadlines.models import Deadline
from services.review.feedback import rates, service
from services.review.feedback.handlers import on_feedback_submitted
from services.review.feedback.models import Feedback
from services.review.holidays.service import store_year
from services.review.triage.models import TriageItem
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.events import Envelope
from tests.support.auth import AuthKeys
from tests.unit.services.feedback.conftest import make_item

FICTIONAL_2027 = (Path(__file__).resolve().parents[2] / "calendar" / "fictional_2027.csv").read_text()


@pytest.fixture
def session(review_app: Flask) -> Iterator[Session]:
    with review_app.extensions["huhang"].session_factory() as s:
        yield s


def _staff(keys: AuthKeys, role: str = "case_handler", unit: str = "NY-JCY-WC") -> Actor:
    return Actor.of(keys.principal(role, unit))


def _result(session: Session, pid: str) -> Deadline:
    found = session.scalars(select(Deadline).where(Deadline.subject == pid, Deadline.rule_code == "12309.result_reply",
                                                   Deadline.status == "open")).first()
    assert found is not None
    return found


def _reply(session: Session, pid: str, *, on: datetime) -> None:
    """What the handling step does on a final 答复: meet the result clock and set the item replied."""
    closing.meet(session, deadline_id=_result(session, pid).id, actor="user:handler", principal=None, met_at=on)
    item = session.scalar(select(TriageItem).where(TriageItem.petition_id == pid))
    assert item is not None
    item.status = "replied"
    session.flush()


def test_rates_per_unit_in_three_grouped_queries_scoped_to_what_the_caller_sees(
        session: Session, test_keys: AuthKeys) -> None:
    at = datetime(2026, 11, 10, 2, tzinfo=timezone.utc)
    with time_machine.travel(at, tick=False):
        wc = [make_item(session, status="handling", received_on=date(2026, 9, 1)) for _ in range(3)]
        late = make_item(session, status="handling", received_on=date(2026, 7, 1))  # its 3 months ran out 10-01
        wl = make_item(session, status="handling", handling_unit="NY-JCY-WL", received_on=date(2026, 9, 1))
        for item in [*wc, late, wl]:
            _reply(session, item.petition_id, on=at)
        service.record(session, petition_id=wc[0].petition_id, rating="satisfied", reasons=None, method="phone",
                       actor=_staff(test_keys))
        service.record(session, petition_id=wc[1].petition_id, rating="basically_satisfied", reasons=None,
                       method="in_person", actor=_staff(test_keys))
        service.record(session, petition_id=late.petition_id, rating="dissatisfied", reasons="超期答复",
                       method="written", actor=_staff(test_keys))
        service.record(session, petition_id=wl.petition_id, rating="dissatisfied", reasons="未解决",
                       method="phone", actor=_staff(test_keys, unit="NY-JCY-WL"))
        session.flush()

    statements: list[str] = []

    def count(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        got = {r.unit_code: r for r in rates.rates(session, since=date(2026, 11, 1), until=date(2026, 11, 30),
                                                   unit_codes=None)}
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 3  # one grouped query each, whatever the number of rows

    w = got["NY-JCY-WC"]
    assert (w.replies, w.feedback, w.satisfied, w.basically_satisfied, w.dissatisfied) == (4, 3, 1, 1, 1)
    assert w.satisfaction_rate == pytest.approx(2 / 3)
    # Four result clocks closed on 11-10: three within their 3 months, the July one late.
    assert (w.deadlines_closed, w.deadlines_on_time) == (4, 3) and w.on_time_rate == pytest.approx(0.75)
    assert got["NY-JCY-WL"].satisfaction_rate == 0.0 and got["NY-JCY-WL"].replies == 1

    # Outside the range: nothing.
    assert rates.rates(session, since=date(2026, 12, 1), until=date(2026, 12, 31), unit_codes=None) == []
    # Scoped: a 基层院 handler sees its unit only, whatever it asks for; the 市院 sees both.
    mine = rates.for_principal(session, test_keys.principal("case_handler", "NY-JCY-WC"), since=date(2026, 11, 1),
                               until=date(2026, 11, 30), requested=["NY-JCY-WL", "NY-JCY-WC"])
    assert [r.unit_code for r in mine] == ["NY-JCY-WC"]
    city = rates.for_principal(session, test_keys.principal("unit_leader", "NY-JCY"), since=date(2026, 11, 1),
                               until=date(2026, 11, 30), requested=None)
    assert {r.unit_code for r in city} == {"NY-JCY-WC", "NY-JCY-WL"}


def test_the_rates_api_checks_its_range(review_app: Flask, test_keys: AuthKeys) -> None:
    client = review_app.test_client()
    headers = test_keys.headers("unit_leader", "NY-JCY")
    ok = client.get("/api/v1/feedback/rates?from=2026-11-01&to=2026-11-30", headers=headers)
    assert ok.status_code == 200 and ok.json == []
    bad = client.get("/api/v1/feedback/rates?from=2026-11-30&to=2026-11-01", headers=headers)
    assert bad.status_code == 422 and bad.json["problems"][0]["code"] == "feedback.rates_range"
    assert client.get("/api/v1/feedback/rates?from=2026-11-01", headers=headers).status_code == 422
    assert client.get("/api/v1/feedback/rates?from=2026-11-01&to=2026-11-30").status_code == 401


def _submitted(pid: str, case_number: str, *, rating: str = "dissatisfied", reasons: str | None = "答复没有回应诉求",
               round_: int | None = 1) -> Envelope:
    return Envelope(type="petition.feedback_submitted", version=1, subject=pid, source="intake", actor="public",
                    trace_id=uuid.uuid4().hex, data={"petition_id": pid, "case_number": case_number, "rating": rating,
                                                     "reasons": reasons, "submitted_at": "2026-11-12T03:00:00+00:00",
                                                     "round": round_})


def test_a_public_rating_is_recorded_via_public_once_and_a_late_or_stale_one_is_audited_not_raised(
        session: Session, test_keys: AuthKeys) -> None:
    item = make_item(session)
    on_feedback_submitted(session, _submitted(item.petition_id, item.case_number))
    fb = session.scalar(select(Feedback).where(Feedback.petition_id == item.petition_id))
    assert fb is not None and (fb.via, fb.rating, fb.method, fb.recorded_by) == ("public", "dissatisfied", None, "public")
    assert fb.submitted_at == datetime(2026, 11, 12, 3, tzinfo=timezone.utc)
    # The same petitioner again, a stale round, an unknown petition: refused, audited, nothing raised.
    on_feedback_submitted(session, _submitted(item.petition_id, item.case_number, rating="satisfied"))
    on_feedback_submitted(session, _submitted(item.petition_id, item.case_number, round_=3))
    on_feedback_submitted(session, _submitted(str(uuid.uuid4()), "x"))
    reasons = [a.detail["reason"] for a in session.scalars(
        select(AuditEntry).where(AuditEntry.action == "feedback.record", AuditEntry.outcome == "failure")
        .order_by(AuditEntry.id))]
    assert reasons == ["feedback.already_recorded", "stale_round", "no_item"]
    assert len(session.scalars(select(Feedback)).all()) == 1


@pytest.mark.parametrize(("replied_on", "on_time"), [(date(2027, 2, 15), True), (date(2027, 2, 16), False)])
def test_the_reopened_rounds_three_months_run_past_spring_festival_2027(
        session: Session, test_keys: AuthKeys, replied_on: date, on_time: bool) -> None:
    store_year(session, text=FICTIONAL_2027, imported_by="test")  # FICTIONAL 2027 notice (tests only)
    item = make_item(session, status="handling", received_on=date(2026, 8, 1))
    _reply(session, item.petition_id, on=datetime(2026, 11, 2, 2, tzinfo=timezone.utc))  # round 1's answer
    service.record(session, petition_id=item.petition_id, rating="dissatisfied", reasons="未回应诉求",
                   method="phone", actor=_staff(test_keys))
    # Reopened on Fri 2026-11-06 (Beijing): 3 months end on 2027-02-06, inside the 春节 holiday
    # (02-05..02-12 in the fixture), and Sat 02-13 / Sun 02-14 follow: due Mon 2027-02-15.
    with time_machine.travel(datetime(2026, 11, 6, 1, tzinfo=timezone.utc), tick=False):
        new_round = service.reopen(session, petition_id=item.petition_id, reason="重新核查",
                                   actor=_staff(test_keys, "unit_leader"))
    assert new_round.opened_on == date(2026, 11, 6)
    clock = session.get(Deadline, new_round.deadline_id)
    assert clock is not None
    assert (clock.rule_code, clock.start_on, clock.due_on, clock.provisional) == (
        "12309.result_reply", date(2026, 11, 6), date(2027, 2, 15), False)
    # The clock runs while the calendar moves through the holiday; the reply lands on either side of it.
    with time_machine.travel(datetime(replied_on.year, replied_on.month, replied_on.day, 2, tzinfo=timezone.utc),
                             tick=False):
        _reply(session, item.petition_id, on=datetime.now(timezone.utc))
    session.refresh(clock)
    assert (clock.status, clock.met_on_time) == (("met", True) if on_time else ("missed", False))
    item_now = session.scalar(select(TriageItem).where(TriageItem.petition_id == item.petition_id))
    assert item_now is not None and (item_now.status, item_now.round) == ("replied", 2)
    # Round 2's reply can be rated in its turn.
    again = service.record(session, petition_id=item.petition_id, rating="satisfied", reasons=None, method="phone",
                           actor=_staff(test_keys))
    assert again.round == 2 and item_now.status == "closed"
