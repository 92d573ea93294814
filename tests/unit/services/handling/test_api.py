"""审查办理 over the API: each rule and each refusal (403, 404, 409, 422 with problems), nothing stored on a refusal."""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import pytest
from docx import Document as read_docx
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.review.handling.models import HandlingEntry, HandlingReply
from services.review.triage.models import TriageItem
from shared.audit.models import AuditEntry
from shared.events import decode
from tests.support.auth import AuthKeys
from tests.unit.services.handling.conftest import (
    HANDLING_UNIT, account_id, add_account, client, deadlines, events, route_item,
)

RECEIVED = _dt.date(2026, 11, 23)  # a Monday; "today" is Friday 2026-11-27
FINAL = {"kind": "final", "text": "经审查，你反映的账户冻结问题已督促有关机关依法处理。\n冻结已于11月25日解除。",
         "outcome": "resolved", "delivery": "post", "replied_on": "2026-11-27",
         "legal_basis": "《人民检察院办理群众来信工作规定》（2019年）"}


def _item(sessions: sessionmaker[Session], petition_id: str) -> TriageItem:
    with sessions() as session:
        item = session.scalars(select(TriageItem).where(TriageItem.petition_id == petition_id)).one()
        session.expunge(item)
        return item


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _audits(sessions: sessionmaker[Session], action: str) -> list[AuditEntry]:
    with sessions() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        session.expunge_all()
        return rows


def _nothing_stored(sessions: sessionmaker[Session], petition_id: str, status: str) -> None:
    assert _item(sessions, petition_id).status == status
    assert _count(sessions, HandlingEntry) == 0 and _count(sessions, HandlingReply) == 0
    assert events(sessions) == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action.like("handling.%"))) == 0


def _accepted(app: Flask, keys: AuthKeys, sessions: sessionmaker[Session], **kw: object) -> str:
    pid = route_item(sessions, received_on=RECEIVED, routed_on=_dt.date(2026, 11, 27), **kw)  # type: ignore[arg-type]
    assert client(app, keys, "case_handler", HANDLING_UNIT).post(f"/api/v1/handling/items/{pid}/accept").status_code == 200
    return pid


# --- 受理 / 退回 ---------------------------------------------------------------------------------


def test_accept_moves_routed_to_handling_and_meets_the_acceptance_deadline(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=RECEIVED, routed_on=today)
    acceptance = deadlines(sessions, pid)["handling.acceptance"]
    assert (acceptance.status, acceptance.unit_code, acceptance.due_on) == ("open", HANDLING_UNIT, _dt.date(2026, 12, 2))
    answer = client(review_app, test_keys, "case_handler", HANDLING_UNIT).post(f"/api/v1/handling/items/{pid}/accept")
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "handling"
    met = deadlines(sessions, pid)["handling.acceptance"]
    assert (met.status, met.met_on_time) == ("met", True)
    [event] = [decode(m.payload) for m in events(sessions)]
    assert event.type == "handling.accepted" and event.subject == pid
    assert event.data["status"] == "handling" and event.data["handling_unit_code"] == HANDLING_UNIT
    assert event.data["on_time"] is True and event.data["unit_code"] == "NY-JCY-KS" and event.data["round"] == 1
    [audit] = _audits(sessions, "handling.accept")
    assert (audit.before["status"], audit.after["status"], audit.actor_unit) == ("routed", "handling", HANDLING_UNIT)


def test_an_acceptance_after_its_due_date_is_recorded_missed(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=_dt.date(2026, 11, 19), routed_on=_dt.date(2026, 11, 20))
    assert deadlines(sessions, pid)["handling.acceptance"].due_on == _dt.date(2026, 11, 25)
    assert client(review_app, test_keys, "unit_leader", HANDLING_UNIT).post(
        f"/api/v1/handling/items/{pid}/accept").status_code == 200
    met = deadlines(sessions, pid)["handling.acceptance"]
    assert (met.status, met.met_on_time) == ("missed", False)
    assert decode(events(sessions)[0].payload).data["on_time"] is False


def test_a_supervising_unit_sees_the_item_but_may_not_act_for_it(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=RECEIVED, routed_on=today)
    leader = client(review_app, test_keys, "unit_leader", "NY-JCY")  # 市院: above 宛城区院
    assert leader.get(f"/api/v1/handling/items/{pid}").status_code == 200
    for path, body in (("accept", None), ("return", {"reasons": "不属本院管辖"})):
        answer = leader.post(f"/api/v1/handling/items/{pid}/{path}", json=body)
        assert (answer.status_code, answer.json["code"]) == (403, "not_your_unit"), answer.json
        assert answer.json["message"]["zh"] and answer.json["message"]["en"]
    _nothing_stored(sessions, pid, "routed")


def test_another_units_handler_does_not_see_the_item(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=RECEIVED, routed_on=today)
    other = client(review_app, test_keys, "case_handler", "NY-JCY-WL")
    answer = other.post(f"/api/v1/handling/items/{pid}/accept")
    assert (answer.status_code, answer.json["code"]) == (404, "item_not_found")
    _nothing_stored(sessions, pid, "routed")


def test_roles_other_than_handlers_are_refused(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=RECEIVED, routed_on=today)
    for role in ("triage_officer", "intake_clerk", "task_force", "admin"):
        answer = client(review_app, test_keys, role, HANDLING_UNIT).post(f"/api/v1/handling/items/{pid}/accept")
        assert answer.status_code == 403, (role, answer.json)
    _nothing_stored(sessions, pid, "routed")


def test_accepting_twice_is_a_conflict(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    answer = client(review_app, test_keys, "case_handler", HANDLING_UNIT).post(f"/api/v1/handling/items/{pid}/accept")
    assert (answer.status_code, answer.json["code"]) == (409, "wrong_state")
    assert len(events(sessions)) == 1


def test_return_needs_reasons_and_sends_the_item_back_to_the_receiving_queue(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=RECEIVED, routed_on=today)
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT)
    for body in ({}, {"reasons": " "}, {"reasons": "x" * 2001}):
        answer = handler.post(f"/api/v1/handling/items/{pid}/return", json=body)
        assert answer.status_code == 422, answer.json
        assert [p["field"] for p in answer.json["problems"]] == ["reasons"]
    _nothing_stored(sessions, pid, "routed")
    answer = handler.post(f"/api/v1/handling/items/{pid}/return", json={"reasons": "该事项属法院管辖，不属本院办理"})
    assert answer.status_code == 200, answer.json
    item = _item(sessions, pid)
    assert (item.status, item.handling_unit_code) == ("pending", None)
    assert deadlines(sessions, pid)["handling.acceptance"].status == "met"
    [event] = [decode(m.payload) for m in events(sessions)]
    assert event.type == "handling.returned"
    assert (event.data["reasons"], event.data["from_unit_code"], event.data["handling_unit_code"]) == (
        "该事项属法院管辖，不属本院办理", HANDLING_UNIT, None)
    # Back at the receiving unit: the handler no longer sees it.
    assert handler.get(f"/api/v1/handling/items/{pid}").status_code == 404


# --- 承办人 --------------------------------------------------------------------------------------


def test_the_unit_leader_assigns_a_case_handler_of_the_unit_and_reassigns(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    leader_id = add_account(sessions, username="wc-leader", unit=HANDLING_UNIT, roles=["unit_leader"], name="王院长")
    second = add_account(sessions, username="wc-handler2", unit=HANDLING_UNIT, roles=["case_handler"], name="李承办")
    leader = client(review_app, test_keys, "unit_leader", HANDLING_UNIT, sub=leader_id)
    first = account_id(sessions, "demo-handler")
    answer = leader.post(f"/api/v1/handling/items/{pid}/handler", json={"handler_user_id": first})
    assert answer.status_code == 200, answer.json
    assert answer.json["handler_name"] == "演示 承办人（宛城区院）"
    assert leader.post(f"/api/v1/handling/items/{pid}/handler", json={"handler_user_id": second}).status_code == 200
    item = _item(sessions, pid)
    assert (item.handler_user_id, item.handler_name) == (second, "李承办")
    assigned = [decode(m.payload).data for m in events(sessions) if m.event_type == "handling.handler_assigned"]
    assert [(d["handler_name"], d["previous_handler_name"], d["taken"]) for d in assigned] == [
        ("演示 承办人（宛城区院）", None, False), ("李承办", "演示 承办人（宛城区院）", False)]
    assert len(_audits(sessions, "handling.assign_handler")) == 2


@pytest.mark.parametrize("who", ["other_unit", "not_a_handler", "disabled", "unknown"])
def test_the_handler_must_be_an_active_case_handler_of_the_unit(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date, who: str) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    target = {
        "other_unit": lambda: add_account(sessions, username="wl-h", unit="NY-JCY-WL", roles=["case_handler"]),
        "not_a_handler": lambda: add_account(sessions, username="wc-t", unit=HANDLING_UNIT, roles=["triage_officer"]),
        "disabled": lambda: add_account(sessions, username="wc-d", unit=HANDLING_UNIT, roles=["case_handler"],
                                        disabled=True),
        "unknown": lambda: "00000000-0000-0000-0000-000000000000",
    }[who]()
    answer = client(review_app, test_keys, "unit_leader", HANDLING_UNIT).post(
        f"/api/v1/handling/items/{pid}/handler", json={"handler_user_id": target})
    assert (answer.status_code, answer.json["code"]) == (422, "invalid_handler"), answer.json
    assert answer.json["problems"][0]["field"] == "handler_user_id"
    assert _item(sessions, pid).handler_user_id is None
    assert [m.event_type for m in events(sessions)] == ["handling.accepted"]


def test_a_case_handler_takes_an_unassigned_item_but_assigns_nobody_else(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    me = account_id(sessions, "demo-handler")
    other = add_account(sessions, username="wc-h3", unit=HANDLING_UNIT, roles=["case_handler"], name="赵承办")
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT, sub=me)
    answer = handler.post(f"/api/v1/handling/items/{pid}/handler", json={"handler_user_id": other})
    assert (answer.status_code, answer.json["code"]) == (403, "only_leader_assigns")
    answer = handler.post(f"/api/v1/handling/items/{pid}/handler", json={})
    assert answer.status_code == 200 and answer.json["handler_name"] == "演示 承办人（宛城区院）"
    assert decode(events(sessions)[-1].payload).data["taken"] is True
    again = handler.post(f"/api/v1/handling/items/{pid}/handler", json={})
    assert (again.status_code, again.json["code"]) == (409, "handler_unchanged")
    colleague = client(review_app, test_keys, "case_handler", HANDLING_UNIT, sub=other)
    taken = colleague.post(f"/api/v1/handling/items/{pid}/handler", json={})
    assert (taken.status_code, taken.json["code"]) == (409, "already_assigned")
    assert _item(sessions, pid).handler_user_id == me


# --- 进展汇报 ------------------------------------------------------------------------------------


def test_progress_reports_go_on_the_items_history(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT)
    for day, field in (("2026-11-28", "reported_on"), ("2026-11-01", "reported_on")):
        answer = handler.post(f"/api/v1/handling/items/{pid}/progress", json={"text": "已调取账户冻结材料", "reported_on": day})
        assert answer.status_code == 422 and answer.json["problems"][0]["field"] == field, answer.json
    answer = handler.post(f"/api/v1/handling/items/{pid}/progress", json={"text": ""})
    assert answer.status_code == 422 and {p["field"] for p in answer.json["problems"]} == {"text", "reported_on"}
    answer = handler.post(f"/api/v1/handling/items/{pid}/progress",
                          json={"text": "已调取账户冻结材料，约谈公安机关经侦大队", "reported_on": "2026-11-26"})
    assert answer.status_code == 201, answer.json
    history = handler.get(f"/api/v1/handling/items/{pid}").json["entries"]
    assert [(e["kind"], e["happened_on"]) for e in history] == [("accepted", "2026-11-27"),
                                                                ("progress_reported", "2026-11-26")]
    assert history[1]["text"] == "已调取账户冻结材料，约谈公安机关经侦大队"
    assert [m.event_type for m in events(sessions)] == ["handling.accepted", "handling.progress_reported"]


# --- 答复 ----------------------------------------------------------------------------------------


def test_a_procedural_reply_meets_the_7_day_reply_and_a_second_one_has_nothing_to_meet(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date,
        tmp_path: Path) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT)
    body = {"kind": "procedural", "text": "你反映的问题已由本院受理，正在办理。", "delivery": "sms",
            "replied_on": "2026-11-27", "legal_basis": "《人民检察院办理群众来信工作规定》（2019年）"}
    answer = handler.post(f"/api/v1/handling/items/{pid}/replies", json=body)
    assert answer.status_code == 201, answer.json
    assert answer.json["on_time"] is True and answer.json["document_number"] == "宛检信复〔2026〕1号"
    assert [d["rule_code"] for d in answer.json["deadlines_met"]] == ["12309.procedural_reply"]
    clocks = deadlines(sessions, pid)
    assert (clocks["12309.procedural_reply"].status, clocks["12309.procedural_reply"].met_on_time) == ("met", True)
    assert clocks["12309.result_reply"].status == "open" and _item(sessions, pid).status == "handling"
    files = sorted(p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file())
    assert len(files) == 2
    again = handler.post(f"/api/v1/handling/items/{pid}/replies", json=body)
    assert (again.status_code, again.json["code"]) == (409, "no_open_reply_deadline")
    assert _count(sessions, HandlingReply) == 1
    assert sorted(p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()) == files


def test_a_final_reply_needs_its_outcome_and_a_date_not_in_the_future(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date,
        tmp_path: Path) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT)
    cases = [({**FINAL, "outcome": None}, "outcome", "outcome_required"),
             ({**FINAL, "replied_on": "2026-11-28"}, "replied_on", "date_in_future"),
             ({**FINAL, "replied_on": "2026-11-20"}, "replied_on", "date_before_receipt"),
             ({**FINAL, "delivery": "pigeon"}, "delivery", None),
             ({**FINAL, "outcome": "满意"}, "outcome", None),
             ({**FINAL, "kind": "answer"}, "kind", None)]
    for body, field, code in cases:
        answer = handler.post(f"/api/v1/handling/items/{pid}/replies", json=body)
        assert answer.status_code == 422, (body, answer.json)
        assert answer.json["problems"][0]["field"] == field
        if code:
            assert answer.json["code"] == code
    assert _count(sessions, HandlingReply) == 0 and not list((tmp_path / "blobs").rglob("*.*"))
    assert deadlines(sessions, pid)["12309.result_reply"].status == "open"


def test_a_final_reply_meets_the_result_reply_and_the_item_is_replied(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT)
    answer = handler.post(f"/api/v1/handling/items/{pid}/replies", json=FINAL)
    assert answer.status_code == 201, answer.json
    assert _item(sessions, pid).status == "replied"
    clocks = deadlines(sessions, pid)
    # The final answer within 7 days is the procedural reply as well.
    assert {code: (d.status, d.met_on_time) for code, d in clocks.items()} == {
        "12309.procedural_reply": ("met", True), "12309.result_reply": ("met", True), "handling.acceptance": ("met", True)}
    replied = decode(events(sessions)[-1].payload)
    assert replied.type == "handling.replied"
    assert {k: replied.data[k] for k in ("kind", "outcome", "delivery", "replied_on", "status", "document_id")} == {
        "kind": "final", "outcome": "resolved", "delivery": "post", "replied_on": "2026-11-27", "status": "replied",
        "document_id": answer.json["id"]}
    [audit] = _audits(sessions, "handling.reply")
    assert audit.subject_id == answer.json["id"] and audit.after["status"] == "replied"
    again = handler.post(f"/api/v1/handling/items/{pid}/replies", json=FINAL)
    assert (again.status_code, again.json["code"]) == (409, "wrong_state")


def test_a_supervising_unit_may_not_reply_for_the_unit_below(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    before = len(events(sessions))
    answer = client(review_app, test_keys, "unit_leader", "NY-JCY").post(f"/api/v1/handling/items/{pid}/replies",
                                                                        json=FINAL)
    assert (answer.status_code, answer.json["code"]) == (403, "not_your_unit")
    assert _count(sessions, HandlingReply) == 0 and len(events(sessions)) == before


def test_a_12368_final_reply_meets_the_work_order(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = route_item(sessions, received_on=_dt.date(2026, 11, 25), routed_on=today, line="12368", unit="NY-FY-WC")
    judge_unit = client(review_app, test_keys, "case_handler", "NY-FY-WC")
    assert judge_unit.post(f"/api/v1/handling/items/{pid}/accept").status_code == 200
    answer = judge_unit.post(f"/api/v1/handling/items/{pid}/replies", json={
        **FINAL, "legal_basis": "人民法院12368诉讼服务热线工作要求"})
    assert answer.status_code == 201, answer.json
    assert [d["rule_code"] for d in answer.json["deadlines_met"]] == ["court_12368.work_order"]
    assert answer.json["document_number"].startswith("宛法信复〔2026〕")
    assert deadlines(sessions, pid)["court_12368.work_order"].status == "met"


def test_the_reply_document_downloads_as_pdf_and_docx_for_whoever_sees_the_item(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    pid = _accepted(review_app, test_keys, sessions)
    handler = client(review_app, test_keys, "case_handler", HANDLING_UNIT)
    reply = handler.post(f"/api/v1/handling/items/{pid}/replies", json=FINAL).json
    pdf = client(review_app, test_keys, "unit_leader", "NY-JCY").get(reply["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Cache-Control"] == "no-store" and "filename*=UTF-8''" in pdf.headers["Content-Disposition"]
    docx = handler.get(reply["docx_url"])
    assert docx.status_code == 200 and docx.headers["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in read_docx(io.BytesIO(docx.data)).paragraphs)
    assert "冻结已于11月25日解除" in text
    assert client(review_app, test_keys, "case_handler", "NY-JCY-WL").get(reply["pdf_url"]).status_code == 404
    assert handler.get("/api/v1/handling/replies/nope/document.pdf").status_code == 404
    assert [a.detail["format"] for a in _audits(sessions, "handling.reply_document")] == ["pdf", "docx"]


def test_mine_lists_the_units_items_nearest_due_first(
        review_app: Flask, sessions: sessionmaker[Session], test_keys: AuthKeys, today: _dt.date) -> None:
    late = route_item(sessions, received_on=RECEIVED, routed_on=today)
    early = route_item(sessions, received_on=_dt.date(2026, 11, 19), routed_on=_dt.date(2026, 11, 20))
    route_item(sessions, received_on=RECEIVED, unit="NY-JCY-WL")
    rows = client(review_app, test_keys, "case_handler", HANDLING_UNIT).get("/api/v1/handling/mine").json
    assert [r["petition_id"] for r in rows] == [early, late]
    assert rows[0]["next_due_on"] == "2026-11-25"
