"""挂案清理 over PostgreSQL and the broker: each threshold flags on the right day walked across 2026 国庆
and the 调休 Saturday (10-10), once per case and rule whatever the passes and replicas; the flags'
events go out through the running relay; the actions' reply clocks; outcomes resolve the flags; the
campaign counts."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.cases.clearance import campaigns, jobs, service
from services.review.cases.clearance.access import CaseNotFound, NotYourUnit, WrongState
from services.review.cases.clearance.models import (
    AFTER_BAIL_EXPIRY,
    AFTER_LIFTING,
    CONTINUED,
    NO_MEASURE,
    URGE,
    ClearanceAction,
    ClearanceFlag,
)
from services.review.deadlines.models import Deadline
from services.review.deadlines.rules import seed_rules
from services.review.identity.units import service as units
from shared.audit.models import AuditEntry
from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.clearance import add_case, prosecutor
from tests.support.infra import Databases, Infrastructure
from tests.support.kafka import read_topic
from tests.support.replicas import run_replicas
from tests.support.stack import Stack, wait_for

D = _dt.date
_ONE = _dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _topics(kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)


def _walk(sessions: sessionmaker[Session], first: _dt.date, last: _dt.date) -> None:
    day = first
    while day <= last:
        jobs.run_once(sessions, today=day, batch_size=3)
        day += _ONE


def _flags(sessions: sessionmaker[Session]) -> dict[tuple[str, str], _dt.date]:
    with sessions() as session:
        return {(f.case_id, f.rule_code): f.flagged_on for f in session.scalars(select(ClearanceFlag))}


def test_each_threshold_flags_on_its_day_across_guoqing_once(  # type: ignore[no-untyped-def]
        infra: Infrastructure, databases: Databases, kafka_settings: KafkaSettings, tmp_path: Path) -> None:
    stack = Stack(kafka_bootstrap=infra.kafka_bootstrap, database_urls={"review": databases.fresh("review")},
                  topic_prefix=kafka_settings.topic_prefix, log_dir=tmp_path)
    url = stack.database_urls["review"]
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as session, session.begin():
            units.seed(session)
            # 2 years from 立案 end on 2026-10-01 (国庆): moved to 10-08, so flagged 10-09.
            no_measure = add_case(session, filed_on=D(2024, 10, 1), concluded_on=D(2025, 1, 5)).id
            # Lifted 2025-10-02: 12 months end 2026-10-02 → 10-08; flagged 10-09.
            lifted = add_case(session, filed_on=D(2025, 1, 8), concluded_on=D(2025, 3, 1),
                              measures=[("detention", D(2025, 1, 8), D(2025, 1, 15), D(2025, 1, 15)),
                                        ("bail", D(2025, 1, 15), D(2026, 1, 14), D(2025, 10, 2))]).id
            # 取保 ended 2025-10-04 unlifted: 1 year → 2026-10-04 → 10-08; flagged 10-09.
            expired = add_case(session, filed_on=D(2024, 10, 5), concluded_on=D(2025, 2, 1),
                               measures=[("bail", D(2024, 10, 5), D(2025, 10, 4), None)]).id
            # 3 months from 2026-07-09 end 10-09 (a Friday, working): flagged 10-10, the 调休 Saturday.
            urge = add_case(session, filed_on=D(2026, 7, 9),
                            measures=[("bail", D(2026, 7, 9), D(2027, 7, 8), None)]).id
            # 3 months end on 10-10, the 调休 Saturday itself (a working day: not moved): flagged 10-11.
            saturday = add_case(session, filed_on=D(2026, 7, 10),
                                measures=[("residential", D(2026, 7, 10), D(2027, 1, 9), None)]).id
            # A detention still in force and a concluded investigation: no threshold; a cleared case: none.
            add_case(session, filed_on=D(2020, 1, 2), concluded_on=D(2020, 3, 1),
                     measures=[("arrest", D(2020, 1, 2), None, None)])
            add_case(session, filed_on=D(2020, 1, 2), status="cleared", outcome="withdrawn", outcome_on=D(2021, 1, 1))

        def replica(factory: sessionmaker[Session]) -> None:
            _walk(factory, D(2026, 9, 29), D(2026, 10, 11))

        run_replicas(url, replica)  # two schedulers walk the same days at once
        flags = _flags(sessions)
        assert flags == {
            (no_measure, NO_MEASURE): D(2026, 10, 9),
            (lifted, AFTER_LIFTING): D(2026, 10, 9),
            (expired, AFTER_BAIL_EXPIRY): D(2026, 10, 9),
            (urge, URGE): D(2026, 10, 10),
            (saturday, URGE): D(2026, 10, 11),
        }
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(ClearanceFlag)
                                  .where(ClearanceFlag.announced_at.is_(None))) == 0
            audited = session.scalar(select(func.count()).select_from(AuditEntry)
                                     .where(AuditEntry.action == "hanging_clearance.flag"))
            assert audited == 5
        stack.start_relay("review")
        with sessions() as session:
            published = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        wait_for(lambda: _all_sent(sessions), timeout=60, what="the relay to publish the outbox")
        events = [decode(r.value) for r in read_topic(kafka_settings, kafka_settings.events_topic("review"),
                                                      at_least=published)]
        flagged = [e for e in events if e.type == "hanging_clearance.flagged"]  # type: ignore[attr-defined]
        assert Counter((e.data["subject_id"], e.data["rule_code"]) for e in flagged) == Counter(  # type: ignore[attr-defined]
            {key: 1 for key in flags})
        assert all(e.data["case_number"] and e.data["unit_code"] == "NY-JCY-WC" for e in flagged)  # type: ignore[attr-defined]
    finally:
        stack.stop_all()
        engine.dispose()


def _all_sent(sessions: sessionmaker[Session]) -> bool:
    with sessions() as session:
        return not session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent"))


def _at(day: _dt.date) -> _dt.datetime:
    return _dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=_dt.timezone.utc)  # 10:00 in Beijing


def test_actions_their_clocks_outcomes_and_the_campaign(  # type: ignore[no-untyped-def]
        pg_session_for, monkeypatch: pytest.MonkeyPatch) -> None:
    _, sessions = pg_session_for("review")
    actor = prosecutor("NY-JCY-WC")
    with sessions() as session, session.begin():
        units.seed(session)
        seed_rules(session, env={"HUHANG_RULE_HANGING_CASE_EXPLAIN_REPLY_UNIT": "working_day"})
        one = add_case(session, filed_on=D(2024, 3, 1), seized=True).id  # 2 years with no measure: 2026-03-02
        two = add_case(session, filed_on=D(2026, 5, 6)).id  # urge only from 2026-08-07
        other = add_case(session, unit="NY-JCY-WL", filed_on=D(2024, 3, 1)).id
    jobs.run_once(sessions, today=D(2026, 9, 1))
    assert {(c, r) for c, r in _flags(sessions)} == {(one, NO_MEASURE), (one, URGE), (two, URGE), (other, NO_MEASURE),
                                                     (other, URGE)}

    with sessions() as session, session.begin():
        # 催办函 needs the urge flag; 通知撤销 needs a 应当撤销 flag (case two has none).
        with pytest.raises(service.ActionNotAvailable):
            service.take_action(session, case_id=two, kind="withdraw_notice", text="", actor=actor, now=_at(D(2026, 9, 20)))
    with sessions() as session, session.begin():
        with pytest.raises(NotYourUnit):  # another unit's case is seen from above, not acted on
            service.take_action(session, case_id=other, kind="urge", text="", actor=prosecutor("NY-JCY", "prosecutor"),
                                now=_at(D(2026, 9, 20)))
    with sessions() as session, session.begin():
        with pytest.raises(CaseNotFound):  # and from beside, not even seen
            service.take_action(session, case_id=other, kind="urge", text="", actor=actor, now=_at(D(2026, 9, 20)))
    with sessions() as session, session.begin():
        urge = service.take_action(session, case_id=two, kind="urge", text="请十日内告知进展。", actor=actor,
                                   now=_at(D(2026, 9, 20)))
        # 通知撤销 on 09-20: 15日 end 10-05 (国庆) → 10-08.
        withdraw = service.take_action(session, case_id=one, kind="withdraw_notice", text="", actor=actor,
                                       now=_at(D(2026, 9, 20)))
        # 说明理由 on 09-24, counted in working days (the setting): 9-25..27 is 中秋, then 9-28, 9-29, 9-30,
        # 10-08, 10-09, 10-10 (the 调休 Saturday counts), 10-12 → due 10-12 (10-13 if the Saturday did not count).
        explain = service.take_action(session, case_id=one, kind="explain", text="", actor=actor,
                                      now=_at(D(2026, 9, 24)))
        listed = service.take_action(session, case_id=one, kind="listed", text="", actor=actor, now=_at(D(2026, 9, 24)))
        numbers = (urge.document_number, withdraw.document_number, explain.document_number, listed.document_number)
        due = (urge.due_on, withdraw.due_on, explain.due_on)
        ids = (withdraw.id, explain.id)
    assert numbers == ("宛检侦监催〔2026〕1号", "宛检侦监撤〔2026〕1号", "宛检侦监说〔2026〕1号", "宛检侦监督〔2026〕1号")
    assert due == (None, D(2026, 10, 8), D(2026, 10, 12))
    with sessions() as session, session.begin():
        with pytest.raises(service.ActionNotAvailable):  # 挂牌督办 once per case
            service.take_action(session, case_id=one, kind="listed", text="", actor=actor, now=_at(D(2026, 9, 25)))

    # The day after the 15日 clock: its reply is overdue; the 说明理由 one only after 10-12.
    assert jobs.run_once(sessions, today=D(2026, 10, 9))["reply_overdue"] == 1
    assert jobs.run_once(sessions, today=D(2026, 10, 12))["reply_overdue"] == 0
    assert jobs.run_once(sessions, today=D(2026, 10, 13))["reply_overdue"] == 1
    assert jobs.run_once(sessions, today=D(2026, 10, 14))["reply_overdue"] == 0  # once each
    with sessions() as session, session.begin():
        service.record_reply(session, action_id=ids[1], text="正在补充证据", replied_on=D(2026, 10, 14), actor=actor)
        assert session.get(Deadline, session.get(ClearanceAction, ids[1]).deadline_id).status == "missed"  # type: ignore[union-attr]
        with pytest.raises(service.NoReplyExpected):
            service.record_reply(session, action_id=ids[1], text="again", replied_on=None, actor=actor)

    # 继续侦查 for case two until 11-02; past it, the scan flags continued_overdue.
    with sessions() as session, session.begin():
        with pytest.raises(service.BadOutcome):
            service.record_outcome(session, case_id=two, outcome="continued", outcome_on=D(2026, 10, 14),
                                   continued_until=None, note=None, actor=actor)
        service.record_outcome(session, case_id=two, outcome="continued", outcome_on=D(2026, 10, 14),
                               continued_until=D(2026, 10, 31), note="补充鉴定", actor=actor)
    jobs.run_once(sessions, today=D(2026, 11, 2))  # 10-31 is a Saturday: due 11-02, not yet past
    assert (two, CONTINUED) not in _flags(sessions)
    jobs.run_once(sessions, today=D(2026, 11, 3))
    assert _flags(sessions)[(two, CONTINUED)] == D(2026, 11, 3)

    # 撤案 of case one: cleared, flags resolved, its open 15日 clock met by the outcome; property returned.
    with sessions() as session, session.begin():
        service.record_outcome(session, case_id=one, outcome="withdrawn", outcome_on=D(2026, 11, 4),
                               continued_until=None, note=None, actor=actor)
        case_property = session.scalars(select(ClearanceAction).where(ClearanceAction.id == ids[0])).one()
        assert case_property.replied_on == D(2026, 11, 4)
        resolved = {f.rule_code: f.resolved_on for f in service.flags_of(session, one)}
        assert resolved == {NO_MEASURE: D(2026, 11, 4), URGE: D(2026, 11, 4)}
        from services.review.cases.hanging.models import HangingCaseProperty
        item = session.scalars(select(HangingCaseProperty).where(HangingCaseProperty.case_id == one)).one()
        service.return_property(session, case_id=one, property_id=item.id, returned_on=D(2026, 11, 5), actor=actor)
        with pytest.raises(service.AlreadyReturned):
            service.return_property(session, case_id=one, property_id=item.id, returned_on=D(2026, 11, 5), actor=actor)
        with pytest.raises(WrongState):
            service.take_action(session, case_id=one, kind="urge", text="", actor=actor, now=_at(D(2026, 11, 6)))

    # The campaign over both units from 10-01: found 3 (all flagged before), 1 in progress (two), 1 cleared (one).
    with sessions() as session, session.begin():
        campaign = campaigns.create(session, name="2026年涉企挂案专项清理", starts_on=D(2026, 10, 1),
                                    ends_on=D(2026, 12, 31), units=["NY-JCY-WC", "NY-JCY-WL"],
                                    actor=prosecutor("NY-JCY", "unit_leader"))
        burn = campaigns.burn_down(session, campaign, today=D(2026, 11, 10), principal=None)
        assert burn.summary() == {"found": 3, "in_progress": 1, "cleared": 1, "remaining": 2}
        by_day = {p.day: p for p in burn.total}
        assert (by_day[D(2026, 11, 3)].cleared, by_day[D(2026, 11, 4)].cleared) == (0, 1)
        assert by_day[D(2026, 10, 1)].in_progress == 2  # one and two both acted on before the start
        wc = burn.by_unit["NY-JCY-WC"][-1]
        assert (wc.found, wc.cleared, wc.in_progress) == (2, 1, 1)
        assert burn.by_outcome == {"withdrawn": 1, "continued": 1}
        assert [o.case.id for o in burn.past[NO_MEASURE]] == [other]
        assert burn.past[NO_MEASURE][0].due_on == D(2026, 3, 2) and burn.past[NO_MEASURE][0].days_past == 253
        with pytest.raises(NotYourUnit):
            campaigns.create(session, name="x", starts_on=D(2026, 10, 1), ends_on=D(2026, 12, 31), units=["NY-JCY-WL"],
                             actor=actor)
    with sessions() as session:
        kinds = Counter(m.event_type for m in session.scalars(select(OutboxMessage)))
        assert kinds["hanging_clearance.action_taken"] == 4 and kinds["hanging_clearance.reply_overdue"] == 2
        assert kinds["hanging_clearance.outcome_recorded"] == 2 and kinds["hanging_clearance.property_returned"] == 1
        assert kinds["hanging_clearance.campaign_created"] == 1 and kinds["hanging_clearance.reply_recorded"] == 1
