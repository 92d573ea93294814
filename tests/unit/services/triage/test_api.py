"""The 分流 API in-process: who may act (403), state (409), bad input (422 with problems), nothing stored on refusal."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from services.review.triage import service
from services.review.triage.inputs import PetitionReceived
from services.review.triage.models import TriageItem, TriageRouting
from shared.audit.models import AuditEntry
from tests.support.auth import AuthKeys

RECEIVED = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)


def _receive(app: Flask, n: int, *, unit: str = "NY-JCY-KS", division: str | None = None) -> str:
    petition = PetitionReceived(
        petition_id=f"api-{n}", case_number=f"宛检12309〔2026〕{n}号", line="12309", channel="网", petition_type="控告",
        is_enterprise=True, petitioner_masked="李*", summary="合同纠纷", received_at=RECEIVED,
        received_on=RECEIVED.date(), unit_code=unit, enterprise_division=division)
    with app.extensions["huhang"].session_factory() as s, s.begin():
        service.receive(s, petition, event_id=f"e-{n}", trace_id=None)
    return petition.petition_id


def _stored(app: Flask) -> tuple[int, int, list[tuple[str, str | None]]]:
    with app.extensions["huhang"].session_factory() as s:
        return (s.scalar(select(func.count()).select_from(TriageRouting)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("triage.%"))) or 0,
                [(i.status, i.handling_unit_code) for i in s.scalars(select(TriageItem).order_by(TriageItem.id))])


def _refused(app: Flask, answer: Any, status: int, code: str, before: Any) -> dict[str, Any]:
    assert answer.status_code == status, answer.json
    assert answer.json["code"] == code and answer.json["message"]["zh"] and answer.json["message"]["en"]
    assert _stored(app) == before
    return answer.json  # type: ignore[no-any-return]


@pytest.fixture
def client(review_app: Flask) -> Any:
    return review_app.test_client()


def test_the_officer_classifies_and_assigns(review_app: Flask, client: Any, test_keys: AuthKeys) -> None:
    pid = _receive(review_app, 1, division="411303")
    officer = test_keys.headers("triage_officer")
    detail = client.get(f"/api/v1/triage/items/{pid}", headers=officer)
    assert detail.status_code == 200
    assert detail.json["suggestion"]["unit_code"] == "NY-JCY-WL" and detail.json["suggestion"]["route"] == "assigned"
    assert "NY-JCY-WL" in {t["code"] for t in detail.json["assign_targets"]}
    answer = client.post(f"/api/v1/triage/items/{pid}/classify", headers=officer,
                         json={"is_enterprise": True, "enterprise_reason": "企业合同纠纷", "category": "民事申诉"})
    assert answer.status_code == 200 and answer.json["category"] == "民事申诉"
    # 民事申诉 now matches the 民事检察部 rule first: assigning to 卧龙区院 is an override.
    refused = client.post(f"/api/v1/triage/items/{pid}/route", headers=officer,
                          json={"route": "assigned", "to_unit_code": "NY-JCY-WL", "days": 15})
    assert refused.status_code == 422 and refused.json["code"] == "override_reason_required"
    assert refused.json["problems"][0]["field"] == "override_reason"
    answer = client.post(f"/api/v1/triage/items/{pid}/route", headers=officer,
                         json={"route": "assigned", "to_unit_code": "NY-JCY-WL", "days": 15,
                               "override_reason": "企业在卧龙区，由属地检察院办理更便利"})
    assert answer.status_code == 200, answer.json
    assert (answer.json["status"], answer.json["handling_unit_code"]) == ("routed", "NY-JCY-WL")


def test_refusals_wrong_unit_state_and_input(review_app: Flask, client: Any, test_keys: AuthKeys) -> None:
    pid = _receive(review_app, 1)
    other = _receive(review_app, 2, unit="NY-JCY-WC")
    before = _stored(review_app)
    officer = test_keys.headers("triage_officer")
    here = {"route": "here"}
    # A unit above sees the item but does not triage for it; a case handler may not triage at all.
    _refused(review_app, client.post(f"/api/v1/triage/items/{other}/route", json=here,
                                     headers=test_keys.headers("triage_officer", "NY-JCY")), 403, "not_your_unit", before)
    _refused(review_app, client.post(f"/api/v1/triage/items/{pid}/route", json=here,
                                     headers=test_keys.headers("case_handler", "NY-JCY-KS")), 403, "forbidden", before)
    _refused(review_app, client.post(f"/api/v1/triage/items/{other}/route", json=here, headers=officer),
             404, "item_not_found", before)
    body = _refused(review_app, client.post(f"/api/v1/triage/items/{pid}/route", headers=officer,
                                            json={"route": "assigned", "days": 0}), 422, "validation_failed", before)
    assert {p["field"] for p in body["problems"]} >= {"days"}
    body = _refused(review_app, client.post(f"/api/v1/triage/items/{pid}/route", headers=officer,
                                            json={"route": "transferred_out"}), 422, "validation_failed", before)
    assert [p["field"] for p in body["problems"]] == ["to_organ"]
    _refused(review_app, client.post(f"/api/v1/triage/items/{pid}/decline", headers=officer, json={"reasons": "x"}),
             422, "validation_failed", before)
    assert client.post(f"/api/v1/triage/items/{pid}/route", headers=officer, json=here).status_code == 200
    after = _stored(review_app)
    _refused(review_app, client.post(f"/api/v1/triage/items/{pid}/decline", headers=officer,
                                     json={"reasons": "不属于受理范围", "basis": "《信访工作条例》第十四条"}),
             409, "wrong_state", after)


def test_bulk_over_the_api(review_app: Flask, client: Any, test_keys: AuthKeys) -> None:
    ids = [_receive(review_app, n, division="411302") for n in range(1, 4)]
    officer = test_keys.headers("triage_officer")
    too_many = client.post("/api/v1/triage/bulk", headers=officer,
                           json={"action": "classify", "petition_ids": [f"x{i}" for i in range(201)],
                                 "is_enterprise": True, "enterprise_reason": "企业"})
    assert too_many.status_code == 422 and too_many.json["problems"][0]["field"] == "petition_ids"
    answer = client.post("/api/v1/triage/bulk", headers=officer,
                         json={"action": "assign", "petition_ids": [*ids, "missing"], "to_unit_code": "NY-JCY-WC",
                               "days": 20})
    assert answer.status_code == 200, answer.json
    assert (answer.json["done"], answer.json["refused"]) == (3, 1)
    assert answer.json["results"][-1] == {"petition_id": "missing", "ok": False, "status": None, "case_number": None,
                                          "code": "item_not_found",
                                          "message": {"zh": "未找到该事项", "en": "No such matter"}}
    queue = client.get("/api/v1/triage/queue?status=routed&handling_unit=NY-JCY-WC", headers=officer).json
    assert {r["item"]["petition_id"] for r in queue["rows"]} == set(ids) and queue["counts"]["routed"] == 3
