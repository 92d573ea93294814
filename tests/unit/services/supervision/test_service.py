"""挂牌督办 and its reports: who may do what, in which state, and what is stored (or not) each time."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.models import Deadline
from services.review.supervision import service
from services.review.supervision.models import CLOSED, OPEN, REJECTED, REPORTED, Supervision, SupervisionReport
from services.review.triage.access import ItemNotFound, NotYourUnit, WrongState
from shared.audit.models import AuditEntry
from shared.calendar import BEIJING, Unit, period_end
from shared.outbox.models import OutboxMessage
from tests.unit.services.supervision.conftest import ActorOf, MakeItem, item_of

MONDAY = _dt.datetime(2026, 11, 16, 10, 0, tzinfo=BEIJING)


def _open(sessions: sessionmaker[Session], actor: ActorOf, petition_id: str, *, role: str = "unit_leader",
          unit: str | None = None, amount: int = 10, at: _dt.datetime = MONDAY) -> str:
    with sessions() as session, session.begin():
        return service.open_(session, petition_id=petition_id, amount=amount, unit=Unit.WORKING_DAY,
                             instructions="请查明企业账户冻结情况并报告", actor=actor(role, unit), now=at).id


def _events(sessions: sessionmaker[Session], prefix: str = "supervision.") -> list[tuple[str, dict[str, object]]]:
    with sessions() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.event_type.startswith(prefix))
                               .order_by(OutboxMessage.id)).all()
        return [(r.event_type, json.loads(r.payload)["data"]) for r in rows]


def _counts(sessions: sessionmaker[Session]) -> tuple[int, int, int, int]:
    """Supervisions, reports, supervision deadlines, supervision audit rows."""
    with sessions() as session:
        return (session.scalar(select(func.count()).select_from(Supervision)) or 0,
                session.scalar(select(func.count()).select_from(SupervisionReport)) or 0,
                session.scalar(select(func.count()).select_from(Deadline).where(
                    Deadline.rule_code == "supervision.report")) or 0,
                session.scalar(select(func.count()).select_from(AuditEntry).where(
                    AuditEntry.action.startswith("supervision."))) or 0)


def test_a_unit_above_puts_an_item_under_supervision_with_its_own_clock(
        sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id)
    with sessions() as session:
        s = session.get(Supervision, supervision_id)
        assert s is not None
        deadline = session.get(Deadline, s.deadline_id)
        assert deadline is not None
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "supervision.open")).one()
    assert (s.state, s.kind, s.supervising_unit_code, s.supervised_unit_code) == (OPEN, "listed", "NY-JCY", "NY-JCY-WC")
    # Its own 期限: 10 working days from the day it was opened, owned by the supervised unit.
    assert (deadline.subject, deadline.rule_code, deadline.unit_code) == (supervision_id, "supervision.report", "NY-JCY-WC")
    assert deadline.due_on == s.due_on == period_end(MONDAY.date(), 10, Unit.WORKING_DAY).date
    assert (s.period_amount, s.period_unit) == (10, "working_day")
    assert item_of(sessions, petition_id).supervised is True
    assert audit.actor == "t-unit_leader" and audit.subject_id == supervision_id
    [(kind, data)] = _events(sessions)
    assert kind == "supervision.opened"
    assert data["petition_id"] == petition_id and data["supervised_unit_code"] == "NY-JCY-WC"
    assert data["status"] == "handling" and data["round"] == 1 and data["instructions"]


def test_the_task_force_may_supervise_any_item(sessions: sessionmaker[Session], make_item: MakeItem,
                                               actor: ActorOf) -> None:
    petition_id = make_item(unit="NY-FY-SF", handling="NY-FY-WC")
    supervision_id = _open(sessions, actor, petition_id, role="task_force")
    with sessions() as session:
        s = session.get(Supervision, supervision_id)
        assert s is not None and s.supervising_unit_code == "NY-JCY-ZB" and s.supervised_unit_code == "NY-FY-WC"


@pytest.mark.parametrize("unit", ["NY-JCY-WC"])
def test_the_handling_unit_itself_cannot_supervise_its_item(
        sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf, unit: str) -> None:
    petition_id = make_item()
    with pytest.raises(NotYourUnit) as refused:
        _open(sessions, actor, petition_id, unit=unit)
    assert refused.value.code == "not_your_unit"
    assert _counts(sessions) == (0, 0, 0, 0)
    assert item_of(sessions, petition_id).supervised is False


def test_a_unit_that_does_not_see_the_item_gets_not_found(sessions: sessionmaker[Session], make_item: MakeItem,
                                                          actor: ActorOf) -> None:
    petition_id = make_item()
    with pytest.raises(ItemNotFound):
        _open(sessions, actor, petition_id, unit="NY-JCY-WL")  # 卧龙区院: a sibling, not above
    assert _counts(sessions) == (0, 0, 0, 0)


def test_an_item_no_longer_worked_cannot_be_supervised(sessions: sessionmaker[Session], make_item: MakeItem,
                                                       actor: ActorOf) -> None:
    petition_id = make_item(status="closed")
    with pytest.raises(WrongState) as refused:
        _open(sessions, actor, petition_id)
    assert refused.value.code == "wrong_state"
    assert _counts(sessions) == (0, 0, 0, 0)


def test_one_open_listing_per_supervising_unit(sessions: sessionmaker[Session], make_item: MakeItem,
                                               actor: ActorOf) -> None:
    petition_id = make_item()
    _open(sessions, actor, petition_id)
    with pytest.raises(service.AlreadySupervised) as refused:
        _open(sessions, actor, petition_id)
    assert refused.value.code == "already_supervised"
    assert _counts(sessions)[0] == 1
    _open(sessions, actor, petition_id, role="task_force")  # another supervising unit may
    assert _counts(sessions)[0] == 2


def _report(sessions: sessionmaker[Session], actor: ActorOf, supervision_id: str, *, role: str = "case_handler",
            unit: str | None = None, at: _dt.datetime = MONDAY) -> None:
    with sessions() as session, session.begin():
        service.report(session, supervision_id=supervision_id, text="已约谈企业负责人，账户已解冻",
                       actor=actor(role, unit), now=at)


def _decide(sessions: sessionmaker[Session], actor: ActorOf, supervision_id: str, *, accept: bool,
            role: str = "unit_leader", unit: str | None = None, at: _dt.datetime = MONDAY) -> None:
    with sessions() as session, session.begin():
        if accept:
            service.accept(session, supervision_id=supervision_id, actor=actor(role, unit), now=at)
        else:
            service.reject(session, supervision_id=supervision_id, reasons="未说明超期原因", actor=actor(role, unit),
                           now=at)


def _state(sessions: sessionmaker[Session], supervision_id: str) -> Supervision:
    with sessions() as session:
        s = session.get(Supervision, supervision_id)
        assert s is not None
        session.expunge(s)
        return s


def test_report_reject_report_accept_closes_and_meets_the_clock(
        sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id)
    due = _state(sessions, supervision_id).due_on
    assert due is not None
    _report(sessions, actor, supervision_id, at=MONDAY + _dt.timedelta(days=1))
    assert _state(sessions, supervision_id).state == REPORTED
    _decide(sessions, actor, supervision_id, accept=False)
    assert _state(sessions, supervision_id).state == REJECTED
    assert item_of(sessions, petition_id).supervised is True
    # The second report comes on the due date itself: still on time.
    on_due = _dt.datetime.combine(due, _dt.time(16, 0), tzinfo=BEIJING)
    _report(sessions, actor, supervision_id, at=on_due)
    _decide(sessions, actor, supervision_id, accept=True, at=on_due + _dt.timedelta(days=3))
    closed = _state(sessions, supervision_id)
    assert (closed.state, closed.reports, closed.closed_on_time, closed.closed_by) == (CLOSED, 2, True, "t-unit_leader")
    with sessions() as session:
        deadline = session.get(Deadline, closed.deadline_id)
        assert deadline is not None and deadline.status == "met" and deadline.met_on_time is True
        decisions = [r.decision for r in service.reports_of(session, supervision_id)]
    assert decisions == ["rejected", "accepted"]
    assert item_of(sessions, petition_id).supervised is False
    assert [k for k, _ in _events(sessions)] == [
        "supervision.opened", "supervision.reported", "supervision.report_rejected", "supervision.reported",
        "supervision.report_accepted", "supervision.closed"]
    closed_event = _events(sessions)[-1][1]
    assert closed_event["on_time"] is True and closed_event["still_supervised"] is False
    assert closed_event["state"] == "closed"


def test_a_late_report_closes_late(sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id, amount=1)
    due = _state(sessions, supervision_id).due_on
    assert due is not None
    late = _dt.datetime.combine(due + _dt.timedelta(days=1), _dt.time(9, 0), tzinfo=BEIJING)
    _report(sessions, actor, supervision_id, at=late)
    _decide(sessions, actor, supervision_id, accept=True, at=late)
    assert _state(sessions, supervision_id).closed_on_time is False
    with sessions() as session:
        deadline = session.get(Deadline, _state(sessions, supervision_id).deadline_id)
        assert deadline is not None and deadline.status == "missed"


def test_the_item_stays_supervised_while_another_supervision_is_open(
        sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> None:
    petition_id = make_item()
    first = _open(sessions, actor, petition_id)
    _open(sessions, actor, petition_id, role="task_force")
    _report(sessions, actor, first)
    _decide(sessions, actor, first, accept=True)
    assert item_of(sessions, petition_id).supervised is True
    assert _events(sessions)[-1][1]["still_supervised"] is True


def test_a_supervising_unit_cannot_report_for_the_unit_below(
        sessions: sessionmaker[Session], make_item: MakeItem, actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id)
    before = _counts(sessions)
    with pytest.raises(NotYourUnit):
        _report(sessions, actor, supervision_id, role="unit_leader")  # 市院's leader answering for 宛城区院
    with pytest.raises(NotYourUnit):
        _report(sessions, actor, supervision_id, role="task_force")
    assert _counts(sessions) == before and _state(sessions, supervision_id).state == OPEN


def test_only_the_supervising_unit_decides(sessions: sessionmaker[Session], make_item: MakeItem,
                                           actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id)
    _report(sessions, actor, supervision_id)
    before = _counts(sessions)
    with pytest.raises(NotYourUnit):
        _decide(sessions, actor, supervision_id, accept=True, unit="NY-JCY-WC")  # the supervised unit's leader
    with pytest.raises(NotYourUnit):
        _decide(sessions, actor, supervision_id, accept=False, role="task_force")  # not the task force's 督办
    assert _counts(sessions) == before and _state(sessions, supervision_id).state == REPORTED


def test_actions_out_of_their_state_are_conflicts(sessions: sessionmaker[Session], make_item: MakeItem,
                                                  actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id)
    with pytest.raises(WrongState):
        _decide(sessions, actor, supervision_id, accept=True)  # nothing reported yet
    _report(sessions, actor, supervision_id)
    with pytest.raises(WrongState):
        _report(sessions, actor, supervision_id)  # a report is already waiting
    _decide(sessions, actor, supervision_id, accept=True)
    before = _counts(sessions)
    attempts: list[Callable[[], None]] = [lambda: _report(sessions, actor, supervision_id),
                                          lambda: _decide(sessions, actor, supervision_id, accept=False)]
    for attempt in attempts:
        with pytest.raises(WrongState) as refused:
            attempt()
        assert refused.value.code == "wrong_state"
    assert _counts(sessions) == before


def test_another_units_supervision_is_not_found(sessions: sessionmaker[Session], make_item: MakeItem,
                                                actor: ActorOf) -> None:
    petition_id = make_item()
    supervision_id = _open(sessions, actor, petition_id)
    with sessions() as session:
        with pytest.raises(service.SupervisionNotFound):
            service.get(session, supervision_id, principal=actor("case_handler", "NY-JCY-WL").principal)
        assert service.of_item(session, petition_id, principal=actor("case_handler", "NY-JCY-WL").principal) == []
