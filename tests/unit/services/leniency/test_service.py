"""首违不罚 over a migrated database: "first" against stored determinations within the look-back, the
list chosen by the act date (old versions stay in force), loading good / bad / new-version files
(never overwritten), and the audit rows and events of each step."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.leniency import catalogue, lists, service
from services.review.leniency.models import LeniencyCheck, LeniencyList, LeniencyPunishment
from services.review.triage.access import NotYourUnit
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.outbox import OutboxMessage
from tests.unit.services.leniency.conftest import CREDIT, GOOD, OTHER_CREDIT, ActorOf

TODAY = _dt.date(2026, 11, 27)
SIX = lists.LISTS_DIR / "tax-2021-6.toml"


def _check(sessions: sessionmaker[Session], actor: Actor, **changes: Any) -> LeniencyCheck:
    body = {**GOOD, **changes}
    for name in ("act_on", "corrected_on", "discovered_on"):
        if isinstance(body.get(name), str):
            body[name] = _dt.date.fromisoformat(body[name])
    with sessions() as session, session.begin():
        check = service.create(session, check_in=body, actor=actor, today=TODAY)
        session.expunge(check)
        return check


def test_a_stored_suggestion_makes_a_later_act_within_the_look_back_not_first(
        sessions: sessionmaker[Session], actor: ActorOf) -> None:
    first = _check(sessions, actor(), act_on="2025-03-10", corrected_on="2025-03-12", discovered_on="2025-03-15",
                   harm="minor")
    assert first.outcome == "suggested" and first.strength == "may"
    second = _check(sessions, actor(), item_code="1", harm="minor")  # 2026-10-16: 19 months later, within 24
    assert second.outcome == "not_applicable"
    first_row = next(c for c in second.conditions if c["key"] == "list.first")
    assert first_row["status"] == "not_met" and "2025年3月10日" in first_row["reason"]
    # Another enterprise, and the same enterprise outside the window, are first.
    assert _check(sessions, actor(), credit_code=OTHER_CREDIT, harm="minor").outcome == "suggested"


def test_outside_the_look_back_an_earlier_suggestion_does_not_count(
        sessions: sessionmaker[Session], actor: ActorOf) -> None:
    _check(sessions, actor(), act_on="2024-10-15", corrected_on="2024-10-16", discovered_on="2024-10-20", harm="minor")
    later = _check(sessions, actor(), harm="minor")  # 2026-10-16: 24 months and a day later
    assert later.outcome == "suggested" and later.strength == "may"


def test_a_not_applicable_check_does_not_count_but_a_recorded_punishment_does(
        sessions: sessionmaker[Session], actor: ActorOf) -> None:
    _check(sessions, actor(), act_on="2026-01-05", corrected=False, corrected_on=None, harm="minor")
    assert _check(sessions, actor(), harm="minor").outcome == "suggested"
    stated = _check(sessions, actor(), credit_code=OTHER_CREDIT, harm="minor",
                    prior_punishments=[{"act_on": _dt.date(2026, 2, 1), "decision_number": "宛税罚〔2026〕12号"}])
    assert stated.outcome == "not_applicable" and "宛税罚〔2026〕12号" in stated.explanation
    with sessions() as session:
        punished = session.scalars(select(LeniencyPunishment)).one()
        assert punished.check_id == stated.id and punished.field == "税务"
    # It counts for later checks too, of any item of the same field.
    assert _check(sessions, actor(), credit_code=OTHER_CREDIT, item_code="8", harm="minor").outcome == "not_applicable"


def test_the_list_in_force_is_chosen_by_the_act_date_not_the_check_date(
        sessions: sessionmaker[Session], actor: ActorOf) -> None:
    before = _check(sessions, actor(), list_code="tax-2021-33", item_code="2", act_on="2021-12-31",
                    corrected_on="2022-01-04", discovered_on="2022-01-05")
    assert before.outcome == "not_applicable" and before.list_version is None
    assert before.conditions[0]["key"] == "list.in_force" and before.conditions[0]["status"] == "not_met"
    after = _check(sessions, actor(), list_code="tax-2021-33", item_code="2", act_on="2022-01-01",
                   corrected_on="2022-01-04", discovered_on="2022-01-05")
    assert after.outcome == "suggested" and after.list_version == 1
    assert service.list_(sessions(), principal=None, credit_code=CREDIT)[0].id == after.id


def test_a_new_version_applies_to_later_acts_and_the_old_one_stays_for_earlier_acts(
        sessions: sessionmaker[Session], actor: ActorOf) -> None:
    text = SIX.read_text(encoding="utf-8")
    # Version 2 from 2026-06-01 drops item 10 and changes the look-back.
    v2 = (text.replace("version = 1", "version = 2").replace("effective_from = 2021-04-01", "effective_from = 2026-06-01")
          .split('[[item]]\ncode = "10"')[0])
    with sessions() as session, session.begin():
        row, created = catalogue.load_text(session, v2, source="tax-2021-6-v2.toml", actor=Actor("t"))
        assert created and row.version == 2 and len(row.items) == 9
    old = _check(sessions, actor(), item_code="10", act_on="2026-05-31", corrected_on="2026-06-02",
                 discovered_on="2026-06-03")
    new = _check(sessions, actor(), credit_code=OTHER_CREDIT, item_code="10")
    assert (old.list_version, old.outcome) == (1, "suggested")
    assert (new.list_version, new.outcome) == (2, "not_applicable")
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LeniencyList).where(
            LeniencyList.code == "tax-2021-6")) == 2


def test_loading_is_never_an_overwrite(sessions: sessionmaker[Session]) -> None:
    text = SIX.read_text(encoding="utf-8")
    with sessions() as session, session.begin():
        again, created = catalogue.load_text(session, text, source=SIX.name, actor=Actor("t"))
        assert not created and again.version == 1
    changed = text.replace("lookback_months = 24", "lookback_months = 36")
    with sessions() as session, session.begin(), pytest.raises(catalogue.VersionConflict) as refused:
        catalogue.load_text(session, changed, source="edited.toml", actor=Actor("t"))
    assert "edited.toml" in str(refused.value) and "new version number" in str(refused.value)
    with sessions() as session:
        assert session.scalars(select(LeniencyList).where(LeniencyList.code == "tax-2021-6")).one().lookback_months == 24


def test_a_bad_file_stores_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        before = session.scalar(select(func.count()).select_from(LeniencyList))
    with sessions() as session, pytest.raises(lists.InvalidListFile):
        with session.begin():
            catalogue.load_text(session, "format = 1\n", source="empty.toml", actor=Actor("t"))
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(LeniencyList)) == before


def test_a_court_user_may_not_check(sessions: sessionmaker[Session], actor: ActorOf) -> None:
    with pytest.raises(service.NotProcuratorate):
        _check(sessions, actor("unit_leader", "NY-FY"))


def test_an_unknown_list_is_refused(sessions: sessionmaker[Session], actor: ActorOf) -> None:
    with pytest.raises(service.UnknownList):
        _check(sessions, actor(), list_code="samr-2025-1")


def test_each_step_is_audited_and_announced(sessions: sessionmaker[Session], actor: ActorOf) -> None:
    check = _check(sessions, actor(), authority="国家税务总局南阳市宛城区税务局")
    with sessions() as session, session.begin():
        row = service.draft_recommendation(session, check_id=check.id, addressee=None, actor=actor(), today=TODAY)
        assert row.document_number == "南检行建〔2026〕1号" and row.addressee == "国家税务总局南阳市宛城区税务局"
    with sessions() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
        types = [m.event_type for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert {"leniency.list_load", "leniency.check", "leniency.recommendation_draft"} <= actions
    assert types.count("leniency.list_loaded") == 2 and "leniency.checked" in types
    assert types[-1] == "leniency.recommendation_drafted"


def test_only_a_positive_check_becomes_a_recommendation_and_only_once(
        sessions: sessionmaker[Session], actor: ActorOf) -> None:
    refused = _check(sessions, actor(), corrected=False, corrected_on=None)
    with sessions() as session, pytest.raises(service.NotSuggested) as why:
        service.draft_recommendation(session, check_id=refused.id, addressee="某税务局", actor=actor(), today=TODAY)
    assert "尚未改正" in why.value.details["explanation"]
    good = _check(sessions, actor())
    with sessions() as session, session.begin():
        service.draft_recommendation(session, check_id=good.id, addressee="某税务局", actor=actor(), today=TODAY)
    with sessions() as session, pytest.raises(service.AlreadyDrafted):
        service.draft_recommendation(session, check_id=good.id, addressee="某税务局", actor=actor(), today=TODAY)
    # A unit below does not see the check; a unit above reads it but does not draft for the unit below.
    with sessions() as session, pytest.raises(service.CheckNotFound):
        service.get(session, good.id, principal=actor("penalty_reviewer", "NY-JCY-WC").principal)
    other = _check(sessions, actor())
    with sessions() as session, pytest.raises(NotYourUnit):
        service.draft_recommendation(session, check_id=other.id, addressee="某税务局", actor=actor("unit_leader"),
                                     today=TODAY)
