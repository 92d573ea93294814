"""立案绿色通道: its own time limit (a setting), counted with the shared calendar, closed by 立案."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.court_cases import service
from services.intake.court_cases.service import GreenChannelRule
from shared.actor import Actor
from shared.calendar import Unit
from tests.unit.services.court_cases.conftest import case_body

# 2026-09-30 is the Wednesday before 国庆 (10-01…10-07 off); Saturday 10-10 is a 调休 working day.
EVE_OF_NATIONAL_DAY = datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing


def _flag(session: Session, actor: Actor, now: datetime = EVE_OF_NATIONAL_DAY) -> str:
    flagged = service.flag(session, court_case_in=case_body(), actor=actor, now=now)
    session.flush()
    return flagged.court_case.id


def test_three_working_days_run_across_national_day_to_the_makeup_saturday(session: Session, judge_actor: Actor) -> None:
    case_id = _flag(session, judge_actor)
    decision = service.decide_green_channel(
        session, court_case_id=case_id, decision_in={"granted": True}, actor=judge_actor,
        rule=GreenChannelRule(3, Unit.WORKING_DAY), now=EVE_OF_NATIONAL_DAY)
    # 10-08 (Thu), 10-09 (Fri), 10-10 (the 调休 Saturday, a working day): not 10-12.
    assert decision.due_on == date(2026, 10, 10)
    assert decision.due_provisional is False
    assert (decision.limit_amount, decision.limit_unit) == (3, "working_day")


def test_natural_days_ending_in_the_holiday_move_to_the_next_working_day(session: Session, judge_actor: Actor) -> None:
    case_id = _flag(session, judge_actor)
    decision = service.decide_green_channel(
        session, court_case_id=case_id, decision_in={"granted": True}, actor=judge_actor,
        rule=GreenChannelRule(3, Unit.DAY), now=EVE_OF_NATIONAL_DAY)
    assert decision.due_on == date(2026, 10, 8)  # 10-03 is 国庆: the first working day after it


@pytest.mark.parametrize(("filed_on", "met"), [(date(2026, 10, 9), True), (date(2026, 10, 10), True),
                                                (date(2026, 10, 12), False)])
def test_filing_closes_the_clock_as_met_or_missed(session: Session, judge_actor: Actor, filed_on: date, met: bool) -> None:
    case_id = _flag(session, judge_actor)
    service.decide_green_channel(session, court_case_id=case_id, decision_in={"granted": True}, actor=judge_actor,
                                 rule=GreenChannelRule(3, Unit.WORKING_DAY), now=EVE_OF_NATIONAL_DAY)
    court_case = service.record_filing(session, court_case_id=case_id, filing_in={"filed_on": filed_on},
                                       actor=judge_actor, today=date(2026, 10, 20))
    assert court_case.status == "filed" and court_case.filed_on == filed_on
    assert court_case.green_channel is not None and court_case.green_channel.met is met


def test_a_refused_green_channel_has_no_clock(session: Session, judge_actor: Actor) -> None:
    case_id = _flag(session, judge_actor)
    decision = service.decide_green_channel(
        session, court_case_id=case_id, decision_in={"granted": False, "reasons": "不属于涉企快立范围"},
        actor=judge_actor, rule=GreenChannelRule(3, Unit.WORKING_DAY), now=EVE_OF_NATIONAL_DAY)
    assert decision.due_on is None and decision.limit_amount is None
    court_case = service.record_filing(session, court_case_id=case_id, filing_in={"filed_on": date(2026, 10, 30)},
                                       actor=judge_actor, today=date(2026, 10, 30))
    assert court_case.green_channel is not None and court_case.green_channel.met is None


def test_the_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert GreenChannelRule.from_settings(IntakeSettings()) == GreenChannelRule(3, Unit.WORKING_DAY)
    monkeypatch.setenv("HUHANG_RULE_COURT_GREEN_CHANNEL_AMOUNT", "7")
    monkeypatch.setenv("HUHANG_RULE_COURT_GREEN_CHANNEL_UNIT", "day")
    assert GreenChannelRule.from_settings(IntakeSettings()) == GreenChannelRule(7, Unit.DAY)
    monkeypatch.setenv("HUHANG_RULE_COURT_GREEN_CHANNEL_UNIT", "fortnight")
    with pytest.raises(ValueError, match="HUHANG_RULE_COURT_GREEN_CHANNEL_UNIT"):
        IntakeSettings()
    monkeypatch.setenv("HUHANG_RULE_COURT_GREEN_CHANNEL_UNIT", "day")
    monkeypatch.setenv("HUHANG_RULE_COURT_GREEN_CHANNEL_AMOUNT", "0")
    with pytest.raises(ValueError, match="AMOUNT"):
        IntakeSettings()


# -- through the API ----------------------------------------------------------------------------

def test_decided_once_and_refused_only_with_reasons(judge: FlaskClient, flagged: dict[str, str]) -> None:
    path = f"/api/v1/court-cases/{flagged['id']}/green-channel"
    resp = judge.post(path, json={"granted": False})
    assert resp.status_code == 422 and resp.json["code"] == "green_channel.refusal_needs_reasons"
    first = judge.post(path, json={"granted": True})
    assert first.status_code == 201, first.json
    assert first.json["due_on"] is not None and first.json["met"] is None
    again = judge.post(path, json={"granted": False, "reasons": "重新考虑"})
    assert again.status_code == 409 and again.json["code"] == "green_channel.already_decided"


def test_no_green_channel_after_filing_and_filing_once(judge: FlaskClient, flagged: dict[str, str]) -> None:
    base = f"/api/v1/court-cases/{flagged['id']}"
    assert judge.post(f"{base}/filing", json={}).json["status"] == "filed"
    resp = judge.post(f"{base}/green-channel", json={"granted": True})
    assert resp.status_code == 409 and resp.json["code"] == "green_channel.after_filing"
    again = judge.post(f"{base}/filing", json={})
    assert again.status_code == 409 and again.json["code"] == "court_case.already_filed"


def test_a_filing_date_in_the_future_is_refused(judge: FlaskClient, flagged: dict[str, str]) -> None:
    resp = judge.post(f"/api/v1/court-cases/{flagged['id']}/filing", json={"filed_on": "2999-01-01"})
    assert resp.status_code == 422 and resp.json["code"] == "court_case.date_in_future"
    assert resp.json["errors"] == {"filed_on": ["not after today (Beijing time)"]}
