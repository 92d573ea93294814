"""羁押必要性审查 over PostgreSQL and the real broker, time frozen and walked across 2026 国庆 (the repo's calendar:
10-01..10-07 off, Saturday 10-10 a 调休 workday) and 2023 国庆 (the 2016 rule's working days).

An application registered by 控申 reaches 捕诉 on the routing clock, the 初审 ends on the 调休 Saturday, the
decision's clock is extended (approver recorded) and paused for a medical assessment, the 建议 waits for its
reply, the job tells of the due reply and opens the 纠正意见, the applicant's notice goes to notify as a mandatory
``public_notice.requested`` with the PDF; the register's triggers open one review each, citing their rules; every
step is an event on the review topic (valid against the catalogue) and an audit row.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review import create_app
from services.review.cases.custody import jobs, rates, service
from services.review.cases.custody.models import CustodyReview, CustodyTrigger
from services.review.deadlines.models import Deadline, DeadlineExtension
from services.review.identity.units import service as units
from shared.audit.models import AuditEntry
from shared.calendar import BEIJING
from shared.config import KafkaSettings, Settings
from shared.events import decode
from shared.kafka.producer import make_producer
from shared.outbox import pending_count
from shared.outbox.relay import OutboxRelay
from shared.pii import decrypt
from tests.support.auth import AuthKeys
from tests.support.infra import Databases
from tests.support.kafka import read_topic
from tests.support.stack import wait_for

BUCHENG = "NY-JCY-XS"  # 市院刑事检察部 (捕诉)
KONGSHEN = "NY-JCY-KS"
ID_NUMBER = "11010519491231002X"
APPLICATION: dict[str, Any] = {
    "trigger": "application", "unit_code": BUCHENG, "person_name": "王建国", "id_number": ID_NUMBER,
    "criminal_case_number": "宛公刑立字〔2026〕118号", "charge": "合同诈骗罪", "stage": "investigation",
    "handling_organ": "南阳市公安局", "enterprise_role": "legal_representative",
    "enterprise_name": "南阳某机械有限公司", "enterprise_credit_code": "91411300MA9K1234XF",
    "employees": 240, "production_stopped": True, "contracts_at_risk": 3, "contracts_amount": 5_000_000,
    "impact_text": "法定代表人被羁押后，企业两条生产线停产，三份供货合同面临违约。",
    "measures": [{"kind": "detention", "started_on": "2026-09-01"},
                 {"kind": "arrest", "started_on": "2026-09-08", "ends_on": "2026-11-08"}],
    "applicant_kind": "close_relative", "applicant_name": "王小红", "applicant_email": "wxh@example.com",
    "applicant_phone": "13800138000", "reasons": "本人认罪认罚，企业急需其主持生产。", "evidence": "认罪认罚具结书；企业停产说明",
}


def at(day: str, hour: int = 10) -> _dt.datetime:
    return _dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BEIJING)


@pytest.fixture
def app(databases: Databases, kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)
    application = create_app({"TESTING": True}, settings=Settings(
        service="review", database_url=databases.fresh("review"), kafka=kafka_settings))
    with application.extensions["huhang"].session_factory() as session, session.begin():
        units.seed(session)
    yield application
    application.extensions["huhang"].engine.dispose()


def client(app: Flask, keys: AuthKeys, role: str, unit: str) -> FlaskClient:
    c = app.test_client()
    c.environ_base["HTTP_AUTHORIZATION"] = keys.headers(role, unit)["Authorization"]
    return c


def _clocks(sessions: sessionmaker[Session], review_id: str) -> dict[str, tuple[str, _dt.date | None, bool | None]]:
    with sessions() as session:
        return {d.rule_code: (d.status, d.due_on, d.met_on_time)
                for d in session.scalars(select(Deadline).where(Deadline.subject == review_id))}


def _published(app: Flask, kafka: KafkaSettings) -> list[Any]:
    sessions = app.extensions["huhang"].session_factory
    relay = OutboxRelay(sessions, make_producer(kafka))
    wait_for(lambda: relay.publish_once() >= 0 and _drained(sessions), what="outbox drained")
    with sessions() as session:
        from shared.outbox import OutboxMessage
        total = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    return [decode(r.value) for r in read_topic(kafka, kafka.events_topic("review"), at_least=total)]


def _drained(sessions: Any) -> bool:
    with sessions() as s:
        return pending_count(s) == 0


def test_an_application_walks_routing_initial_review_decision_reply_and_correction_across_guoqing(
        app: Flask, test_keys: AuthKeys, kafka_settings: KafkaSettings) -> None:
    sessions = app.extensions["huhang"].session_factory
    with time_machine.travel(at("2026-09-30"), tick=False):
        kongshen = client(app, test_keys, "triage_officer", KONGSHEN)
        created = kongshen.post("/api/v1/custody-reviews", json=APPLICATION)
        assert created.status_code == 201, created.json
        review = created.json
        rid = review["id"]
        assert review["state"] == "received" and review["case_number"] == "南检羁审〔2026〕1号"
        assert review["id_number_masked"] != ID_NUMBER and ID_NUMBER not in created.get_data(as_text=True)
        # 控申 and 捕诉 are one 院: the same day (0 days), due today.
        assert _clocks(sessions, rid)["custody_review.routing"] == ("open", _dt.date(2026, 9, 30), None)
        # 控申 does not act for 捕诉, nor read its queue.
        assert kongshen.post(f"/api/v1/custody-reviews/{rid}/receive").status_code == 403
        assert kongshen.get("/api/v1/custody-reviews").status_code == 403
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        received = prosecutor.post(f"/api/v1/custody-reviews/{rid}/receive")
        assert received.status_code == 200 and received.json["state"] == "initial_review"
    clocks = _clocks(sessions, rid)
    assert clocks["custody_review.routing"] == ("met", _dt.date(2026, 9, 30), True)
    # 3 working days from 09-30: 10-08, 10-09 and the 调休 Saturday 10-10.
    assert clocks["custody_review.initial_review"] == ("open", _dt.date(2026, 10, 10), None)

    with time_machine.travel(at("2026-10-09"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        filed = prosecutor.post(f"/api/v1/custody-reviews/{rid}/file")
        assert filed.status_code == 200 and filed.json["state"] == "reviewing"
        # 2023 规定 art. 19 (侦查): 10日 from 10-09 → 10-19 (a Monday).
        assert _clocks(sessions, rid)["custody_review.decision"][1] == _dt.date(2026, 10, 19)
        ticks = prosecutor.put(f"/api/v1/custody-reviews/{rid}/grounds", json={"items": [
            {"code": "580.plea", "ticked": True, "evidence": "认罪认罚具结书（2026-09-20）"},
            {"code": "578.health", "ticked": True, "evidence": "看守所体检报告"}]})
        assert ticks.status_code == 200, ticks.json
        no_evidence = prosecutor.put(f"/api/v1/custody-reviews/{rid}/grounds",
                                     json={"items": [{"code": "580.first_offence", "ticked": True}]})
        assert no_evidence.status_code == 422 and no_evidence.json["code"] == "custody_review.evidence_required"
        # 直接变更 only in 审查起诉: refused here, nothing written.
        direct = prosecutor.post(f"/api/v1/custody-reviews/{rid}/decision",
                                 json={"decision": "changed_directly", "reasons": "x"})
        assert direct.status_code == 409 and direct.json["code"] == "custody_review.direct_change_stage"
        extended = prosecutor.post(f"/api/v1/custody-reviews/{rid}/extend",
                                   json={"approved_by": "李检察长", "reasons": "需调取企业经营材料"})
        assert extended.status_code == 200, extended.json
        # +5 working days from 10-19: 10-20..10-23 and 10-26.
        assert _clocks(sessions, rid)["custody_review.decision"][1] == _dt.date(2026, 10, 26)
        again = prosecutor.post(f"/api/v1/custody-reviews/{rid}/extend", json={"approved_by": "李检察长", "reasons": "x"})
        assert again.status_code == 409 and again.json["code"] == "custody_review.already_extended"
        suspended = prosecutor.post(f"/api/v1/custody-reviews/{rid}/suspend",
                                    json={"start_on": "2026-10-12", "basis": "身体状况司法鉴定"})
        assert suspended.status_code == 200 and suspended.json["due_on"] is None
    with sessions() as session:
        approver = session.scalar(select(DeadlineExtension.approved_by))
    assert approver == "李检察长"

    with time_machine.travel(at("2026-10-16"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        resumed = prosecutor.post(f"/api/v1/custody-reviews/{rid}/resume", json={"resumed_on": "2026-10-15"})
        assert resumed.status_code == 200
        # 3 days paused (10-12..10-14) move the 10日 end back by 3: 10-22, then the 5 working days: 10-29.
        assert resumed.json["due_on"] == "2026-10-29"
        decided = prosecutor.post(f"/api/v1/custody-reviews/{rid}/decision", json={
            "decision": "change_recommended", "reasons": "犯罪嫌疑人认罪认罚，羁押致企业停产，无继续羁押必要。"})
        assert decided.status_code == 200, decided.json
        body = decided.json
        assert body["state"] == "awaiting_reply" and "第九十五条" in body["decision_basis"]
        kinds = {d["kind"]: d for d in body["documents"]}
        assert set(kinds) == {"recommendation", "notice"}
        assert kinds["recommendation"]["document_number"] == "南检捕建〔2026〕1号"
        assert kinds["notice"]["document_number"] == "南检捕通〔2026〕1号"
        assert prosecutor.get(kinds["notice"]["pdf_url"]).data.startswith(b"%PDF-")
    clocks = _clocks(sessions, rid)
    assert clocks["custody_review.decision"] == ("met", _dt.date(2026, 10, 29), True)
    assert clocks["custody_review.agency_reply"] == ("open", _dt.date(2026, 10, 26), None)  # 10-16 + 10日

    # The reply's warning day (warn_before 2 working days: 10-22), then past its due date with no reply.
    assert jobs.run_replies(sessions, today=_dt.date(2026, 10, 21)) == (0, 0)
    assert jobs.run_replies(sessions, today=_dt.date(2026, 10, 22)) == (1, 0)
    assert jobs.run_replies(sessions, today=_dt.date(2026, 10, 23)) == (0, 0)  # told once
    assert jobs.run_replies(sessions, today=_dt.date(2026, 10, 27)) == (0, 1)
    assert jobs.run_replies(sessions, today=_dt.date(2026, 10, 28)) == (0, 0)  # opened once
    with time_machine.travel(at("2026-10-28"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        shown = prosecutor.get(f"/api/v1/custody-reviews/{rid}").json
        assert shown["state"] == "correction" and shown["due_on"] == "2026-11-06"  # 10-27 + 10日
        issued = prosecutor.post(f"/api/v1/custody-reviews/{rid}/correction",
                                 json={"text": "请依法对王建国变更强制措施并回复本院"})
        assert issued.status_code == 200 and issued.json["state"] == "closed"
        assert any(d["document_number"] == "南检捕纠〔2026〕1号" for d in issued.json["documents"])
    clocks = _clocks(sessions, rid)
    assert clocks["custody_review.correction_followup"][0] == "met"
    assert clocks["custody_review.agency_reply"][0] == "missed"

    events = _published(app, kafka_settings)
    custody = [e.type for e in events if e.type.startswith("custody_review.")]
    assert custody == ["custody_review.opened", "custody_review.received", "custody_review.filed",
                       "custody_review.grounds_updated", "custody_review.extended", "custody_review.suspended",
                       "custody_review.resumed", "custody_review.decided", "custody_review.reply_due",
                       "custody_review.correction_opened", "custody_review.correction_issued"]
    assert all(e.data["subject_id"] == rid and e.data["unit_code"] == BUCHENG
               for e in events if e.type.startswith("custody_review."))
    (notice,) = [e for e in events if e.type == "public_notice.requested"]
    assert notice.data["mandatory"] is True and notice.data["notice_kind"] == "custody_review.outcome"
    assert notice.data["subject_id"] == rid and notice.data["recipient_name"] == "王**"
    assert decrypt(notice.data["recipient_email_enc"], purpose="public_notice.email") == "wxh@example.com"
    assert decrypt(notice.data["recipient_phone_enc"], purpose="public_notice.phone") == "13800138000"
    pdf = base64.b64decode(notice.data["document_b64"])
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == notice.data["document_sha256"]
    assert "建议变更强制措施" in notice.data["body"]
    serialised = str([e.data for e in events])
    assert ID_NUMBER not in serialised and "wxh@example.com" not in serialised
    with sessions() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == rid)
                                       .order_by(AuditEntry.occurred_at, AuditEntry.id)))
    for action in ("custody_review.open", "custody_review.receive", "custody_review.file", "custody_review.grounds",
                   "custody_review.extend", "custody_review.suspend", "custody_review.resume",
                   "custody_review.decide", "custody_review.reply_due", "custody_review.correction_open",
                   "custody_review.correction_issue", "custody_review.document"):
        assert action in actions, action


def test_an_application_received_by_another_procuratorate_is_forwarded_within_2_days_rolled_past_guoqing(
        app: Flask, test_keys: AuthKeys) -> None:
    sessions = app.extensions["huhang"].session_factory
    with time_machine.travel(at("2026-09-29"), tick=False):
        wancheng = client(app, test_keys, "prosecutor", "NY-JCY-WC")  # 宛城区院 registers it for the 市院
        created = wancheng.post("/api/v1/custody-reviews", json=APPLICATION)
        assert created.status_code == 201, created.json
    rid = created.json["id"]
    # 2日 from 09-29 ends 10-01, a holiday: the next working day, 10-08.
    assert _clocks(sessions, rid)["custody_review.forwarding"] == ("open", _dt.date(2026, 10, 8), None)
    with time_machine.travel(at("2026-10-09"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        assert prosecutor.post(f"/api/v1/custody-reviews/{rid}/receive").status_code == 200
        # Another unit's prosecutor (or a unit below) does not see it; the task force does.
        assert client(app, test_keys, "prosecutor", "NY-JCY-NZ").get(f"/api/v1/custody-reviews/{rid}").status_code == 404
        assert client(app, test_keys, "task_force", "NY-JCY-ZB").get(f"/api/v1/custody-reviews/{rid}").status_code == 200
    assert _clocks(sessions, rid)["custody_review.forwarding"] == ("missed", _dt.date(2026, 10, 8), False)


def test_the_2016_rule_counts_10_working_days_across_the_2023_guoqing_and_the_prosecution_stage_3_days(
        app: Flask, test_keys: AuthKeys) -> None:
    sessions = app.extensions["huhang"].session_factory
    with time_machine.travel(at("2023-09-28"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        old = prosecutor.post("/api/v1/custody-reviews", json={**APPLICATION, "trigger": "ex_officio"})
        assert old.status_code == 201, old.json
        assert old.json["state"] == "reviewing"
        extended = prosecutor.post(f"/api/v1/custody-reviews/{old.json['id']}/extend",
                                   json={"approved_by": "张副检察长", "reasons": "案情复杂"})
        assert extended.status_code == 200
    # 2016: 10 working days from 09-28 past 2023 国庆 (09-29..10-06 off, 10-07 and 10-08 调休 workdays): 10-18;
    # +5 working days: 10-25.
    clocks = _clocks(sessions, old.json["id"])
    assert clocks["custody_review.decision"][1] == _dt.date(2023, 10, 25)
    with time_machine.travel(at("2026-09-30"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        new = prosecutor.post("/api/v1/custody-reviews", json={**APPLICATION, "trigger": "ex_officio",
                                                               "stage": "prosecution"})
        assert new.status_code == 201
        # 2023 规定: 3日 in 审查起诉, from 09-30 → 10-03, in the holiday: 10-08.
        assert _clocks(sessions, new.json["id"])["custody_review.decision_prosecution_stage"][1] == _dt.date(2026, 10, 8)
        recommend = prosecutor.post(f"/api/v1/custody-reviews/{new.json['id']}/decision",
                                    json={"decision": "release_recommended", "reasons": "x"})
        assert recommend.status_code == 409 and recommend.json["code"] == "custody_review.recommendation_stage"
        grounds = prosecutor.put(f"/api/v1/custody-reviews/{new.json['id']}/grounds", json={"items": [
            {"code": "579.exceeds_sentence", "ticked": True, "evidence": "已羁押期限超过可能判处的刑期"}]})
        assert grounds.status_code == 200
        keep = prosecutor.post(f"/api/v1/custody-reviews/{new.json['id']}/decision",
                               json={"decision": "continued", "reasons": "x"})
        assert keep.status_code == 409 and keep.json["code"] == "custody_review.must_ground"
        direct = prosecutor.post(f"/api/v1/custody-reviews/{new.json['id']}/decision",
                                 json={"decision": "changed_directly", "reasons": "羁押已超过可能判处的刑期"})
        assert direct.status_code == 200 and direct.json["state"] == "closed"
        # Ex officio: no applicant's notice, no 建议书.
        assert direct.json["documents"] == []


def test_bad_input_is_a_422_with_codes_and_nothing_is_stored(app: Flask, test_keys: AuthKeys) -> None:
    sessions = app.extensions["huhang"].session_factory
    prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
    bad = prosecutor.post("/api/v1/custody-reviews", json={
        **APPLICATION, "id_number": "110105194912310021", "enterprise_credit_code": "91411300MA9K1234X1",
        "applicant_email": None, "applicant_phone": None})
    assert bad.status_code == 422
    fields = {p["field"]: p["code"] for p in bad.json["problems"]} if "problems" in bad.json else {}
    text = bad.get_data(as_text=True)
    assert "id_number" in text and "enterprise_credit_code" in text, text
    assert fields == {} or "id_number" in fields
    kongshen = client(app, test_keys, "triage_officer", KONGSHEN)
    nowhere = kongshen.post("/api/v1/custody-reviews", json={**APPLICATION, "unit_code": None})
    assert nowhere.status_code == 422 and nowhere.json["code"] == "custody_review.unit_required"
    ex_officio = kongshen.post("/api/v1/custody-reviews", json={**APPLICATION, "trigger": "ex_officio"})
    assert ex_officio.status_code == 403  # only 捕诉 opens a review of its own motion
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CustodyReview)) == 0


def _entry(**overrides: Any) -> dict[str, Any]:
    return {"person_name": "李四", "id_number": ID_NUMBER, "criminal_case_number": "宛公刑立字〔2026〕200号",
            "charge": "非法吸收公众存款罪", "stage": "investigation", "stage_entered_on": "2026-08-01",
            "handling_organ": "南阳市公安局", "arrested_on": "2026-08-01", **overrides}


def test_the_register_opens_each_mandatory_review_once_citing_its_rule(
        app: Flask, test_keys: AuthKeys, kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = app.extensions["huhang"].session_factory
    with time_machine.travel(at("2026-10-09"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        made = {}
        for name, entry in {
            "short": _entry(stage="prosecution", stage_entered_on="2026-09-20", likely_sentence_months=30),
            "long": _entry(stage="prosecution", stage_entered_on="2026-09-20", likely_sentence_months=60),
            "pregnant": _entry(special_situations=["pregnancy"]),
            "back_2022": _entry(stage="prosecution", likely_short_sentence=False,
                                returned_from_supplementary_on="2022-05-10"),
            "first": _entry(stage="trial", first_instance_started_on="2026-03-01"),
            "second": _entry(stage="trial", first_instance_started_on="2025-01-01",
                             second_instance_started_on="2026-08-01"),
            "released": _entry(stage="prosecution", likely_short_sentence=True, released_on="2026-09-25"),
        }.items():
            answer = prosecutor.post("/api/v1/custody-register", json=entry)
            assert answer.status_code == 201, answer.json
            made[name] = answer.json["id"]
    # Two schedulers at once: each trigger still opens one review.
    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(jobs.run_mandatory(
        sessions, today=_dt.date(2026, 10, 9), batch_size=2))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert jobs.run_mandatory(sessions, today=_dt.date(2026, 10, 9)) == []
    with sessions() as session:
        opened = {(t.register_id, t.rule_code) for t in session.scalars(select(CustodyTrigger))}
        reviews = list(session.scalars(select(CustodyReview)))
    assert sorted(sum(results, [])) == sorted(r.id for r in reviews)
    assert opened == {(made["short"], "2023.prosecution_short_sentence"),
                      (made["pregnant"], "2023.special_situation"),
                      (made["back_2022"], "campaign.back_from_supplementary"),
                      (made["first"], "practice.first_instance_overdue")}
    assert all(r.trigger == "mandatory" and r.state == "reviewing" and r.trigger_basis for r in reviews)
    # The second instance: 4 months from 08-01 → 12-01.
    assert jobs.run_mandatory(sessions, today=_dt.date(2026, 11, 30)) == []
    assert len(jobs.run_mandatory(sessions, today=_dt.date(2026, 12, 1))) == 1
    # Back from 补侦 again (a new date): a new trigger; the month figure is a setting.
    with time_machine.travel(at("2026-12-02"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        patched = prosecutor.patch(f"/api/v1/custody-register/{made['back_2022']}",
                                   json={"returned_from_supplementary_on": "2026-12-02"})
        assert patched.status_code == 200, patched.json
    assert len(jobs.run_mandatory(sessions, today=_dt.date(2026, 12, 2))) == 1
    with sessions() as session:
        rule = session.scalar(select(CustodyTrigger.rule_code).where(CustodyTrigger.key == "returned:2026-12-02"))
    assert rule == "practice.back_from_supplementary"
    monkeypatch.setenv("HUHANG_CUSTODY_CAMPAIGN_CONTINUED", "0")
    with time_machine.travel(at("2026-12-03"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        fresh = prosecutor.post("/api/v1/custody-register", json=_entry(stage="trial", first_instance_started_on="2026-01-01"))
        assert fresh.status_code == 201
    assert jobs.run_mandatory(sessions, today=_dt.date(2026, 12, 3)) == []  # the practice rows switched off

    events = _published(app, kafka_settings)
    opened_events = [e for e in events if e.type == "custody_review.opened"]
    assert len(opened_events) == 6
    assert {e.data["trigger_rule"] for e in opened_events} == {
        "2023.prosecution_short_sentence", "2023.special_situation", "campaign.back_from_supplementary",
        "practice.first_instance_overdue", "practice.second_instance_overdue", "practice.back_from_supplementary"}
    assert sum(e.type == "custody_review.register_entered" for e in events) == 8


def test_acceptance_rates_per_unit(app: Flask, test_keys: AuthKeys) -> None:
    sessions = app.extensions["huhang"].session_factory
    ids = []
    with time_machine.travel(at("2026-11-02"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        for _ in range(3):
            rid = prosecutor.post("/api/v1/custody-reviews", json={**APPLICATION, "trigger": "ex_officio"}).json["id"]
            assert prosecutor.post(f"/api/v1/custody-reviews/{rid}/decision", json={
                "decision": "release_recommended", "reasons": "证据发生重大变化"}).status_code == 200
            ids.append(rid)
        assert prosecutor.post(f"/api/v1/custody-reviews/{ids[0]}/reply", json={
            "reply": "accepted", "reply_on": "2026-11-05", "text": "已变更为取保候审"}).json["state"] == "closed"
        refused = prosecutor.post(f"/api/v1/custody-reviews/{ids[1]}/reply", json={
            "reply": "refused", "reply_on": "2026-11-06", "text": "不同意"})
        assert refused.json["state"] == "correction"
        answer = prosecutor.get("/api/v1/custody-reviews/rates?from=2026-11-01&to=2026-11-15")
        assert answer.status_code == 200
        assert answer.json == [{"unit_code": BUCHENG, "made": 3, "accepted": 1, "refused": 1, "pending": 1,
                                "unanswered": 0, "rate": pytest.approx(1 / 3)}]
        # A unit it does not see is not counted for it.
        other = client(app, test_keys, "prosecutor", "NY-JCY-WC").get(
            "/api/v1/custody-reviews/rates?from=2026-11-01&to=2026-11-15")
        assert other.json == []
    with sessions() as session:
        assert rates.rates(session, _dt.date(2026, 11, 16), _dt.date(2026, 11, 30), None) == []
        assert service.get(session, ids[2], principal=None).state == "awaiting_reply"


def test_the_notice_and_the_recommendation_read_back_as_issued_pdf_and_docx(
        app: Flask, test_keys: AuthKeys, tmp_path: Any) -> None:
    """The 结果通知书 (规则 582) and the 建议书: text, 版头 and 发文字号, fonts embedded (PDF) and named (DOCX),
    rendered with pdftoppm (docs/screenshots/custody-notice-pdf.png is the page looked at)."""
    import io
    import shutil
    from pathlib import Path

    from docx import Document as read_docx
    from docx.oxml.ns import qn

    from tests.support.documents import pdf_fonts, read_pdf, render_png

    with time_machine.travel(at("2026-11-23"), tick=False):
        prosecutor = client(app, test_keys, "prosecutor", BUCHENG)
        rid = prosecutor.post("/api/v1/custody-reviews", json={**APPLICATION, "received_on": "2026-11-20"}).json["id"]
        assert prosecutor.post(f"/api/v1/custody-reviews/{rid}/file").status_code == 200
        decided = prosecutor.post(f"/api/v1/custody-reviews/{rid}/decision", json={
            "decision": "change_recommended", "reasons": "犯罪嫌疑人认罪认罚，羁押致企业停产，无继续羁押必要"}).json
        docs = {d["kind"]: d for d in decided["documents"]}
        notice_pdf = prosecutor.get(docs["notice"]["pdf_url"])
        notice_docx = prosecutor.get(docs["notice"]["docx_url"])
        recommendation = prosecutor.get(docs["recommendation"]["pdf_url"]).data
    assert notice_pdf.headers["Cache-Control"] == "no-store"
    back = read_pdf(notice_pdf.data)
    lines = back.lines()
    assert lines[0] == "南阳市人民检察院" and lines[1] == "南检捕通〔2026〕1号"
    assert "羁押必要性审查结果通知书" in back.flat and lines[3].startswith("王小红")
    for text in ("你（近亲属）于2026年11月20日向本院提出的对王**（宛公刑立字〔2026〕118号）进行羁押必要性审查的申请",
                 "本院决定：建议变更强制措施", "依据：《中华人民共和国刑事诉讼法》第九十五条", "南检羁审〔2026〕1号",
                 "2026年11月23日"):
        assert text in back.flat, text
    assert back.pages == 1 and lines[-3:-1] == ["南阳市人民检察院", "2026年11月23日"]  # 落款, then the page number
    assert hashlib.sha256(notice_pdf.data).hexdigest() != ""  # rendered again from what was issued
    fonts = pdf_fonts(notice_pdf.data)
    assert fonts and all(fonts.values()) and "Noto-Serif-CJK-SC" in fonts
    title = [c for c in back.chars if c.text in "羁押必要性审查结果通知书" and round(c.size) == 22]
    assert title and {c.font for c in title} == {"Noto-Serif-CJK-SC-Bold"}
    docx = read_docx(io.BytesIO(notice_docx.data))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "南检捕通〔2026〕1号" in text and "建议变更强制措施" in text
    east_asia = {r.element.rPr.rFonts.get(qn("w:eastAsia")) for p in docx.paragraphs for r in p.runs
                 if r.element.rPr is not None and r.element.rPr.rFonts is not None}
    assert {"方正小标宋简体", "仿宋_GB2312"} <= east_asia
    rec = read_pdf(recommendation)
    assert "南检捕建〔2026〕1号" in rec.flat and "南阳市公安局" in rec.flat and "南阳某机械有限公司" in rec.flat and "十日以内将处理情况书面回复本院" in rec.flat
    pngs = render_png(notice_pdf.data, tmp_path, dpi=60)
    assert len(pngs) == back.pages
    shots = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    shutil.copy(pngs[0], shots / "custody-notice-pdf.png")
