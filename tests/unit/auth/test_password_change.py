"""Changing a password (`POST /api/v1/auth/password`) and the administrators' rotation rule.

The clock is the test's (`Clock`): passwords age by moving it, never by sleeping.  The demo
accounts were seeded at the clock's starting time, so at the start every password is new.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.review.identity.accounts import signin
from services.review.identity.accounts.demo import DEMO_PASSWORD
from services.review.identity.accounts.models import StaffAccount, WebSession
from services.review.identity.accounts.totp import code_at
from shared.audit.models import AuditEntry
from shared.auth.config import AuthSettings
from shared.db.base import utcnow
from shared.db.engine import make_engine, make_session_factory
from tests.unit.auth.conftest import Clock

ADMIN_SECRET = "HUHANGDEMOADMINSECRETONLYFORDEMO"
TASK_FORCE_SECRET = "HUHANGDEMOTASKFORCEONLYFORDEMOXX"
NEW = "Wancheng#2027-spring"
PATH = "/api/v1/auth/password"


def _token(client: FlaskClient, username: str, password: str = DEMO_PASSWORD, totp: str | None = None) -> Any:
    body = {"username": username, "password": password}
    if totp is not None:
        body["totp"] = totp
    return client.post("/api/v1/auth/token", json=body)


def _bearer(client: FlaskClient, username: str, password: str = DEMO_PASSWORD, totp: str | None = None) -> dict[str, str]:
    resp = _token(client, username, password, totp)
    assert resp.status_code == 200, resp.json
    return {"Authorization": f"Bearer {resp.json['access_token']}"}


def _account(app: Flask, username: str) -> StaffAccount:
    with app.extensions["huhang"].session_factory() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()
        session.expunge(account)
        return account


def _audit_rows(app: Flask) -> list[AuditEntry]:
    with app.extensions["huhang"].session_factory() as session:
        rows = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        session.expunge_all()
        return rows


# --- signed in ----------------------------------------------------------------------------------


def test_a_signed_in_user_changes_the_password_and_the_old_one_stops_working(
    review_app: Flask, review_client: FlaskClient, clock: Clock
) -> None:
    headers = _bearer(review_client, "demo-triage")
    clock.advance(days=3)
    resp = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW}, headers=headers)
    assert resp.status_code == 200, resp.json
    assert resp.json["username"] == "demo-triage" and resp.json["sessions_ended"] == 0
    account = _account(review_app, "demo-triage")
    assert account.password_changed_at == clock() and account.password_hash.startswith("$argon2id$")
    assert _token(review_client, "demo-triage").status_code == 401  # the old password
    assert _token(review_client, "demo-triage", NEW).status_code == 200


def test_without_a_token_or_session_or_username_it_is_401(review_client: FlaskClient) -> None:
    resp = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW})
    assert resp.status_code == 401 and resp.json["code"] == "unauthenticated"
    forged = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW},
                                headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401 and forged.json["code"] == "invalid_token"


def test_a_token_whose_account_does_not_exist_is_refused(review_client: FlaskClient, test_keys) -> None:  # type: ignore[no-untyped-def]
    resp = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW},
                              headers=test_keys.headers("case_handler"))
    assert resp.status_code == 401 and resp.json["code"] == "unauthenticated"


def test_a_wrong_current_password_is_a_failed_sign_in_toward_the_lock(
    review_app: Flask, review_client: FlaskClient, clock: Clock
) -> None:
    headers = _bearer(review_client, "demo-judge")
    for _ in range(4):
        assert _token(review_client, "demo-judge", "Wrong!2026password").status_code == 401
    wrong = review_client.post(PATH, json={"current_password": "Wrong!2026password", "new_password": NEW},
                               headers=headers)
    assert wrong.status_code == 401
    assert wrong.json == _token(review_client, "no-such-user").json  # the same answer as any failed sign-in
    # The fifth failure in a row locked the account: the right password no longer signs in ...
    assert _token(review_client, "demo-judge").status_code == 401
    assert _account(review_app, "demo-judge").locked_until == clock() + signin.LOCK_FOR
    # ... nor changes the password while the lock lasts.
    locked = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW}, headers=headers)
    assert locked.status_code == 401 and locked.json["code"] == "sign_in_failed"
    actions = [(r.action, (r.detail or {}).get("reason")) for r in _audit_rows(review_app)]
    assert ("auth.sign_in_failed", "password") in actions and ("auth.locked", None) in actions
    assert not any(a == "account.password_changed" for a, _ in actions)


@pytest.mark.parametrize(("new_password", "rules", "zh"), [
    ("Short#1a", ["min_length"], "至少12位"),
    ("onlylowercaseletters", ["character_classes"], "至少三类"),
    ("Xdemo-handler-2027", ["contains_username"], "不得包含用户名"),
    ("Aa1!" * 33, ["max_length"], "不超过128位"),
    ("short", ["min_length", "character_classes"], "至少12位"),
])
def test_the_policy_applies_to_the_new_password(
    review_app: Flask, review_client: FlaskClient, new_password: str, rules: list[str], zh: str
) -> None:
    headers = _bearer(review_client, "demo-handler")
    resp = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": new_password},
                              headers=headers)
    assert resp.status_code == 422 and resp.json["code"] == "weak_password"
    assert resp.json["errors"]["rules"] == rules
    assert zh in resp.json["message"]["zh"] and "policy" in resp.json["message"]["en"]
    assert _token(review_client, "demo-handler").status_code == 200  # unchanged
    assert _account(review_app, "demo-handler").failed_count == 0  # a refused new password is not a failure


def test_the_current_password_cannot_be_reused(review_client: FlaskClient) -> None:
    headers = _bearer(review_client, "demo-handler")
    resp = review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD},
                              headers=headers)
    assert resp.status_code == 422 and resp.json["code"] == "password_reused"
    assert resp.json["message"]["zh"] and resp.json["message"]["en"]


def test_a_change_ends_every_other_session_but_the_callers(review_app: Flask, clock: Clock) -> None:
    body = {"username": "demo-leader", "password": DEMO_PASSWORD}
    browsers = [review_app.test_client() for _ in range(3)]
    for browser in browsers:
        assert browser.post("/api/v1/auth/sessions", json=body).status_code == 201
    mine, other, third = browsers
    resp = mine.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW})
    assert resp.status_code == 200, resp.json
    assert resp.json["sessions_ended"] == 2
    assert mine.get("/api/v1/auth/me").status_code == 200  # the caller's own session goes on
    assert other.get("/api/v1/auth/me").status_code == 401
    assert third.get("/api/v1/auth/me").status_code == 401
    # Changed by token: no session is the caller's, so every one ends.
    headers = _bearer(review_app.test_client(), "demo-leader", NEW)
    clock.advance(minutes=1)
    again = review_app.test_client().post(PATH, json={"current_password": NEW, "new_password": "Leader$2027-autumn"},
                                          headers=headers)
    assert again.status_code == 200 and again.json["sessions_ended"] == 1
    assert mine.get("/api/v1/auth/me").status_code == 401
    with review_app.extensions["huhang"].session_factory() as session:
        leader = _account(review_app, "demo-leader").id
        rows = session.scalars(select(WebSession).where(WebSession.account_id == leader)).all()
        assert len(rows) == 3 and all(r.ended_at is not None for r in rows)


def test_the_change_is_audited_without_any_password(review_app: Flask, review_client: FlaskClient) -> None:
    headers = _bearer(review_client, "demo-12368")
    assert review_client.post(PATH, json={"current_password": DEMO_PASSWORD, "new_password": NEW},
                              headers=headers).status_code == 200
    rows = _audit_rows(review_app)
    changed = [r for r in rows if r.action == "account.password_changed"]
    assert len(changed) == 1
    row = changed[0]
    assert row.outcome == "success" and row.actor == "demo-12368"
    assert row.subject_type == "staff_account" and row.subject_id == _account(review_app, "demo-12368").id
    assert row.detail == {"signed_in": True, "sessions_ended": 0}
    for entry in rows:  # no row anywhere carries either password, in clear
        text = json.dumps([entry.before, entry.after, entry.detail], ensure_ascii=False, default=str)
        assert DEMO_PASSWORD not in text and NEW not in text


# --- not signed in: username, password and TOTP in the body -------------------------------------


def test_the_not_signed_in_form_checks_the_second_factor(review_client: FlaskClient, clock: Clock) -> None:
    body = {"username": "demo-admin", "current_password": DEMO_PASSWORD, "new_password": NEW}
    missing = review_client.post(PATH, json=body)
    assert missing.status_code == 401 and missing.json["code"] == "totp_required"
    wrong = review_client.post(PATH, json={**body, "totp": "000000"})
    assert wrong.status_code == 401 and wrong.json["code"] == "sign_in_failed"
    code = code_at(ADMIN_SECRET, clock())
    assert _token(review_client, "demo-admin", totp=code).status_code == 200
    replayed = review_client.post(PATH, json={**body, "totp": code})  # a code is usable once, here too
    assert replayed.status_code == 401 and replayed.json["code"] == "sign_in_failed"
    clock.advance(seconds=30)
    assert review_client.post(PATH, json={**body, "totp": code_at(ADMIN_SECRET, clock())}).status_code == 200


def test_an_unknown_username_answers_like_a_failed_sign_in(review_client: FlaskClient) -> None:
    resp = review_client.post(PATH, json={"username": "no-such-user", "current_password": DEMO_PASSWORD,
                                          "new_password": NEW})
    assert resp.status_code == 401 and resp.json == _token(review_client, "no-such-user").json


# --- rotation of administrators' passwords ------------------------------------------------------


def test_an_admin_with_an_old_password_must_change_it_then_signs_in(
    review_app: Flask, review_client: FlaskClient, clock: Clock
) -> None:
    clock.advance(days=90)
    assert _token(review_client, "demo-admin", totp=code_at(ADMIN_SECRET, clock())).status_code == 200  # 90 days: fine
    clock.advance(seconds=31)  # now older than 90 days (and a new TOTP step)
    # A wrong password or code reveals nothing about the expiry.
    assert _token(review_client, "demo-admin", "Wrong!2026password", totp=code_at(ADMIN_SECRET, clock())).json[
        "code"] == "sign_in_failed"
    expired = _token(review_client, "demo-admin", totp=code_at(ADMIN_SECRET, clock()))
    assert expired.status_code == 403 and expired.json["code"] == "password_expired"
    assert "access_token" not in expired.json
    assert "/api/v1/auth/password" in expired.json["message"]["en"] and "修改密码" in expired.json["message"]["zh"]
    clock.advance(seconds=30)
    browser = review_app.test_client()
    session = browser.post("/api/v1/auth/sessions", json={"username": "demo-admin", "password": DEMO_PASSWORD,
                                                          "totp": code_at(ADMIN_SECRET, clock())})
    assert session.status_code == 403 and session.json["code"] == "password_expired"
    assert "Set-Cookie" not in session.headers
    assert _account(review_app, "demo-admin").failed_count == 0  # an expired password is not a failure
    # The way out: the change endpoint, not signed in, with the next TOTP code.
    clock.advance(seconds=30)
    changed = review_client.post(PATH, json={"username": "demo-admin", "current_password": DEMO_PASSWORD,
                                             "new_password": NEW, "totp": code_at(ADMIN_SECRET, clock())})
    assert changed.status_code == 200, changed.json
    assert changed.json["password_changed_at"].startswith(clock().date().isoformat())
    clock.advance(seconds=30)
    assert _token(review_client, "demo-admin", NEW, totp=code_at(ADMIN_SECRET, clock())).status_code == 200
    actions = [r.action for r in _audit_rows(review_app)]
    assert actions.count("auth.password_expired") == 2 and "account.password_changed" in actions


@pytest.mark.parametrize(("username", "secret"), [
    ("demo-handler", None), ("demo-auditor", None), ("demo-taskforce", TASK_FORCE_SECRET),
])
def test_other_staff_are_not_forced_to_rotate(
    review_client: FlaskClient, clock: Clock, username: str, secret: str | None
) -> None:
    clock.advance(days=400)
    resp = _token(review_client, username, totp=code_at(secret, clock()) if secret else None)
    assert resp.status_code == 200, resp.json


@pytest.fixture
def thirty_day_rotation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS", "30")


def test_the_maximum_age_is_a_setting(
    thirty_day_rotation: None, review_client: FlaskClient, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.advance(days=31)
    resp = _token(review_client, "demo-admin", totp=code_at(ADMIN_SECRET, clock()))
    assert resp.status_code == 403 and resp.json["code"] == "password_expired"
    assert AuthSettings().admin_password_max_age_days == 30
    monkeypatch.delenv("HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS")
    assert AuthSettings().admin_password_max_age_days == 90
    monkeypatch.setenv("HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS", "0")
    with pytest.raises(ValueError, match="at least 1"):
        AuthSettings()


@pytest.fixture
def seeded_now(migrated_templates: dict[str, Path], tmp_path: Path) -> Iterator[Any]:
    path = tmp_path / "review.db"
    shutil.copy(migrated_templates["review"], path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    with factory() as session:  # `huhang db seed` loads the units before the accounts that name them
        from services.review.identity.units import service as units

        units.seed(session)
        session.commit()
    yield factory
    engine.dispose()


def test_huhang_db_seed_makes_a_demo_admin_whose_password_is_new(seeded_now: Any) -> None:
    from services.review.identity.accounts.seed import seed_demo_accounts

    before = utcnow()
    with seeded_now() as session:
        seed_demo_accounts(session, production=False)
        session.commit()
        admin = session.scalars(select(StaffAccount).where(StaffAccount.username == "demo-admin")).one()
        assert before <= admin.password_changed_at <= utcnow()
        assert not signin.password_expired(admin, utcnow())
        assert signin.password_expired(admin, utcnow() + timedelta(days=91))
