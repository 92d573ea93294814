"""The browser's access cookie (`__Host-huhang_access`): set by review, accepted by intake and notify.

shared/auth checks it like a bearer token (review's key, via the JWKS document), and only when no
Authorization header is sent; an expired one is 401 `session_refresh_required`.  Review sets it
at browser sign-in, keeps it fresh on session-authenticated requests, re-issues it at
`POST /api/v1/auth/sessions/current/refresh` and clears it at sign-out.
"""

from __future__ import annotations


import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from flask.testing import FlaskClient

from services.review.identity.accounts.demo import DEMO_PASSWORD
from shared.auth.cookies import session_binding
from tests.support.auth import AuthKeys
from tests.unit.auth.conftest import api_path as _path

ACCESS = "__Host-huhang_access"
SESSION = "__Host-huhang_session"
REFRESH = "/api/v1/auth/sessions/current/refresh"




def _with_cookie(app: Flask, value: str, name: str = ACCESS) -> FlaskClient:
    """A client holding one cookie (the test client replaces any Cookie header with its own jar)."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _set_cookies(resp) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """name → the whole Set-Cookie header, of every cookie the response sets or clears."""
    return {h.split("=", 1)[0]: h for h in resp.headers.getlist("Set-Cookie")}


def _value(header: str) -> str:
    return header.split(";")[0].split("=", 1)[1]


# --- intake and notify: the check in shared/auth ------------------------------------------------


def test_a_valid_access_cookie_is_accepted(app: Flask, test_keys: AuthKeys) -> None:
    cookie = test_keys.token("triage_officer", ttl=300, sid=session_binding("s1"))
    resp = _with_cookie(app, cookie).get(_path(app))
    assert resp.status_code == 200, resp.json


def test_an_expired_access_cookie_asks_for_a_refresh(app: Flask, test_keys: AuthKeys) -> None:
    cookie = test_keys.token("triage_officer", ttl=-60, sid=session_binding("s1"))
    resp = _with_cookie(app, cookie).get(_path(app))
    assert resp.status_code == 401 and resp.json["code"] == "session_refresh_required"
    assert REFRESH in resp.json["message"]["en"] and resp.json["message"]["zh"]


@pytest.mark.parametrize("kind", ["other key", "expired, other key", "tampered", "no sid", "garbage"])
def test_a_forged_access_cookie_is_refused(app: Flask, test_keys: AuthKeys, kind: str) -> None:
    sid = session_binding("s1")
    cookie = {
        "other key": lambda: test_keys.token("task_force", key=Ed25519PrivateKey.generate(), sid=sid),
        # Signature first: a forged token is never told to refresh, expired or not.
        "expired, other key": lambda: test_keys.token("task_force", key=Ed25519PrivateKey.generate(), ttl=-60, sid=sid),
        "tampered": lambda: test_keys.token("triage_officer", sid=sid)[:-3] + "AAA",
        "no sid": lambda: test_keys.token("task_force"),  # a bearer token put into the cookie
        "garbage": lambda: "not-a-token",
    }[kind]()
    resp = _with_cookie(app, cookie).get(_path(app))
    assert resp.status_code == 401 and resp.json["code"] == "invalid_token"


def test_the_bearer_header_wins_over_the_cookie(app: Flask, test_keys: AuthKeys) -> None:
    good_cookie = test_keys.token("triage_officer", sid=session_binding("s1"))
    forged_cookie = test_keys.token("task_force", key=Ed25519PrivateKey.generate(), sid=session_binding("s1"))
    ok = _with_cookie(app, forged_cookie).get(_path(app), headers=test_keys.headers("triage_officer"))
    assert ok.status_code == 200
    client = _with_cookie(app, good_cookie)
    bad_header = client.get(_path(app), headers={"Authorization": "Bearer not-a-token"})
    assert bad_header.status_code == 401 and bad_header.json["code"] == "invalid_token"
    # The header's principal is the one that counts: an auditor's token is refused, whatever the cookie.
    auditor = client.get(_path(app), headers=test_keys.headers("auditor"))
    assert auditor.status_code == 403


def test_a_session_cookie_without_an_access_cookie_asks_for_a_refresh(app: Flask) -> None:
    resp = _with_cookie(app, "some-session-token", SESSION).get(_path(app))
    assert resp.status_code == 401 and resp.json["code"] == "session_refresh_required"


def test_public_endpoints_ignore_the_cookie(app: Flask) -> None:
    assert _with_cookie(app, "not-a-token").get("/healthz").status_code == 200


# --- review: issuing, refreshing, clearing ------------------------------------------------------


def _browser_sign_in(client: FlaskClient, username: str = "demo-triage") -> dict[str, str]:
    resp = client.post("/api/v1/auth/sessions", json={"username": username, "password": DEMO_PASSWORD})
    assert resp.status_code == 201, resp.json
    return _set_cookies(resp)


def test_browser_sign_in_sets_an_access_cookie_bound_to_the_session(review_client: FlaskClient, test_keys: AuthKeys) -> None:
    set_cookies = _browser_sign_in(review_client)
    assert set(set_cookies) == {SESSION, ACCESS}
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in set_cookies[ACCESS]
    assert "Max-Age" not in set_cookies[ACCESS]  # the token's exp counts: an expired one still reaches intake
    session_token, access = _value(set_cookies[SESSION]), _value(set_cookies[ACCESS])
    claims = jwt.decode(access, test_keys.private_key.public_key(), algorithms=["EdDSA"], audience="huhang")
    assert claims["username"] == "demo-triage" and claims["exp"] - claims["iat"] == 300
    assert claims["sid"] and session_token not in access and claims["sid"] != session_token


def test_the_access_cookie_lifetime_is_a_setting(review_client: FlaskClient, test_keys: AuthKeys,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.auth.config import AuthSettings

    monkeypatch.setenv("HUHANG_ACCESS_COOKIE_TTL_SECONDS", "0")
    with pytest.raises(ValueError, match="at least 1"):
        AuthSettings()
    monkeypatch.setenv("HUHANG_ACCESS_COOKIE_TTL_SECONDS", "60")
    assert AuthSettings().access_cookie_ttl_seconds == 60


def test_review_sets_a_missing_access_cookie_on_a_session_request(review_client: FlaskClient) -> None:
    _browser_sign_in(review_client)
    review_client.delete_cookie(ACCESS)
    resp = review_client.get("/api/v1/auth/me")
    assert resp.status_code == 200 and ACCESS in _set_cookies(resp)
    again = review_client.get("/api/v1/auth/me")  # fresh now: not re-issued on every request
    assert again.status_code == 200 and ACCESS not in _set_cookies(again)


def test_review_replaces_an_access_cookie_of_another_session(review_client: FlaskClient, test_keys: AuthKeys) -> None:
    _browser_sign_in(review_client)
    review_client.set_cookie(ACCESS, test_keys.token("task_force", sid=session_binding("someone-else")))
    resp = review_client.get("/api/v1/auth/me")
    assert resp.status_code == 200 and resp.json["username"] == "demo-triage"  # the session decides at review
    assert ACCESS in _set_cookies(resp)


def test_review_does_not_accept_the_access_cookie_alone(review_client: FlaskClient, test_keys: AuthKeys) -> None:
    review_client.set_cookie(ACCESS, test_keys.token("triage_officer", sid=session_binding("s1")))
    assert review_client.get("/api/v1/auth/me").status_code == 401


def test_refresh_reissues_the_access_cookie(review_client: FlaskClient) -> None:
    first = _value(_browser_sign_in(review_client)[ACCESS])
    resp = review_client.post(REFRESH)
    assert resp.status_code == 200, resp.json
    assert resp.json["expires_in"] == 300 and resp.json["expires_at"]
    renewed = _set_cookies(resp)
    assert set(renewed) == {ACCESS} and _value(renewed[ACCESS]) != first


def test_refresh_needs_the_browser_session(review_client: FlaskClient, test_keys: AuthKeys) -> None:
    assert review_client.post(REFRESH).status_code == 401
    bearer = review_client.post(REFRESH, headers=test_keys.headers("triage_officer"))
    assert bearer.status_code == 401 and bearer.json["code"] == "browser_session_required"
    assert "Set-Cookie" not in bearer.headers


def test_sign_out_clears_both_cookies(review_client: FlaskClient) -> None:
    _browser_sign_in(review_client)
    resp = review_client.delete("/api/v1/auth/sessions/current")
    assert resp.status_code == 204
    cleared = _set_cookies(resp)
    assert set(cleared) == {SESSION, ACCESS}
    assert all(_value(h) == "" and "Expires=Thu, 01 Jan 1970" in h for h in cleared.values())


def test_an_access_cookie_from_review_is_accepted_by_intake(review_client: FlaskClient, settings_for) -> None:  # type: ignore[no-untyped-def]
    from services.intake import create_app

    access = _value(_browser_sign_in(review_client, "demo-12309")[ACCESS])
    intake = create_app({"TESTING": True}, settings=settings_for("intake"))
    try:
        resp = _with_cookie(intake, access).get("/api/v1/petitions")
        assert resp.status_code == 200, resp.json
    finally:
        intake.extensions["huhang"].engine.dispose()
