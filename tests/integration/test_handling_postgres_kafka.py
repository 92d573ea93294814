"""审查办理 over PostgreSQL and the real broker: a 交办 item accepted, its 承办人 assigned, a 进展汇报, the
procedural and the final 答复 — every change's event reaches Kafka through the outbox, in order, under the
petition's key, valid against the catalogue; the clocks are closed on PostgreSQL as the engine says; two
replies racing for one 发文字号 cannot both have it.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import select

from services.review import create_app
from services.review.deadlines.models import Deadline
from services.review.handling import service
from services.review.handling.models import HandlingReply
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.units import service as units
from services.review.triage import states
from services.review.triage.service import create_from_petition
from shared.calendar import BEIJING
from shared.config import KafkaSettings, Settings
from shared.events import decode
from shared.kafka.producer import make_producer
from shared.outbox import pending_count
from shared.outbox.relay import OutboxRelay
from shared.storage import LocalFolderStore
from tests.support.auth import AuthKeys
from tests.support.infra import Databases
from tests.support.kafka import read_topic
from tests.support.stack import wait_for
from tests.unit.portal import factories

UNIT = "NY-JCY-WC"
NOW = _dt.datetime(2026, 11, 27, 10, tzinfo=BEIJING)
STEPS = ["handling.accepted", "handling.handler_assigned", "handling.progress_reported", "handling.replied",
         "handling.replied"]


def test_handling_steps_reach_the_broker_in_order_and_close_the_clocks(
    databases: Databases, kafka_settings: KafkaSettings, test_keys: AuthKeys, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("HUHANG_TOPIC_PREFIX", kafka_settings.topic_prefix)  # the outbox rows' topic
    app = create_app({"TESTING": True}, settings=Settings(
        service="review", database_url=databases.fresh("review"), kafka=kafka_settings))
    app.extensions["huhang"].extras["blob_store"] = LocalFolderStore(str(tmp_path / "blobs"))
    sessions = app.extensions["huhang"].session_factory
    try:
        with time_machine.travel(NOW, tick=False):
            petition = factories.petition(number=1, unit_code="NY-JCY-KS", received_on=_dt.date(2026, 11, 23))
            with sessions() as session, session.begin():
                units.seed(session)
                handler = StaffAccount(username="wc-handler", display_name="李承办", unit_code=UNIT,
                                       roles=["case_handler"], password_hash="!unused",
                                       password_changed_at=NOW.astimezone(_dt.timezone.utc))
                session.add(handler)
                item = create_from_petition(session, petition, event_id=str(uuid.uuid4()), trace_id=None)
                item.status, item.handling_unit_code = states.ROUTED, UNIT
                service.on_routed(session, item, actor="user:demo-triage")
                handler_id = handler.id
            pid = petition.petition_id
            base = f"/api/v1/handling/items/{pid}"
            staff = app.test_client()
            staff.environ_base["HTTP_AUTHORIZATION"] = test_keys.headers("case_handler", UNIT)["Authorization"]
            leader = app.test_client()
            leader.environ_base["HTTP_AUTHORIZATION"] = test_keys.headers("unit_leader", UNIT)["Authorization"]
            reply: dict[str, Any] = {"text": "已受理，正在办理。", "delivery": "sms", "replied_on": "2026-11-27",
                                     "legal_basis": "《人民检察院办理群众来信工作规定》（2019年）"}
            assert staff.post(f"{base}/accept").status_code == 200
            assert leader.post(f"{base}/handler", json={"handler_user_id": handler_id}).status_code == 200
            assert staff.post(f"{base}/progress", json={"text": "已调取材料", "reported_on": "2026-11-27"}).status_code == 201
            assert staff.post(f"{base}/replies", json={**reply, "kind": "procedural"}).status_code == 201
            final = staff.post(f"{base}/replies", json={**reply, "kind": "final", "outcome": "supported",
                                                         "text": "经审查，你的诉求依法予以支持。"})
            assert final.status_code == 201, final.json
            assert staff.get(final.json["pdf_url"]).data.startswith(b"%PDF-")

        with sessions() as session:
            clocks = {d.rule_code: (d.status, d.met_on_time)
                      for d in session.scalars(select(Deadline).where(Deadline.subject == pid))}
            numbers = sorted(session.scalars(select(HandlingReply.document_number)))
        assert clocks == {"handling.acceptance": ("met", True), "12309.procedural_reply": ("met", True),
                          "12309.result_reply": ("met", True)}
        assert numbers == ["宛检信复〔2026〕1号", "宛检信复〔2026〕2号"]

        relay = OutboxRelay(sessions, make_producer(kafka_settings))
        wait_for(lambda: relay.publish_once() >= 0 and _drained(sessions), what="outbox drained")
    finally:
        app.extensions["huhang"].engine.dispose()

    records = read_topic(kafka_settings, kafka_settings.events_topic("review"), at_least=12)
    events = [decode(r.value) for r in records]  # validated against the catalogue
    handling = [(e, r) for e, r in zip(events, records) if e.type.startswith("handling.")]
    assert [e.type for e, _ in handling] == STEPS
    assert {r.key for _, r in handling} == {pid.encode()}
    assert [e.data["kind"] for e, _ in handling if e.type == "handling.replied"] == ["procedural", "final"]
    assert handling[-1][0].data["status"] == "replied" and handling[-1][0].data["outcome"] == "supported"
    assert handling[1][0].data["handler_name"] == "李承办"
    closed = [e.data["rule_code"] for e in events if e.type == "deadline.closed"]
    assert sorted(closed) == ["12309.procedural_reply", "12309.result_reply", "handling.acceptance"]


def test_two_replies_cannot_take_one_document_number(databases: Databases, pg_session_for: Any) -> None:
    """The 发文字号's unique key on PostgreSQL: the second writer of (organ, year, serial) fails, never repeats it."""
    from sqlalchemy.exc import IntegrityError

    _, sessions = pg_session_for("review")
    row = dict(petition_id=str(uuid.uuid4()), case_number="x", round=1, kind="final", text="t", delivery="post",
               replied_on=_dt.date(2026, 11, 27), legal_basis="b", unit_code=UNIT, organ_code=UNIT, year=2026,
               serial=1, document_number="宛检信复〔2026〕1号", replied_by="t", deadlines_met=[], pdf_key="k",
               pdf_sha256="0" * 64, pdf_size=1, docx_key="k2", docx_sha256="0" * 64, docx_size=1)
    with sessions() as session, session.begin():
        session.add(HandlingReply(**row))
    with pytest.raises(IntegrityError), sessions() as session, session.begin():
        session.add(HandlingReply(**{**row, "petition_id": str(uuid.uuid4())}))


def _drained(sessions: Any) -> bool:
    with sessions() as s:
        return pending_count(s) == 0


def test_a_second_reply_of_the_organ_waits_for_the_first_number(pg_session_for: Any) -> None:
    """Two transactions numbering replies of one organ on PostgreSQL: the second waits on the organ's lock and
    then takes the next number, instead of failing on the unique key."""
    import threading

    from services.review.handling.document import next_serial

    _, sessions = pg_session_for("review")
    with sessions() as session, session.begin():
        units.seed(session)
    first = sessions()
    first.begin()
    assert next_serial(first, organ_code=UNIT, year=2026) == 1
    got: list[int] = []

    def second() -> None:
        with sessions() as session, session.begin():
            got.append(next_serial(session, organ_code=UNIT, year=2026))

    waiter = threading.Thread(target=second)
    waiter.start()
    waiter.join(timeout=1.0)
    assert waiter.is_alive() and got == []  # blocked on the organ's row
    row = dict(petition_id=str(uuid.uuid4()), case_number="x", round=1, kind="final", text="t", delivery="post",
               replied_on=_dt.date(2026, 11, 27), legal_basis="b", unit_code=UNIT, organ_code=UNIT, year=2026,
               serial=1, document_number="宛检信复〔2026〕1号", replied_by="t", deadlines_met=[], pdf_key="k",
               pdf_sha256="0" * 64, pdf_size=1, docx_key="k2", docx_sha256="0" * 64, docx_size=1)
    first.add(HandlingReply(**row))
    first.commit()
    first.close()
    waiter.join(timeout=10)
    assert got == [2]
