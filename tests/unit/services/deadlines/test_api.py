"""The deadlines API in-process: history visible, examples accepted, errors in the shared shape."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from services.review.deadlines import attaching
from tests.support.auth import AuthKeys


def _deadline(app: Flask, start: date = date(2026, 10, 8)) -> str:
    with app.extensions["huhang"].session_factory() as s, s.begin():
        return attaching.attach(s, unit_code="NY-JCY-WC", subject="pid-api", case_number="12309-2026-000001",
                              rule_code="12309.result_reply", start_on=start).id


def _examples(client: Any, headers: dict[str, str]) -> dict[str, Any]:
    doc = client.get("/openapi.json").json
    out = {}
    for path, ops in doc["paths"].items():
        post = ops.get("post")
        if post and path.startswith("/api/v1/deadlines"):
            out[path] = post["requestBody"]["content"]["application/json"]["example"]
    return out


def test_the_life_of_a_deadline_through_the_api(review_app: Flask, test_keys: AuthKeys) -> None:
    client = review_app.test_client()
    handler = test_keys.headers("case_handler")
    deadline_id = _deadline(review_app)
    examples = _examples(client, handler)

    listed = client.get("/api/v1/deadlines?subject=pid-api", headers=handler)
    assert listed.status_code == 200 and [d["id"] for d in listed.json] == [deadline_id]
    # Three months from 2026-10-08 reach into 2027, whose notice is not loaded: provisional.
    assert listed.json[0]["due_on"] == "2027-01-08" and listed.json[0]["provisional"] is True

    sus = client.post(f"/api/v1/deadlines/{deadline_id}/suspensions", headers=handler,
                      json=examples["/api/v1/deadlines/{deadline_id}/suspensions"])
    assert sus.status_code == 201, sus.json
    paused = client.get(f"/api/v1/deadlines/{deadline_id}", headers=handler).json
    assert paused["paused"] is True and paused["due_on"] is None

    lift = client.post(f"/api/v1/deadlines/{deadline_id}/suspensions/{sus.json['id']}/lift", headers=handler,
                       json=examples["/api/v1/deadlines/{deadline_id}/suspensions/{suspension_id}/lift"])
    assert lift.status_code == 200, lift.json
    ext = client.post(f"/api/v1/deadlines/{deadline_id}/extensions", headers=handler,
                      json=examples["/api/v1/deadlines/{deadline_id}/extensions"])
    assert ext.status_code == 201, ext.json
    met = client.post(f"/api/v1/deadlines/{deadline_id}/meet", headers=handler,
                      json=examples["/api/v1/deadlines/{deadline_id}/meet"])
    assert met.status_code == 200 and met.json["status"] == "met" and met.json["met_on_time"] is True

    detail = client.get(f"/api/v1/deadlines/{deadline_id}", headers=handler).json
    assert [h["kind"] for h in detail["history"]] == ["set", "suspended", "resumed", "extended", "met"]
    assert detail["history"][1]["actor"] == "user:t-case_handler"
    assert detail["suspensions"][0]["resumed_on"] == "2026-10-20"
    assert detail["extensions"][0]["approved_by"] == "user:jianchazhang"
    # 11 paused days and 5 working days more than the plain 2027-01-08.
    assert detail["due_on"] > "2027-01-19"

    again = client.post(f"/api/v1/deadlines/{deadline_id}/meet", headers=handler, json={})
    assert again.status_code == 409 and again.json["code"] == "deadline_closed"
    assert set(again.json["message"]) == {"zh", "en"}


def test_errors_and_access(review_app: Flask, test_keys: AuthKeys) -> None:
    client = review_app.test_client()
    handler = test_keys.headers("case_handler")
    missing = client.get("/api/v1/deadlines/nope", headers=handler)
    assert missing.status_code == 404 and missing.json["code"] == "deadline_not_found"
    deadline_id = _deadline(review_app)
    bad = client.post(f"/api/v1/deadlines/{deadline_id}/suspensions", headers=handler,
                      json={"reason": "holiday", "basis": "x", "start_on": "2026-13-01"})
    assert bad.status_code == 422 and {"reason", "basis", "start_on"} <= set(bad.json["errors"])
    assert client.get("/api/v1/deadlines").status_code == 401
    assert client.post(f"/api/v1/deadlines/{deadline_id}/meet", json={},
                       headers=test_keys.headers("auditor")).status_code == 403


def test_rules_are_listed_with_their_basis(review_app: Flask, test_keys: AuthKeys) -> None:
    client = review_app.test_client()
    rules = client.get("/api/v1/deadline-rules", headers=test_keys.headers("case_handler")).json
    proc = next(r for r in rules if r["code"] == "12309.procedural_reply")
    assert (proc["amount"], proc["unit"], proc["settings"]) == (7, "day", ["unit"])
    assert "群众来信" in proc["basis"]
