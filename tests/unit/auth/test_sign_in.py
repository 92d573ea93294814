"""Sign-in over the review app: lockout and unlock, TOTP, sessions, password policy, audit."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.review.identity.accounts import passwords
from services.review.identity.accounts.demo import DEMO_PASSWORD
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.accounts.totp import code_at
from shared.audit.models import AuditEntry
from tests.unit.auth.conftest import Clock

ADMIN_SECRET = "HUHANGDEMOADMINSECRETONLYFORDEMO"
COOKIE = "__Host-huhang_session"


def _token(client: FlaskClient, username: str, password: str = DEMO_PASSWORD, totp: str | None = None):  # type: ignore[no-untyped-def]
    body = {"username": username, "password": password}
    if totp is not None:
        body["totp"] = totp
    return client.post("/api/v1/auth/token", json=body)


def _account(app: Flask, username: str) -> StaffAccount:
    with app.extensions["huhang"].session_factory() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()
        session.expunge(account)
        return account


def _actions(app: Flask) -> list[tuple[str, str]]:
    with app.extensions["huhang"].session_factory() as session:
        return [(e.action, e.outcome) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_sign_in_issues_a_token_that_carries_unit_and_roles(review_client: FlaskClient) -> None:
    resp = _token(review_client, "demo-handler")
    assert resp.status_code == 200, resp.json
    assert resp.json["token_type"] == "Bearer" and resp.json["expires_in"] == 900
    me = review_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {resp.json['access_token']}"})
    assert me.status_code == 200
    assert me.json["username"] == "demo-handler" and me.json["unit_code"] == "NY-JCY-WC"
    assert me.json["roles"] == ["case_handler"] and me.json["visible_units"] == ["NY-JCY-WC"]


def test_unknown_user_and_wrong_password_answer_the_same(review_client: FlaskClient) -> None:
    unknown = _token(review_client, "no-such-user")
    wrong = _token(review_client, "demo-12309", "Wrong!2026password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json == wrong.json
    assert wrong.json["code"] == "sign_in_failed"


def test_five_failures_lock_for_15_minutes_then_time_unlocks(review_app: Flask, review_client: FlaskClient, clock: Clock) -> None:
    for _ in range(5):
        assert _token(review_client, "demo-12309", "Wrong!2026password").status_code == 401
    locked = _token(review_client, "demo-12309")  # the right password, but locked
    assert locked.status_code == 401
    assert locked.json == _token(review_client, "no-such-user").json  # a lock is not revealed
    assert _account(review_app, "demo-12309").locked_until is not None
    clock.advance(minutes=14, seconds=59)
    assert _token(review_client, "demo-12309").status_code == 401
    clock.advance(seconds=1)
    assert _token(review_client, "demo-12309").status_code == 200
    actions = _actions(review_app)
    assert actions.count(("auth.sign_in_failed", "failure")) >= 7
    assert ("auth.locked", "success") in actions and actions[-1] == ("auth.sign_in", "success")


def test_four_failures_do_not_lock_and_a_success_resets_the_count(review_app: Flask, review_client: FlaskClient) -> None:
    for _ in range(4):
        _token(review_client, "demo-triage", "Wrong!2026password")
    assert _token(review_client, "demo-triage").status_code == 200
    assert _account(review_app, "demo-triage").failed_count == 0


def test_admin_unlocks_a_locked_account(review_app: Flask, review_client: FlaskClient, clock: Clock) -> None:
    for _ in range(5):
        _token(review_client, "demo-judge", "Wrong!2026password")
    assert _token(review_client, "demo-judge").status_code == 401
    admin = _token(review_client, "demo-admin", totp=code_at(ADMIN_SECRET, clock()))
    assert admin.status_code == 200, admin.json
    headers = {"Authorization": f"Bearer {admin.json['access_token']}"}
    judge_id = _account(review_app, "demo-judge").id
    listed = review_client.get("/api/v1/accounts", headers=headers)
    assert listed.status_code == 200
    row = next(a for a in listed.json if a["username"] == "demo-judge")
    assert row["locked"] is True
    assert not any("hash" in k or "secret" in k for k in row)  # nothing secret leaves review
    unlocked = review_client.post(f"/api/v1/accounts/{judge_id}/unlock", headers=headers)
    assert unlocked.status_code == 200 and unlocked.json["locked"] is False
    assert _token(review_client, "demo-judge").status_code == 200
    assert ("account.unlock", "success") in _actions(review_app)


def test_only_admins_unlock_or_list_accounts(review_app: Flask, review_client: FlaskClient, test_keys) -> None:  # type: ignore[no-untyped-def]
    judge_id = _account(review_app, "demo-judge").id
    for role in ("unit_leader", "auditor", "task_force"):
        headers = test_keys.headers(role)
        assert review_client.get("/api/v1/accounts", headers=headers).status_code == 403
        assert review_client.post(f"/api/v1/accounts/{judge_id}/unlock", headers=headers).status_code == 403


def test_admin_and_task_force_need_totp(review_client: FlaskClient, clock: Clock) -> None:
    for username in ("demo-admin", "demo-taskforce"):
        resp = _token(review_client, username)
        assert resp.status_code == 401 and resp.json["code"] == "totp_required"
        assert "access_token" not in resp.json
    assert _token(review_client, "demo-admin", totp="000000").status_code == 401
    good = _token(review_client, "demo-taskforce", totp=code_at("HUHANGDEMOTASKFORCEONLYFORDEMOXX", clock()))
    assert good.status_code == 200


def test_a_totp_code_is_usable_once(review_client: FlaskClient, clock: Clock) -> None:
    code = code_at(ADMIN_SECRET, clock())
    assert _token(review_client, "demo-admin", totp=code).status_code == 200
    replay = _token(review_client, "demo-admin", totp=code)
    assert replay.status_code == 401 and replay.json["code"] == "sign_in_failed"
    # The previous step's code (within the ±1 window) is older than the one used: refused too.
    clock.advance(seconds=30)
    assert _token(review_client, "demo-admin", totp=code).status_code == 401
    assert _token(review_client, "demo-admin", totp=code_at(ADMIN_SECRET, clock())).status_code == 200


def test_a_code_two_steps_old_is_refused(review_client: FlaskClient, clock: Clock) -> None:
    old = code_at(ADMIN_SECRET, clock())
    clock.advance(seconds=61)
    assert _token(review_client, "demo-admin", totp=old).status_code == 401


def test_web_session_cookie_flags_idle_timeout_and_sign_out(review_client: FlaskClient, clock: Clock) -> None:
    resp = review_client.post("/api/v1/auth/sessions", json={"username": "demo-triage", "password": DEMO_PASSWORD})
    assert resp.status_code == 201, resp.json
    cookie = resp.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie
    assert review_client.get("/api/v1/triage").status_code == 200
    clock.advance(minutes=29)
    assert review_client.get("/api/v1/triage").status_code == 200  # activity moves the idle clock
    clock.advance(minutes=29)
    assert review_client.get("/api/v1/triage").status_code == 200
    clock.advance(minutes=30)
    assert review_client.get("/api/v1/triage").status_code == 401  # 30 idle minutes


def test_sign_out_ends_the_session_on_the_server(review_client: FlaskClient) -> None:
    resp = review_client.post("/api/v1/auth/sessions", json={"username": "demo-triage", "password": DEMO_PASSWORD})
    token = resp.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert review_client.delete("/api/v1/auth/sessions/current").status_code == 204
    # The old cookie value, replayed, no longer works: the row is ended, not just the cookie cleared.
    review_client.set_cookie(COOKIE, token)
    assert review_client.get("/api/v1/triage").status_code == 401


def test_each_sign_in_gets_a_new_session_id(review_client: FlaskClient) -> None:
    body = {"username": "demo-triage", "password": DEMO_PASSWORD}
    first = review_client.post("/api/v1/auth/sessions", json=body).headers["Set-Cookie"]
    second = review_client.post("/api/v1/auth/sessions", json=body).headers["Set-Cookie"]
    assert first.split(";")[0] != second.split(";")[0]


def test_absolute_session_timeout(review_client: FlaskClient, clock: Clock) -> None:
    review_client.post("/api/v1/auth/sessions", json={"username": "demo-triage", "password": DEMO_PASSWORD})
    for _ in range(25):  # active every 29 minutes for 12 hours
        clock.advance(minutes=29)
        status = review_client.get("/api/v1/triage").status_code
    assert status == 401


@pytest.mark.parametrize(("password", "ok"), [
    ("Demo!2026huhang", True),
    ("short1!A", False),  # too short
    ("alllowercaseletters", False),  # one class
    ("lowercase123456", False),  # two classes
    ("lowercase-1234567", True),  # three classes
    ("Xdemo-12309-abc", False),  # contains the username
])
def test_password_policy(password: str, ok: bool) -> None:
    assert (passwords.policy_problems(password, username="demo-12309") == []) is ok


def test_passwords_are_argon2id_hashes(review_app: Flask) -> None:
    account = _account(review_app, "demo-12309")
    assert account.password_hash.startswith("$argon2id$")
    assert DEMO_PASSWORD not in account.password_hash
    assert account.totp_secret_enc is None
    admin = _account(review_app, "demo-admin")
    assert admin.totp_secret_enc and ADMIN_SECRET not in admin.totp_secret_enc


def test_units_are_readable_by_signed_in_users(review_client: FlaskClient, test_keys) -> None:  # type: ignore[no-untyped-def]
    assert review_client.get("/api/v1/units").status_code == 401
    resp = review_client.get("/api/v1/units", headers=test_keys.headers("case_handler"))
    assert resp.status_code == 200
    codes = {u["code"]: u for u in resp.json}
    assert len([u for u in resp.json if u["kind"] == "procuratorate" and u["parent_code"] == "NY-JCY"]) == 13
    assert len([u for u in resp.json if u["kind"] == "court" and u["parent_code"] == "NY-FY"]) == 13
    assert codes["NY-JCY-KS"]["receives"] == "12309" and codes["NY-FY-SF"]["receives"] == "12368"
    assert codes["NY-JCY-ZB"]["kind"] == "task_force"


def test_jwks_publishes_the_signing_key(review_client: FlaskClient, test_keys) -> None:  # type: ignore[no-untyped-def]
    from shared.auth.keys import public_jwk

    doc = review_client.get("/.well-known/jwks.json").json
    assert doc["keys"] == [public_jwk(test_keys.private_key.public_key())]
    assert "d" not in doc["keys"][0]  # never the private part


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/auth/sessions"])
def test_a_sign_in_body_nested_thousands_deep_is_422_and_counts_no_failure(
    review_app: Flask, review_client: FlaskClient, path: str,
) -> None:
    before = _actions(review_app)  # the seeded accounts' rows
    resp = review_client.post(path, data='{"username": ' + "[" * 5000 + "]" * 5000 + "}",
                              content_type="application/json")
    assert resp.status_code == 422 and resp.json["code"] == "json_too_deep"
    # Nothing was read, so nothing was counted against an account or written to the audit log.
    assert _actions(review_app) == before


def test_forty_names_from_one_address_are_throttled_after_twenty_failures(
    review_app: Flask, review_client: FlaskClient, clock: Clock,
) -> None:
    """Credential stuffing: one wrong password each on 40 names never locks an account, so the address is limited."""
    answers = [_token(review_client, f"stuffed-{n}", "Guess!2026password").status_code for n in range(40)]
    assert answers[:20] == [401] * 20 and answers[20:] == [429] * 20
    throttled = _token(review_client, "demo-12309")  # the right password, from the throttled address
    assert throttled.status_code == 429 and throttled.json["code"] == "sign_in_throttled"
    assert 1 <= int(throttled.headers["Retry-After"]) <= 15 * 60 + 1
    assert throttled.json["message"]["zh"] and throttled.json["message"]["en"]
    actions = _actions(review_app)
    assert actions.count(("auth.sign_in_failed", "failure")) == 20
    assert actions.count(("auth.sign_in_throttled", "denied")) == 21
    # Another address is not affected, and the window frees the first one.
    other = review_client.post("/api/v1/auth/token", json={"username": "demo-12309", "password": DEMO_PASSWORD},
                               environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 200
    clock.advance(minutes=15, seconds=1)
    assert _token(review_client, "demo-12309").status_code == 200
