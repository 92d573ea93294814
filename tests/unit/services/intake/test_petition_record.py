"""The whole petition record (issue 9 points 1 and 3): every channel's and category's fields, and refusals a clerk can act on."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text

from services.intake.petitions.models import Petition, VisitRepresentative
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.events import decode
from shared.outbox import OutboxMessage
from tests.support.auth import AuthKeys

# Real-looking numbers with valid check characters (GB 11643 / GB 32100).
REP_IDS = ("411302198503150012", "411303199207070027", "411321197811110033")


def _body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(PETITION_EXAMPLE)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def _count(app: Flask, model: Any = Petition) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _problems(resp: Any) -> dict[str, str]:
    assert resp.status_code == 422, resp.json
    return {p["field"]: p["code"] for p in resp.json["problems"]}


def test_a_group_visit_with_its_representatives_and_the_whole_record(intake_app: Flask, intake_client: FlaskClient) -> None:
    body = _body(channel="访", petition_type="刑事申诉", related_case_number="（2021）豫13刑终88号",
                 visit={"visitor_count": 7, "representatives": [
                     {"name": "李四", "id_number": REP_IDS[0], "phone": "13900001111"},
                     {"name": "王五", "id_number": REP_IDS[1]},
                     {"name": "赵六", "id_number": REP_IDS[2], "phone": "0377-63123456"}]})
    created = intake_client.post("/api/v1/petitions", json=body)
    assert created.status_code == 201, created.json
    got = created.json
    assert got["subject"] == PETITION_EXAMPLE["subject"]
    assert got["petitioner"]["kind"] == "enterprise_representative" and got["petitioner"]["relation"] == "法定代表人"
    assert got["enterprise"] == {**PETITION_EXAMPLE["enterprise"]}
    assert got["related_case"] == {"number": "（2021）豫13刑终88号", "kind": "court", "year": 2021, "organ": "豫13",
                                   "type_code": "刑终"}
    assert got["visit"]["visitor_count"] == 7
    assert [r["name"] for r in got["visit"]["representatives"]] == ["李*", "王*", "赵*"]
    assert all(REP_IDS[0] not in str(r) for r in got["visit"]["representatives"])
    assert got["visit"]["representatives"][0]["id_number"] == "4113**********0012"
    with intake_app.extensions["huhang"].session_factory() as session:
        reps = session.scalars(select(VisitRepresentative).order_by(VisitRepresentative.position)).all()
        assert [(r.position, r.id_number) for r in reps] == [(1, REP_IDS[0]), (2, REP_IDS[1]), (3, REP_IDS[2])]
        raw = session.execute(text("SELECT id_number_enc FROM petition_representatives")).scalars().all()
    assert len(raw) == 3 and all(value.startswith("v1:") and REP_IDS[0] not in value for value in raw)  # encrypted


def test_a_letter_keeps_its_postmark(intake_client: FlaskClient) -> None:
    body = _body(channel="信", received_at="2026-10-09T10:00:00+08:00", letter={"postmarked_on": "2026-09-29"})
    body["petitioner"]["address"] = "南阳市卧龙区示例街 8 号"
    created = intake_client.post("/api/v1/petitions", json=body)
    assert created.status_code == 201, created.json
    assert created.json["letter"] == {"postmarked_on": "2026-09-29"}


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"channel": "信"}, "petitioner.address", "required.letter_address"),
    ({"channel": "访"}, "visit.visitor_count", "required.visitor_count"),
    ({"channel": "电", "petitioner": {"name": "张三"}}, "petitioner.phone", "required.call_phone"),
    ({"channel": "网", "petitioner": {"name": "张三"}}, "petitioner.phone", "required.online_phone"),
    ({"petition_type": "民事申诉"}, "related_case_number", "required.contested_decision"),
    ({"petition_type": "举报", "facts": None}, "facts", "required.facts"),
    ({"channel": "访", "visit": {"visitor_count": 6}}, "visit.representatives", "visit.representatives_required"),
    ({"channel": "访", "visit": {"visitor_count": 9, "representatives": [{"name": f"代表{i}"} for i in range(6)]}},
     "visit.representatives", "length.max"),
    ({"channel": "访", "visit": {"visitor_count": 1, "representatives": [{"name": "甲"}, {"name": "乙"}]}},
     "visit.representatives", "visit.more_representatives_than_visitors"),
    ({"channel": "网", "visit": {"visitor_count": 2}}, "visit", "visit.not_a_visit"),
    ({"channel": "网", "letter": {"postmarked_on": "2026-01-01"}}, "letter", "letter.not_a_letter"),
    ({"petitioner": {"kind": "agent", "name": "张三", "phone": "13800138000"}}, "petitioner.relation", "required.relation"),
    ({"enterprise": None}, "enterprise", "required.represented_enterprise"),
    ({"petition_type": "联系法官"}, "petition_type", "petition_type.not_of_line"),
    ({"subject": None}, "subject", "required"),
    ({"related_case_number": "豫13民初1234号"}, "related_case_number", "related_case.format"),
    ({"related_case_number": "（2022）豫13民初0号"}, "related_case_number", "case_number.serial"),
    ({"related_case_number": "（2022）豫13民X1234号"}, "related_case_number", "case_number.type"),
])
def test_what_each_channel_and_category_requires(intake_app: Flask, intake_client: FlaskClient, changes: dict[str, Any],
                                                 field: str, code: str) -> None:
    resp = intake_client.post("/api/v1/petitions", json=_body(**changes))
    assert _problems(resp).get(field) == code, resp.json["problems"]
    problem = next(p for p in resp.json["problems"] if p["field"] == field)
    assert problem["message"]["zh"] and problem["message"]["en"] and problem["message"]["zh"] != problem["message"]["en"]
    assert resp.json["code"] == "validation_failed"
    assert _count(intake_app) == 0 and _count(intake_app, OutboxMessage) == 0  # nothing stored


@pytest.mark.parametrize(("path", "value", "code"), [
    ("petitioner.id_number", "411302199001011237", "id_number.check_character"),
    ("petitioner.id_number", "999999199001011238", "id_number.province"),  # the address code once accepted
    ("petitioner.id_number", "411302199002301235", "id_number.birth_date"),  # 30 February
    ("petitioner.phone", "12345", "phone.format"),
    ("petitioner.phone", "1380013800", "phone.format"),
    ("enterprise.credit_code", "91411302MA44TFGN0A", "credit_code.check_character"),
])
def test_numbers_are_refused_with_the_reason(intake_app: Flask, intake_client: FlaskClient, path: str, value: str,
                                             code: str) -> None:
    body = _body()
    block, name = path.split(".")
    body[block][name] = value
    resp = intake_client.post("/api/v1/petitions", json=body)
    assert _problems(resp)[path] == code
    assert _count(intake_app) == 0


def test_numbers_are_stored_in_their_normal_form(intake_app: Flask, intake_client: FlaskClient) -> None:
    body = _body()
    body["petitioner"]["id_number"] = "４１１３０２１９９００１０１１２３６"  # full-width, as an IME may type it
    body["petitioner"]["phone"] = "+86 138-0013-8000"
    body["enterprise"]["credit_code"] = "91411302ma44tfgn0q"
    created = intake_client.post("/api/v1/petitions", json=body)
    assert created.status_code == 201, created.json
    with intake_app.extensions["huhang"].session_factory() as session:
        row = session.get(Petition, created.json["id"])
        assert row is not None
        assert (row.petitioner_id_number, row.petitioner_phone, row.enterprise_credit_code) == (
            "411302199001011236", "13800138000", "91411302MA44TFGN0Q")


def test_a_12368_contact_names_a_court_case_not_a_procuratorate_document(test_keys: AuthKeys, intake_app: Flask) -> None:
    court = intake_app.test_client()
    headers = test_keys.headers("court_clerk")
    body = _body(line="12368", petition_type="联系法官", related_case_number="宛检刑诉〔2022〕12号")
    resp = court.post("/api/v1/petitions", json=body, headers=headers)
    assert _problems(resp)["related_case_number"] == "related_case.not_a_court_case"
    ok = court.post("/api/v1/petitions", json=_body(line="12368", petition_type="联系法官",
                                                    related_case_number="(2023)豫1302执456号"), headers=headers)
    assert ok.status_code == 201 and ok.json["related_case"]["number"] == "（2023）豫1302执456号"


def test_a_domain_refusal_names_its_field_too(intake_client: FlaskClient) -> None:
    resp = intake_client.post("/api/v1/petitions", json=_body(received_at="2999-01-01T09:00:00+08:00"))
    assert resp.status_code == 422
    assert resp.json["problems"] == [{"field": "received_at", "code": "received_in_future",
                                      "message": {"zh": "收到时间不能晚于当前时间", "en": "received_at lies in the future"}}]


def test_the_event_carries_the_subject_and_related_case_but_no_number(intake_app: Flask, intake_client: FlaskClient) -> None:
    intake_client.post("/api/v1/petitions", json=_body(petition_type="刑事申诉", related_case_number="（2021）豫13刑终88号"))
    with intake_app.extensions["huhang"].session_factory() as session:
        (row,) = session.scalars(select(OutboxMessage)).all()
    event = decode(row.payload)
    assert event.data["subject"] == PETITION_EXAMPLE["subject"]
    assert event.data["related_case_number"] == "（2021）豫13刑终88号"
    assert PETITION_EXAMPLE["petitioner"]["id_number"] not in row.payload.decode()
