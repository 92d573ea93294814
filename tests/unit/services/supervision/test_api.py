"""The 督办 API: each action, its refusals (403/404/409/422 with zh+en and nothing stored), the list."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.review.supervision.models import Supervision, SupervisionReport
from tests.support.auth import AuthKeys
from tests.unit.services.supervision.conftest import MakeItem

OPEN = {"amount": 10, "unit": "working_day", "instructions": "请查明企业账户冻结情况并于期限内报告"}


@pytest.fixture
def api(review_app: Flask, test_keys: AuthKeys) -> Any:
    client: FlaskClient = review_app.test_client()

    def call(method: str, path: str, role: str, unit: str | None = None, body: dict[str, Any] | None = None) -> Any:
        return client.open(path, method=method, json=body, headers=test_keys.headers(role, unit))

    return call


def _stored(app: Flask) -> tuple[int, int]:
    with app.extensions["huhang"].session_factory() as session:
        return (session.scalar(select(func.count()).select_from(Supervision)) or 0,
                session.scalar(select(func.count()).select_from(SupervisionReport)) or 0)


def test_the_whole_loop_over_the_api(review_app: Flask, api: Any, app_item: MakeItem) -> None:
    petition_id = app_item()
    opened = api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader", body=OPEN)
    assert opened.status_code == 201, opened.json
    sid = opened.json["id"]
    assert opened.json["state"] == "open" and opened.json["due_on"] and opened.json["case_number"]
    reported = api("POST", f"/api/v1/supervision/{sid}/reports", "case_handler", body={"text": "已解冻"})
    assert reported.status_code == 201 and reported.json["decision"] is None
    rejected = api("POST", f"/api/v1/supervision/{sid}/reject", "unit_leader", body={"reasons": "请说明原因"})
    assert rejected.json["state"] == "rejected"
    api("POST", f"/api/v1/supervision/{sid}/reports", "case_handler", body={"text": "原因已说明"})
    accepted = api("POST", f"/api/v1/supervision/{sid}/accept", "unit_leader", body={})
    assert accepted.status_code == 200 and accepted.json["state"] == "closed"
    assert [r["decision"] for r in accepted.json["report_history"]] == ["rejected", "accepted"]
    listed = api("GET", "/api/v1/supervision?state=closed", "case_handler")
    assert [r["id"] for r in listed.json["rows"]] == [sid] and listed.json["rows"][0]["overdue"] is False
    assert api("GET", f"/api/v1/supervision/items/{petition_id}", "case_handler").json[0]["id"] == sid


def test_422_names_the_fields_and_stores_nothing(review_app: Flask, api: Any, app_item: MakeItem) -> None:
    petition_id = app_item()
    answer = api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader",
                 body={"amount": 0, "unit": "month", "instructions": "   "})
    assert answer.status_code == 422
    problems = {p["field"]: p for p in answer.json["problems"]}
    assert set(problems) == {"amount", "unit", "instructions"}
    assert problems["instructions"]["code"] == "instructions.blank"
    assert problems["instructions"]["message"]["zh"] and problems["instructions"]["message"]["en"]
    assert _stored(review_app) == (0, 0)


def test_403_for_a_unit_not_above_and_for_answering_for_the_unit_below(
        review_app: Flask, api: Any, app_item: MakeItem) -> None:
    petition_id = app_item()
    refused = api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader", "NY-JCY-WC", body=OPEN)
    assert refused.status_code == 403 and refused.json["code"] == "not_your_unit"
    assert refused.json["message"]["zh"] and refused.json["message"]["en"]
    assert _stored(review_app) == (0, 0)
    sid = api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader", body=OPEN).json["id"]
    answer = api("POST", f"/api/v1/supervision/{sid}/reports", "unit_leader", body={"text": "代为报告"})
    assert answer.status_code == 403 and answer.json["code"] == "not_your_unit"
    assert _stored(review_app) == (1, 0)


def test_404_and_409(review_app: Flask, api: Any, app_item: MakeItem) -> None:
    petition_id = app_item()
    assert api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader", "NY-JCY-WL",
               body=OPEN).status_code == 404
    sid = api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader", body=OPEN).json["id"]
    assert api("GET", f"/api/v1/supervision/{sid}", "case_handler", "NY-JCY-WL").status_code == 404
    again = api("POST", f"/api/v1/supervision/items/{petition_id}", "unit_leader", body=OPEN)
    assert again.status_code == 409 and again.json["code"] == "already_supervised"
    early = api("POST", f"/api/v1/supervision/{sid}/accept", "unit_leader", body={})
    assert early.status_code == 409 and early.json["code"] == "wrong_state"
    assert _stored(review_app) == (1, 0)


def test_roles(api: Any, app_item: MakeItem) -> None:
    petition_id = app_item()
    assert api("POST", f"/api/v1/supervision/items/{petition_id}", "case_handler", "NY-JCY", body=OPEN).status_code == 403
    assert api("GET", "/api/v1/supervision", "intake_clerk").status_code == 403
    assert api("GET", "/api/v1/supervision?after=nonsense-cursor", "unit_leader").status_code == 422
