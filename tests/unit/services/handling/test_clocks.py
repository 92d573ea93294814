"""The handling clocks walked across 国庆 2026 (10-01..10-07, 调休 Sundays 9-20 and Saturday 10-10) and 春节 2027
(the statutory fallback: 2-05..2-08, provisional), with time-machine moving "now" (no sleeps).

* ``handling.acceptance``: 3 working days from the 交办, over the holiday;
* ``12309.procedural_reply``: 7 days, its last day on a holiday moves to the next working day;
* ``12309.result_reply``: 3 months, then a progress reply starts the monthly follow-ups until the final reply.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.models import Deadline
from shared.calendar import BEIJING
from tests.support.auth import AuthKeys
from tests.unit.services.handling.conftest import HANDLING_UNIT, client, deadlines, route_item

BASIS = "《人民检察院办理群众来信工作规定》（2019年）"


@contextmanager
def on(day: _dt.date, app: Flask, keys: AuthKeys) -> Iterator[FlaskClient]:
    """"Now" is 10:00 Beijing time on ``day``; a handler of 宛城区院 signed in then."""
    with time_machine.travel(_dt.datetime.combine(day, _dt.time(10), tzinfo=BEIJING), tick=False):
        yield client(app, keys, "case_handler", HANDLING_UNIT)


def _reply(handler: FlaskClient, pid: str, kind: str, day: _dt.date, **extra: Any) -> dict[str, Any]:
    body = {"kind": kind, "text": f"{kind} 答复", "delivery": "phone", "replied_on": day.isoformat(),
            "legal_basis": BASIS, **extra}
    answer = handler.post(f"/api/v1/handling/items/{pid}/replies", json=body)
    assert answer.status_code == 201, answer.json
    return dict(answer.json)


def _chain(sessions: sessionmaker[Session], pid: str) -> list[tuple[str, str, _dt.date | None, bool | None]]:
    with sessions() as session:
        rows = session.scalars(select(Deadline).where(Deadline.subject == pid, Deadline.rule_code.in_(
            ("12309.result_reply", "12309.progress_followup"))).order_by(Deadline.start_on)).all()
        return [(d.rule_code, d.status, d.due_on, d.met_on_time) for d in rows]


@pytest.fixture
def national_day_item(sessions: sessionmaker[Session]) -> str:
    """Received Monday 9-28 at 控申, 交办 to 宛城区院 on Tuesday 9-29, the eve of 国庆."""
    return route_item(sessions, received_on=_dt.date(2026, 9, 28), routed_on=_dt.date(2026, 9, 29))


@pytest.mark.parametrize(("accepted_on", "on_time"), [(_dt.date(2026, 10, 9), True), (_dt.date(2026, 10, 10), False)])
def test_the_acceptance_counts_working_days_over_the_national_day(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, national_day_item: str,
        accepted_on: _dt.date, on_time: bool) -> None:
    pid = national_day_item
    # 9-30, then 国庆 (10-01..10-07) is not counted: 10-08, 10-09. Saturday 10-10 is a 调休 workday, one too late.
    assert deadlines(sessions, pid)["handling.acceptance"].due_on == _dt.date(2026, 10, 9)
    with on(accepted_on, review_app, test_keys) as handler:
        answer = handler.post(f"/api/v1/handling/items/{pid}/accept")
        assert answer.status_code == 200, answer.json
    met = deadlines(sessions, pid)["handling.acceptance"]
    assert (met.status, met.met_on_time) == ("met" if on_time else "missed", on_time)


@pytest.mark.parametrize(("replied_on", "on_time"), [(_dt.date(2026, 10, 8), True), (_dt.date(2026, 10, 9), False)])
def test_the_7_day_procedural_reply_over_the_national_day(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, national_day_item: str,
        replied_on: _dt.date, on_time: bool) -> None:
    pid = national_day_item
    # 7 days end on 10-05, inside the holiday: the last day moves to the first working day after it.
    assert deadlines(sessions, pid)["12309.procedural_reply"].due_on == _dt.date(2026, 10, 8)
    with on(_dt.date(2026, 9, 30), review_app, test_keys) as handler:
        assert handler.post(f"/api/v1/handling/items/{pid}/accept").status_code == 200
    with on(replied_on, review_app, test_keys) as handler:
        reply = _reply(handler, pid, "procedural", replied_on)
    assert reply["on_time"] is on_time
    [met] = reply["deadlines_met"]
    assert (met["rule_code"], met["status"], met["met_on_time"]) == (
        "12309.procedural_reply", "met" if on_time else "missed", on_time)
    assert deadlines(sessions, pid)["12309.result_reply"].status == "open"


def test_the_result_reply_over_the_spring_festival_then_monthly_follow_ups_until_the_final_reply(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys) -> None:
    pid = route_item(sessions, received_on=_dt.date(2026, 11, 6), routed_on=_dt.date(2026, 11, 9))
    result = deadlines(sessions, pid)["12309.result_reply"]
    # 3 months end on 2027-02-06, 春节 (2-05..2-08 by the statutory fallback): moved to 2-09, provisional
    # because the 国务院's 2027 notice is not in the calendar yet.
    assert (result.due_on, result.provisional) == (_dt.date(2027, 2, 9), True)
    with on(_dt.date(2026, 11, 10), review_app, test_keys) as handler:
        assert handler.post(f"/api/v1/handling/items/{pid}/accept").status_code == 200
        assert _reply(handler, pid, "procedural", _dt.date(2026, 11, 10))["on_time"] is True
    # Not finished in 3 months: a progress reply on the last day, then the first monthly follow-up.
    with on(_dt.date(2027, 2, 9), review_app, test_keys) as handler:
        assert _reply(handler, pid, "progress", _dt.date(2027, 2, 9))["on_time"] is True
    assert _chain(sessions, pid) == [("12309.result_reply", "met", _dt.date(2027, 2, 9), True),
                                     ("12309.progress_followup", "open", _dt.date(2027, 3, 9), None)]
    # The next month's progress reply comes a day late: missed, and the following month's follow-up runs.
    with on(_dt.date(2027, 3, 10), review_app, test_keys) as handler:
        assert _reply(handler, pid, "progress", _dt.date(2027, 3, 10))["on_time"] is False
    assert _chain(sessions, pid)[1:] == [("12309.progress_followup", "missed", _dt.date(2027, 3, 9), False),
                                         ("12309.progress_followup", "open", _dt.date(2027, 4, 9), None)]
    with on(_dt.date(2027, 4, 8), review_app, test_keys) as handler:
        final = _reply(handler, pid, "final", _dt.date(2027, 4, 8), outcome="partly_supported")
        assert handler.get(f"/api/v1/handling/items/{pid}").json["item"]["status"] == "replied"
    assert final["on_time"] is True and final["document_number"] == "宛检信复〔2027〕3号"  # after the two progress replies
    assert [s for _, s, _, _ in _chain(sessions, pid)] == ["met", "missed", "met"]
    assert all(d.status != "open" for d in deadlines(sessions, pid).values())


def test_the_acceptance_period_is_a_setting(
        review_app: Flask, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_RULE_HANDLING_ACCEPTANCE_AMOUNT", "5")
    pid = route_item(sessions, received_on=_dt.date(2026, 9, 28), routed_on=_dt.date(2026, 9, 29))
    acceptance = deadlines(sessions, pid)["handling.acceptance"]
    # 9-30, 10-08, 10-09, Saturday 10-10 (调休), Monday 10-12.
    assert (acceptance.amount, acceptance.due_on) == (5, _dt.date(2026, 10, 12))
