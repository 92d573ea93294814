"""The audit rows of account events are authored by one `Actor`: name, unit, client address, trace id."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.review.identity.accounts.demo import DEMO_PASSWORD
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.accounts.totp import code_at
from shared.audit.models import AuditEntry
from tests.unit.auth.conftest import Clock

ADMIN_SECRET = "HUHANGDEMOADMINSECRETONLYFORDEMO"
TRACE = "trace-account-audit-1"


def _rows(app: Flask, action: str) -> list[AuditEntry]:
    with app.extensions["huhang"].session_factory() as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))
        session.expunge_all()
        return rows


def test_a_sign_in_is_recorded_under_the_claimed_account_from_the_callers_address(
    review_app: Flask, review_client: FlaskClient
) -> None:
    body = {"username": "demo-handler", "password": DEMO_PASSWORD}
    resp = review_client.post("/api/v1/auth/token", json=body, headers={"X-Trace-Id": TRACE},
                              environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert resp.status_code == 200
    failed = review_client.post("/api/v1/auth/token", json={"username": "nobody-at-all", "password": "x"},
                                environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert failed.status_code == 401
    (ok,) = _rows(review_app, "auth.sign_in")
    assert (ok.actor, ok.actor_unit, ok.client_addr, ok.trace_id) == ("demo-handler", "NY-JCY-WC", "10.1.2.3", TRACE)
    unknown = _rows(review_app, "auth.sign_in_failed")[-1]
    assert (unknown.actor, unknown.actor_unit, unknown.client_addr) == ("nobody-at-all", None, "10.9.9.9")
    assert unknown.subject_id is None


def test_an_unlock_is_recorded_under_the_administrator(review_app: Flask, review_client: FlaskClient, clock: Clock) -> None:
    admin = review_client.post("/api/v1/auth/token", json={
        "username": "demo-admin", "password": DEMO_PASSWORD, "totp": code_at(ADMIN_SECRET, clock())})
    assert admin.status_code == 200, admin.json
    with review_app.extensions["huhang"].session_factory() as session:
        judge = session.scalars(select(StaffAccount).where(StaffAccount.username == "demo-judge")).one()
    resp = review_client.post(f"/api/v1/accounts/{judge.id}/unlock", environ_base={"REMOTE_ADDR": "10.4.4.4"},
                              headers={"Authorization": f"Bearer {admin.json['access_token']}"})
    assert resp.status_code == 200
    (row,) = _rows(review_app, "account.unlock")
    assert (row.actor, row.actor_unit, row.client_addr) == ("demo-admin", "NY-JCY", "10.4.4.4")
    assert row.subject_id == judge.id and row.detail == {"account": "demo-judge"}
