"""The petition API in-process: validation, idempotency, masking, outbox row in the same commit."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.calendar.clock import beijing_today
from shared.events import decode
from shared.outbox import OutboxMessage


def _count(app: Flask, model: Any) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_register_answers_201_with_id_and_case_number(intake_app: Flask, intake_client: FlaskClient) -> None:
    resp = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE)
    assert resp.status_code == 201, resp.json
    body = resp.json
    # The clerk is of 市院控告申诉检察部: numbered under the 市院's 代字, in this year.
    assert re.fullmatch(rf"宛检12309〔{beijing_today().year}〕[1-9]\d*号", body["case_number"]), body["case_number"]
    assert resp.headers["Location"] == f"/api/v1/petitions/{body['id']}"
    # Personal numbers are masked in the answer.
    assert body["petitioner"]["id_number"] == "4113**********1236"
    assert body["petitioner"]["phone"] == "138****8000"
    assert body["is_enterprise"] is True
    with intake_app.extensions["huhang"].session_factory() as session:
        row = session.scalars(select(OutboxMessage)).one()
        event = decode(row.payload)
    assert event.type == "petition.received" and event.subject == body["id"]
    assert event.data["case_number"] == body["case_number"]
    # No ID number in the event (its prefix 411302 is also the enterprise's 县区, which the event carries).
    assert "411302199001011236" not in row.payload.decode() and "199001011236" not in row.payload.decode()
    assert event.trace_id == resp.headers["X-Trace-Id"]


def test_same_idempotency_key_replays_and_creates_nothing(intake_app: Flask, intake_client: FlaskClient) -> None:
    headers = {"Idempotency-Key": "k-123"}
    first = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers)
    second = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers)
    assert first.status_code == second.status_code == 201
    # The same petition; the code was shown by the first answer only (it is kept as a hash).
    assert {**first.json, "query_code": None} == second.json and first.json["query_code"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert _count(intake_app, Petition) == 1
    assert _count(intake_app, OutboxMessage) == 1


def test_same_key_with_another_body_is_a_conflict(intake_app: Flask, intake_client: FlaskClient) -> None:
    headers = {"Idempotency-Key": "k-9"}
    assert intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=headers).status_code == 201
    other = copy.deepcopy(PETITION_EXAMPLE) | {"claim": "另一诉求"}
    resp = intake_client.post("/api/v1/petitions", json=other, headers=headers)
    assert resp.status_code == 409
    assert resp.json["code"] == "idempotency_key_reused"
    assert resp.json["message"]["zh"] and resp.json["message"]["en"]
    assert _count(intake_app, Petition) == 1


def _mutate(path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(PETITION_EXAMPLE)
    target = body
    *parents, last = path.split(".")
    for p in parents:
        target = target[p]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return body


_DELETE = object()


@pytest.mark.parametrize(
    "path, value, field",
    [
        ("channel", "传真", "channel"),
        ("line", "110", "line"),
        ("petition_type", "联系法官", "petition_type"),  # a 12368 type on the 12309 line
        ("petitioner.id_number", "411302199001011237", "petitioner"),
        ("petitioner.phone", "12345", "petitioner"),
        ("enterprise.credit_code", "91411302MA44TFGN0A", "enterprise"),
        ("claim", _DELETE, "claim"),
        ("claim", "", "claim"),
        ("received_at", "2026-09-30T23:30:00", "received_at"),  # naive: refused
        ("unexpected", 1, "unexpected"),
    ],
)
def test_invalid_payload_is_422_with_field_messages_and_nothing_stored(
    intake_app: Flask, intake_client: FlaskClient, path: str, value: Any, field: str
) -> None:
    resp = intake_client.post("/api/v1/petitions", json=_mutate(path, value))
    assert resp.status_code == 422, resp.json
    assert resp.json["code"] == "validation_failed"
    assert field in resp.json["errors"]
    assert _count(intake_app, Petition) == 0 and _count(intake_app, OutboxMessage) == 0


def test_invalid_json_is_422(intake_app: Flask, intake_client: FlaskClient) -> None:
    resp = intake_client.post("/api/v1/petitions", data="{oops", content_type="application/json")
    assert resp.status_code == 422
    assert resp.json["code"] == "invalid_json"
    assert _count(intake_app, Petition) == 0


def test_received_on_is_the_beijing_date(intake_client: FlaskClient) -> None:
    # 23:30 Beijing time on 30 September is 15:30 UTC: received on the 30th.
    body = _mutate("received_at", "2025-09-30T15:30:00+00:00")
    resp = intake_client.post("/api/v1/petitions", json=body)
    assert resp.status_code == 201
    assert resp.json["received_on"] == "2025-09-30"
    # The number's year is the year of registration (收案年度), not of receipt.
    assert resp.json["case_number"].startswith(f"宛检12309〔{beijing_today().year}〕")


def test_future_receipt_is_refused(intake_client: FlaskClient) -> None:
    resp = intake_client.post("/api/v1/petitions", json=_mutate("received_at", "2999-01-01T00:00:00+00:00"))
    assert resp.status_code == 422 and resp.json["code"] == "received_in_future"


def test_openapi_examples_are_valid_requests(intake_client: FlaskClient) -> None:
    spec = intake_client.get("/openapi.json").json
    post = spec["paths"]["/api/v1/petitions"]["post"]
    example = post["requestBody"]["content"]["application/json"]["example"]
    assert intake_client.post("/api/v1/petitions", json=example).status_code == 201


def test_unknown_petition_is_404_in_the_shared_error_shape(intake_client: FlaskClient) -> None:
    resp = intake_client.get("/api/v1/petitions/does-not-exist")
    assert resp.status_code == 404
    assert resp.json["code"] == "not_found" and resp.json["message"]["zh"]


def test_health_and_readiness(intake_client: FlaskClient) -> None:
    assert intake_client.get("/healthz").status_code == 200
    ready = intake_client.get("/readyz")
    # The unit settings point at a closed port: the broker is unreachable, so not ready.
    assert ready.status_code == 503
    assert ready.json["checks"] == {"database": "ok", "broker": "unavailable"}


def test_database_down_is_503_not_500(settings_for, test_keys) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from services.intake import create_app

    broken = replace(settings_for("intake"), database_url="postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    client = create_app({"TESTING": True}, settings=broken).test_client()
    resp = client.post("/api/v1/petitions", json=PETITION_EXAMPLE, headers=test_keys.headers("intake_clerk"))
    assert resp.status_code == 503
    assert resp.json["code"] == "unavailable"
    assert client.get("/readyz").json["checks"]["database"].startswith("unavailable")


@pytest.mark.parametrize("path", ["/api/v1/petitions", "/api/v1/public/petitions", "/api/v1/public/status-queries"])
def test_a_body_nested_thousands_deep_is_422_not_500_and_nothing_stored(
    intake_app: Flask, intake_client: FlaskClient, path: str,
) -> None:
    deep = "[" * 5000 + "]" * 5000
    resp = intake_client.post(path, data=deep, content_type="application/json")
    assert resp.status_code == 422, resp.get_data(as_text=True)[:200]
    assert resp.json["code"] == "json_too_deep"
    assert resp.json["message"]["zh"] and resp.json["message"]["en"]
    assert _count(intake_app, Petition) == 0 and _count(intake_app, OutboxMessage) == 0


@pytest.mark.parametrize("received_at, status", [
    ("1990-05-01T09:00:00+08:00", 422),
    ("2019-11-20T23:59:00+08:00", 422),  # the day before the floor, in Beijing
    ("2019-11-20T16:30:00+00:00", 201),  # 2019-11-21 00:30 in Beijing: the floor itself
])
def test_a_petition_received_before_the_floor_is_refused_and_nothing_stored(
    intake_app: Flask, intake_client: FlaskClient, received_at: str, status: int,
) -> None:
    resp = intake_client.post("/api/v1/petitions", json={**_mutate("received_at", received_at)})
    assert resp.status_code == status, resp.json
    if status == 422:
        assert resp.json["code"] == "received_before_floor"
        assert resp.json["problems"][0]["field"] == "received_at"
        assert _count(intake_app, Petition) == 0 and _count(intake_app, OutboxMessage) == 0
    else:
        assert _count(intake_app, Petition) == 1
