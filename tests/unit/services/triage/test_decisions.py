"""分流 decisions over a migrated database: each rule, each refusal (nothing stored), the events and audit rows."""

from __future__ import annotations

import datetime as _dt
from datetime import datetime, timezone
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.models import Deadline, DeadlineSuspension
from services.review.triage import bulk, decisions, service, suggestions
from services.review.triage.access import ItemNotFound, NotYourUnit, WrongState
from services.review.triage.inputs import PetitionReceived
from services.review.triage.models import TriageItem, TriageRouting
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.auth.principal import make_principal
from shared.events import decode
from shared.outbox.models import OutboxMessage

RECEIVED = datetime(2026, 9, 21, 2, 0, tzinfo=timezone.utc)  # a Monday, Beijing 10:00


def officer(unit: str = "NY-JCY-KS", *, sees: tuple[str, ...] | None = None) -> Actor:
    principal = make_principal(user_id=f"u-{unit}", username=f"triage-{unit}", unit_code=unit,
                               roles=("triage_officer",), visible_units=sees or (unit,))
    return Actor.of(principal, trace_id="t-1")


KS, FY = officer(), officer("NY-FY-SF")


@pytest.fixture
def sessions(engine_for) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    _, factory = engine_for("review")
    return factory  # type: ignore[no-any-return]


def receive(sessions: sessionmaker[Session], n: int, *, unit: str = "NY-JCY-KS", line: str = "12309",
            category: str = "控告", division: str | None = None) -> str:
    petition = PetitionReceived(
        petition_id=f"p-{n}", case_number=f"宛检12309〔2026〕{n}号", line=line, channel="网", petition_type=category,
        is_enterprise=True, petitioner_masked="王*", summary="账户被冻结", received_at=RECEIVED,
        received_on=RECEIVED.date(), unit_code=unit, enterprise_division=division)
    with sessions() as s, s.begin():
        service.receive(s, petition, event_id=f"e-{n}", trace_id=None)
    return petition.petition_id


def events(s: Session, type_: str) -> list[dict[str, Any]]:
    return [dict(decode(r.payload).data)
            for r in s.scalars(select(OutboxMessage).where(OutboxMessage.event_type == type_).order_by(OutboxMessage.id))]


def audits(s: Session, action: str) -> list[AuditEntry]:
    return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def counts(s: Session) -> tuple[int, int, int, int]:
    return (s.scalar(select(func.count()).select_from(TriageRouting)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
            s.scalar(select(func.count()).select_from(Deadline)) or 0)


def refused(sessions: sessionmaker[Session], error: type[Exception], act: Any) -> Exception:
    """``act(session)`` raises ``error`` and, rolled back as the views do, leaves nothing behind."""
    with sessions() as s:
        before = counts(s)
        item_before = s.scalars(select(TriageItem).order_by(TriageItem.id)).all()
        snapshot = [(i.status, i.unit_code, i.handling_unit_code, i.category) for i in item_before]
    with sessions() as s:
        with pytest.raises(error) as caught:
            with s.begin():
                act(s)
    with sessions() as s:
        assert counts(s) == before
        assert [(i.status, i.unit_code, i.handling_unit_code, i.category)
                for i in s.scalars(select(TriageItem).order_by(TriageItem.id))] == snapshot
    return caught.value


TODAY = _dt.date(2026, 9, 22)


def test_classify_records_the_reason_and_corrects_the_category(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    with sessions() as s, s.begin():
        decisions.classify(s, petition_id=pid, actor=KS, classification=decisions.Classification(
            is_enterprise=False, enterprise_reason="个人劳动争议，不涉及企业经营", category="民事申诉"))
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert (item.is_enterprise, item.category, item.petition_type) == (False, "民事申诉", "控告")
        assert item.classified_by == "triage-NY-JCY-KS" and item.classified_at is not None
        (event,) = events(s, "triage.classified")
        assert event["corrected"] is True and event["registered_category"] == "控告"
        assert event["status"] == "pending" and event["unit_code"] == "NY-JCY-KS"
        (row,) = audits(s, "triage.classify")
        assert row.before["category"] is None and row.after["category"] == "民事申诉"


def test_classify_refusals_store_nothing(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    c = decisions.Classification(is_enterprise=True, enterprise_reason="企业账户")
    refused(sessions, decisions.InvalidCategory, lambda s: decisions.classify(
        s, petition_id=pid, actor=KS, classification=decisions.Classification(True, "x理由", category="联系法官")))
    refused(sessions, NotYourUnit, lambda s: decisions.classify(
        s, petition_id=pid, actor=officer("NY-JCY", sees=("NY-JCY", "NY-JCY-KS")), classification=c))
    refused(sessions, ItemNotFound, lambda s: decisions.classify(
        s, petition_id=pid, actor=officer("NY-JCY-WC"), classification=c))


def test_route_here_and_the_override_needs_a_reason(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1, category="民事申诉")  # routing.toml suggests 民事检察部
    with sessions() as s:
        suggestion = suggestions.suggest(s.scalars(select(TriageItem)).one())
        assert suggestion is not None and (suggestion.unit_code, suggestion.route) == ("NY-JCY-MS", "assigned")
    err = refused(sessions, decisions.OverrideReasonRequired, lambda s: decisions.route(
        s, petition_id=pid, decision=decisions.Route("here"), actor=KS, today=TODAY))
    assert err.field == "override_reason"
    with sessions() as s, s.begin():
        decisions.route(s, petition_id=pid, decision=decisions.Route("here", override_reason="本部门已受理同类事项"),
                        actor=KS, today=TODAY)
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert (item.status, item.handling_unit_code) == ("handling", "NY-JCY-KS")
        (event,) = events(s, "triage.routed")
        assert (event["route"], event["suggested_unit_code"], event["override_reason"]) == (
            "here", "NY-JCY-MS", "本部门已受理同类事项")
        (row,) = audits(s, "triage.route")
        assert row.detail["suggested_unit_code"] == "NY-JCY-MS" and row.detail["chosen_unit_code"] == "NY-JCY-KS"
    # Routed once: a second route is the wrong state.
    refused(sessions, WrongState, lambda s: decisions.route(
        s, petition_id=pid, decision=decisions.Route("here", override_reason="再次"), actor=KS, today=TODAY))


def test_assign_to_a_lower_unit_with_days_attaches_its_deadline(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1, division="411302")  # 宛城区: the suggestion is 宛城区院
    with sessions() as s, s.begin():
        decisions.route(s, petition_id=pid, decision=decisions.Route("assigned", to_unit_code="NY-JCY-WC", days=10),
                        actor=KS, today=TODAY)
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert (item.status, item.handling_unit_code) == ("routed", "NY-JCY-WC")
        deadline = s.scalars(select(Deadline).where(Deadline.rule_code == "triage.assignment")).one()
        assert (deadline.unit_code, deadline.amount, deadline.unit, deadline.due_on) == (
            "NY-JCY-WC", 10, "day", _dt.date(2026, 10, 8))  # 10-02 falls in 国庆: moved to the first working day
        (event,) = events(s, "triage.routed")
        assert (event["to_unit_code"], event["due_on"], event["suggested_unit_code"]) == ("NY-JCY-WC", "2026-10-08", None)
        # 审查办理's acceptance clock starts with the 交办 (triage/hooks.py → handling), owned by the unit.
        acceptance = s.scalars(select(Deadline).where(Deadline.rule_code == "handling.acceptance")).one()
        assert (acceptance.unit_code, acceptance.start_on) == ("NY-JCY-WC", TODAY)


def test_assign_refuses_a_unit_outside_the_organ(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    for bad in ("NY-FY-WC", "NY-JCY-KS", "NY-JCY-ZB", "NOPE"):
        err = refused(sessions, decisions.NotATarget, lambda s, bad=bad: decisions.route(
            s, petition_id=pid, decision=decisions.Route("assigned", to_unit_code=bad, days=5), actor=KS, today=TODAY))
        assert err.field == "to_unit_code"


def test_materials_once_pause_the_reply_clocks_and_their_arrival_lifts_them(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    with sessions() as s, s.begin():
        decisions.request_materials(s, petition_id=pid, materials=["原判决书复印件", " ", "身份证明"], note=None,
                                    actor=KS, today=TODAY)
    with sessions() as s:
        assert s.scalars(select(TriageItem)).one().status == "awaiting_materials"
        paused = s.scalars(select(DeadlineSuspension)).all()
        assert {p.reason for p in paused} == {"awaiting_materials"} and len(paused) == 2
        assert all(d.due_on is None for d in s.scalars(select(Deadline)))  # paused: no due date
        (event,) = events(s, "triage.materials_requested")
        assert event["materials"] == ["原判决书复印件", "身份证明"]
    # 一次性: asking again is refused, even after the materials came.
    with sessions() as s, s.begin():
        decisions.receive_materials(s, petition_id=pid, actor=KS, today=TODAY + _dt.timedelta(days=6))
    refused(sessions, decisions.MaterialsAlreadyRequested, lambda s: decisions.request_materials(
        s, petition_id=pid, materials=["再要一份"], note=None, actor=KS, today=TODAY + _dt.timedelta(days=7)))
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert item.status == "pending"
        procedural = s.scalars(select(Deadline).where(Deadline.rule_code == "12309.procedural_reply")).one()
        # Received 09-21 (+7 days = 09-28), paused 09-22 .. 09-28: six days later, 10-04, in 国庆 → 10-08.
        assert procedural.due_on == _dt.date(2026, 10, 8)
        assert events(s, "triage.materials_received")[0]["received_on"] == "2026-09-28"


def test_decline_meets_the_procedural_reply_and_closes_the_result_reply(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    refused(sessions, decisions.NotTransferred, lambda s: decisions.object_to_transfer(
        s, petition_id=pid, reasons="不是移送来的", actor=KS, today=TODAY))
    with sessions() as s, s.begin():
        decisions.decline(s, petition_id=pid, reasons="已经人民法院终审判决，且无新的证据",
                          basis="《人民检察院民事诉讼监督规则》第二十八条", actor=KS, today=TODAY)
    with sessions() as s:
        assert s.scalars(select(TriageItem)).one().status == "declined"
        closed = {d.rule_code: d for d in s.scalars(select(Deadline))}
        assert closed["12309.procedural_reply"].status == "met" and closed["12309.procedural_reply"].met_on_time
        assert closed["12309.result_reply"].status == "met"
        (event,) = events(s, "triage.declined")
        assert event["basis"].startswith("《人民检察院民事诉讼监督规则》")


def test_transfer_out_of_the_tree(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    with sessions() as s, s.begin():
        decisions.route(s, petition_id=pid, decision=decisions.Route("transferred_out", to_organ="南阳市市场监督管理局"),
                        actor=KS, today=TODAY)
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert item.status == "transferred"
        (event,) = events(s, "triage.routed")
        assert (event["route"], event["to_organ"], event["status"]) == ("transferred_out", "南阳市市场监督管理局", "transferred")


def _transfer_to_court(sessions: sessionmaker[Session], pid: str, today: _dt.date) -> None:
    with sessions() as s, s.begin():
        decisions.route(s, petition_id=pid, decision=decisions.Route("transferred_in_tree", to_unit_code="NY-FY"),
                        actor=KS, today=today)


def test_a_transfer_in_the_tree_moves_the_item_and_its_objection_window_spans_guoqing(
        sessions: sessionmaker[Session]) -> None:
    """Sent 09-29 (Tue): 09-30 counts, 10-01..07 are 国庆, 10-08, 10-09 and 10-10 (the 调休 Saturday) count → 10-12."""
    pid = receive(sessions, 1)
    _transfer_to_court(sessions, pid, _dt.date(2026, 9, 29))
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert (item.unit_code, item.status, item.handling_unit_code) == ("NY-FY-SF", "pending", None)
        window = s.scalars(select(Deadline).where(Deadline.rule_code == "triage.transfer_objection")).one()
        assert (window.unit_code, window.amount, window.unit, window.due_on) == (
            "NY-FY-SF", 5, "working_day", _dt.date(2026, 10, 12))
        (event,) = events(s, "triage.routed")
        assert (event["route"], event["from_unit_code"], event["to_unit_code"], event["due_on"]) == (
            "transferred_in_tree", "NY-JCY-KS", "NY-FY-SF", "2026-10-12")
    # The sender no longer sees it; a third unit never did.
    refused(sessions, ItemNotFound, lambda s: decisions.classify(
        s, petition_id=pid, actor=KS, classification=decisions.Classification(True, "企业")))
    # On the window's last day the court objects: back to the sender, pending.
    with sessions() as s, s.begin():
        decisions.object_to_transfer(s, petition_id=pid, reasons="属检察机关法律监督事项", actor=FY,
                                     today=_dt.date(2026, 10, 12))
    with sessions() as s:
        item = s.scalars(select(TriageItem)).one()
        assert (item.unit_code, item.status) == ("NY-JCY-KS", "pending")
        window = s.scalars(select(Deadline).where(Deadline.rule_code == "triage.transfer_objection")).one()
        assert window.status == "met"
        (event,) = events(s, "triage.transfer_objected")
        assert (event["from_unit_code"], event["unit_code"]) == ("NY-FY-SF", "NY-JCY-KS")


def test_after_the_window_the_transfer_stands(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    _transfer_to_court(sessions, pid, _dt.date(2026, 9, 29))
    err = refused(sessions, decisions.ObjectionWindowClosed, lambda s: decisions.object_to_transfer(
        s, petition_id=pid, reasons="迟到的异议", actor=FY, today=_dt.date(2026, 10, 13)))
    assert "5个工作日" in err.message_zh  # type: ignore[attr-defined]
    with sessions() as s, s.begin():
        assert decisions.settle_expired_transfers(s, today=_dt.date(2026, 10, 12)) == 0  # still inside
        assert decisions.settle_expired_transfers(s, today=_dt.date(2026, 10, 13)) == 1
    with sessions() as s:
        window = s.scalars(select(Deadline).where(Deadline.rule_code == "triage.transfer_objection")).one()
        assert (window.status, window.met_on_time) == ("met", True)
        assert s.scalars(select(TriageItem)).one().unit_code == "NY-FY-SF"


def test_the_target_routing_it_accepts_the_transfer(sessions: sessionmaker[Session]) -> None:
    pid = receive(sessions, 1)
    _transfer_to_court(sessions, pid, _dt.date(2026, 9, 29))
    with sessions() as s, s.begin():
        decisions.route(s, petition_id=pid, decision=decisions.Route("here"), actor=FY, today=_dt.date(2026, 9, 30))
    with sessions() as s:
        window = s.scalars(select(Deadline).where(Deadline.rule_code == "triage.transfer_objection")).one()
        assert window.status == "met"
        assert s.scalars(select(TriageItem)).one().handling_unit_code == "NY-FY-SF"


def test_bulk_each_item_on_its_own(sessions: sessionmaker[Session]) -> None:
    ok1, ok2 = receive(sessions, 1, division="411302"), receive(sessions, 2, division="411381")
    other = receive(sessions, 3, unit="NY-JCY-WC")
    with sessions() as s, s.begin():
        decisions.route(s, petition_id=ok2, decision=decisions.Route("assigned", to_unit_code="NY-JCY-DZ"),
                        actor=KS, today=TODAY)
    with sessions() as s, s.begin():
        result = bulk.run(s, action="route", petition_ids=[ok1, ok2, other, "nope"], args={"route": "suggested", "days": 15},
                          actor=KS, today=TODAY)
    assert [(r.petition_id, r.ok, r.code) for r in result.results] == [
        (ok1, True, None), (ok2, False, "wrong_state"), (other, False, "item_not_found"), ("nope", False, "item_not_found")]
    assert (result.done, result.refused) == (1, 3)
    with sessions() as s:
        item = s.scalars(select(TriageItem).where(TriageItem.petition_id == ok1)).one()
        assert (item.status, item.handling_unit_code) == ("routed", "NY-JCY-WC")
        assert len(audits(s, "triage.bulk_route")) == 3  # the refusals, one each


def test_bulk_refuses_more_than_200(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, pytest.raises(bulk.TooManyItems):
        bulk.run(s, action="classify", petition_ids=[f"p-{i}" for i in range(201)],
                 args={"is_enterprise": True, "enterprise_reason": "企业"}, actor=KS, today=TODAY)


def test_routing_rules_first_match_wins_and_only_reachable_units_count() -> None:
    rules = suggestions.parse('''
[[rule]]
line = "12309"
division = "411302"
unit = "NY-JCY-WC"
note = "first"

[[rule]]
line = "12309"
unit = "NY-JCY-MS"
note = "second"
''')
    item = TriageItem(line="12309", petition_type="控告", unit_code="NY-JCY-KS", enterprise_division="411302")
    assert suggestions.suggest(item, rules).rule.note == "first"  # type: ignore[union-attr]
    item.enterprise_division = "411303"
    assert suggestions.suggest(item, rules).rule.note == "second"  # type: ignore[union-attr]
    item.unit_code = "NY-JCY-WC"  # a 基层院: neither rule's unit is its to route to (WC itself: 'here')
    item.enterprise_division = "411302"
    found = suggestions.suggest(item, rules)
    assert found is not None and found.route == "here"
    with pytest.raises(suggestions.RoutingRulesError):
        suggestions.parse('[[rule]]\nunit = "NOPE"\nnote = "x"\n')
    assert suggestions.rules()  # the shipped file loads


def test_the_scheduler_job_settles_an_expired_window_once(sessions: sessionmaker[Session]) -> None:
    from services.review.triage.jobs import jobs

    pid = receive(sessions, 1)
    _transfer_to_court(sessions, pid, _dt.date(2026, 9, 29))
    (job,) = jobs(batch_size=1)
    assert job.run_once(sessions, now=datetime(2026, 10, 12, 15, 0, tzinfo=timezone.utc)) == 0  # Beijing 10-12 23:00
    assert job.run_once(sessions, now=datetime(2026, 10, 12, 16, 30, tzinfo=timezone.utc)) == 1  # Beijing 10-13
    assert job.run_once(sessions, now=datetime(2026, 10, 13, 16, 30, tzinfo=timezone.utc)) == 0
