"""The sign-in page (登录), CSRF on every form, sign-out and the session pages, over review's seeded app."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.review.identity.accounts.models import WebSession
from shared.auth.cookies import ACCESS_COOKIE, SESSION_COOKIE
from shared.web.pages.csrf import CSRF_COOKIE
from shared.web.pages.render import safe_next
from tests.unit.auth.conftest import Clock
from tests.unit.portal.conftest import (
    DEMO_PASSWORD, SAME_ORIGIN, account, assert_page, audit_rows, csrf_of, post_form, sign_in, soup, totp,
)

WRONG = "Wrong!2026password"


def _set_cookies(response) -> dict[str, SimpleCookie]:  # type: ignore[no-untyped-def]
    out = {}
    for header in response.headers.getlist("Set-Cookie"):
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name in cookie:
            out[name] = cookie
    return out


def _signin(client: FlaskClient, username: str, password: str = DEMO_PASSWORD, *, code: str | None = None,
            next_path: str = "/"):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password, "next": next_path}
    if code is not None:
        data["totp"] = code
    return post_form(client, "/signin", data)


def _location(response) -> tuple[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    parts = urlsplit(response.headers["Location"])
    assert not parts.netloc, f"redirect off the site: {response.headers['Location']}"
    return parts.path, parse_qs(parts.query)


def _live_sessions(app: Flask, username: str) -> int:
    account_id = account(app, username).id
    with app.extensions["huhang"].session_factory() as session:
        return len(list(session.scalars(select(WebSession).where(
            WebSession.account_id == account_id, WebSession.ended_at.is_(None)))))


# --- 1. sign-in ---------------------------------------------------------------------------------

def test_a_page_without_a_session_redirects_to_sign_in_with_next(review_client: FlaskClient) -> None:
    answer = review_client.get("/")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/signin?next=%2F"
    deep = review_client.get("/triage?status=pending")
    assert _location(deep) == ("/signin", {"next": ["/triage?status=pending"]})


def test_the_sign_in_page(review_client: FlaskClient) -> None:
    page = assert_page(review_client.get("/signin?next=/triage"))
    form = page.find("form", attrs={"action": "/signin"})
    assert form is not None and form["method"] == "post"
    assert form.find("input", attrs={"name": "next"})["value"] == "/triage"
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert form.find("input", attrs={"name": "password"})["type"] == "password"


def test_signing_in_sets_both_cookies_strictly_and_goes_to_next(review_app: Flask, review_client: FlaskClient) -> None:
    answer = _signin(review_client, "demo-triage", next_path="/triage?status=pending")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/triage?status=pending"
    cookies = _set_cookies(answer)
    for name in (SESSION_COOKIE, ACCESS_COOKIE):
        assert name in cookies, f"{name} not set"
        morsel = cookies[name][name]
        assert morsel.value
        assert morsel["httponly"] and morsel["secure"]
        assert morsel["samesite"] == "Strict" and morsel["path"] == "/"
    assert review_client.get("/triage?status=pending").status_code == 200
    assert _live_sessions(review_app, "demo-triage") == 1
    assert [r.outcome for r in audit_rows(review_app, "auth.sign_in")] == ["success"]


def test_a_wrong_password_is_a_401_page_that_keeps_its_record(review_app: Flask, review_client: FlaskClient) -> None:
    answer = _signin(review_client, "demo-triage", WRONG)
    page = assert_page(answer, status=401)
    assert "用户名、密码或动态口令不正确" in page.find(attrs={"role": "alert"}).get_text()
    assert SESSION_COOKIE not in _set_cookies(answer) and ACCESS_COOKIE not in _set_cookies(answer)
    # Nothing typed secret is sent back; the username is.
    assert page.find("input", attrs={"name": "password"}).get("value") is None
    assert page.find("input", attrs={"name": "username"})["value"] == "demo-triage"
    assert account(review_app, "demo-triage").failed_count == 1  # the refusal's write was committed
    assert [(r.action, r.outcome) for r in audit_rows(review_app, "auth.sign_in_failed")] == [
        ("auth.sign_in_failed", "failure")]
    assert review_client.get("/").status_code == 303  # still not signed in


def test_five_wrong_passwords_lock_the_account(review_app: Flask, review_client: FlaskClient, clock: Clock) -> None:
    for _ in range(5):
        assert _signin(review_client, "demo-handler", WRONG).status_code == 401
    locked = account(review_app, "demo-handler")
    assert locked.locked_until is not None and locked.locked_until > clock()
    refused = _signin(review_client, "demo-handler")  # the right password, while locked
    assert refused.status_code == 401
    assert "用户名、密码或动态口令不正确" in refused.data.decode()  # the same answer: a lock is not revealed
    assert SESSION_COOKIE not in _set_cookies(refused)
    assert audit_rows(review_app, "auth.locked")


def test_an_account_with_totp_is_asked_for_the_code(review_app: Flask, review_client: FlaskClient,
                                                    clock: Clock) -> None:
    asked = _signin(review_client, "demo-admin")
    page = assert_page(asked, status=401)
    field = page.find("input", attrs={"name": "totp"})
    assert field["aria-invalid"] == "true"
    assert "totp-error" in field["aria-describedby"]
    assert "动态口令" in page.find(id="totp-error").get_text()
    assert SESSION_COOKIE not in _set_cookies(asked)
    assert account(review_app, "demo-admin").failed_count == 0  # a missing code is not a failure
    wrong = _signin(review_client, "demo-admin", code="000000")
    assert wrong.status_code == 401 and SESSION_COOKIE not in _set_cookies(wrong)
    good = _signin(review_client, "demo-admin", code=totp("demo-admin", clock), next_path="/admin/accounts")
    assert good.status_code == 303 and good.headers["Location"] == "/admin/accounts"
    assert SESSION_COOKIE in _set_cookies(good)
    assert review_client.get("/admin/accounts").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "//evil.example/x?y=1",
                                    "/\\evil.example", "/\t/evil.example", "javascript:alert(1)", "evil.example"])
def test_next_never_leaves_the_site(review_client: FlaskClient, target: str) -> None:
    form = soup(review_client.get("/signin", query_string={"next": target}).data)
    assert form.find("input", attrs={"name": "next"})["value"] == "/"
    answer = _signin(review_client, "demo-triage", next_path=target)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: stolen=1", "/triage\n", "/\x00", "/a\x7fb"])
def test_a_next_with_a_control_character_goes_home(review_client: FlaskClient, target: str) -> None:
    """Not a 500 from the Location header: the sign-in succeeds and goes to /."""
    answer = _signin(review_client, "demo-triage", next_path=target)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    assert "stolen" not in str(answer.headers)
    refreshed = review_client.get("/session/refresh", query_string={"next": target})
    assert refreshed.status_code == 303 and refreshed.headers["Location"] == "/"


def test_a_next_in_chinese_survives_the_round_trip(review_client: FlaskClient) -> None:
    target = "/triage?case_number=宛检 2026"
    form = soup(review_client.get("/signin", query_string={"next": target}).data)
    assert form.find("input", attrs={"name": "next"})["value"] == target
    answer = _signin(review_client, "demo-triage", next_path=target)
    assert _location(answer) == ("/triage", {"case_number": ["宛检 2026"]})


def test_safe_next_keeps_a_local_path_and_its_query() -> None:
    assert safe_next("/cases/abc?tab=deadlines") == "/cases/abc?tab=deadlines"
    assert safe_next(None) == "/" and safe_next("") == "/"


# --- 2. CSRF ------------------------------------------------------------------------------------

def _csrf_page(answer) -> None:  # type: ignore[no-untyped-def]
    page = assert_page(answer, status=400)
    assert "csrf_failed" in page.get_text() and "表单已失效" in page.get_text()


def test_a_sign_in_without_the_token_is_refused_and_counts_nothing(review_app: Flask,
                                                                    review_client: FlaskClient) -> None:
    csrf_of(review_client, "/signin")  # the cookie is there, the field is not
    answer = review_client.post("/signin", data={"username": "demo-triage", "password": WRONG},
                                headers=SAME_ORIGIN)
    _csrf_page(answer)
    assert account(review_app, "demo-triage").failed_count == 0
    assert audit_rows(review_app, "auth.sign_in_failed") == []
    right = review_client.post("/signin", data={"username": "demo-triage", "password": DEMO_PASSWORD},
                               headers=SAME_ORIGIN)
    assert right.status_code == 400 and SESSION_COOKIE not in _set_cookies(right)


def _locked_judge(app: Flask, client: FlaskClient) -> str:
    for _ in range(5):
        _signin(client, "demo-judge", WRONG)
    assert account(app, "demo-judge").locked_until is not None
    return account(app, "demo-judge").id


@pytest.fixture
def admin_client(review_app: Flask, clock: Clock) -> FlaskClient:
    client = review_app.test_client()
    sign_in(client, "demo-admin", totp=totp("demo-admin", clock))
    return client


def test_unlock_without_a_valid_token_changes_nothing(review_app: Flask, review_client: FlaskClient,
                                                      admin_client: FlaskClient) -> None:
    judge_id = _locked_judge(review_app, review_client)
    path = f"/admin/accounts/{judge_id}/unlock"
    token = csrf_of(admin_client, "/admin/accounts")
    other = review_app.test_client()
    foreign = csrf_of(other, "/signin")  # validly signed, but another browser's
    refusals = {
        "no token": admin_client.post(path, headers=SAME_ORIGIN),
        "another cookie's token": admin_client.post(path, data={"csrf_token": foreign}, headers=SAME_ORIGIN),
        "a forged token": admin_client.post(path, data={"csrf_token": token[:-4] + "0000"}, headers=SAME_ORIGIN),
        "cross-site Origin": admin_client.post(path, data={"csrf_token": token},
                                               headers={"Origin": "https://evil.example"}),
        "Origin null": admin_client.post(path, data={"csrf_token": token}, headers={"Origin": "null"}),
        "cross-site fetch": admin_client.post(path, data={"csrf_token": token},
                                              headers={"Sec-Fetch-Site": "cross-site"}),
    }
    for why, answer in refusals.items():
        assert answer.status_code == 400, why
        _csrf_page(answer)
    assert account(review_app, "demo-judge").locked_until is not None
    assert audit_rows(review_app, "account.unlock") == []
    done = admin_client.post(path, data={"csrf_token": token}, headers=SAME_ORIGIN)
    assert done.status_code == 303
    assert account(review_app, "demo-judge").locked_until is None


def test_the_csrf_cookie_is_strict_and_the_token_is_reused(review_client: FlaskClient) -> None:
    first = review_client.get("/signin")
    morsel = _set_cookies(first)[CSRF_COOKIE][CSRF_COOKIE]
    assert morsel["httponly"] and morsel["secure"] and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    token = soup(first.data).find("input", attrs={"name": "csrf_token"})["value"]
    assert morsel.value == token
    again = review_client.get("/signin")
    assert CSRF_COOKIE not in _set_cookies(again)  # the browser's own token stays
    assert soup(again.data).find("input", attrs={"name": "csrf_token"})["value"] == token


# --- 3. sign-out and the session pages ----------------------------------------------------------

def test_sign_out_ends_the_session_on_the_server(review_app: Flask, review_client: FlaskClient) -> None:
    sign_in(review_client, "demo-triage")
    stolen = review_client.get_cookie(SESSION_COOKIE)
    assert stolen is not None
    answer = post_form(review_client, "/signout", form_on="/")
    assert answer.status_code == 303
    assert _location(answer) == ("/signin", {"reason": ["signed_out"]})
    cleared = _set_cookies(answer)
    assert cleared[SESSION_COOKIE][SESSION_COOKIE].value == "" and cleared[ACCESS_COOKIE][ACCESS_COOKIE].value == ""
    assert _live_sessions(review_app, "demo-triage") == 0
    notice = soup(review_client.get("/signin?reason=signed_out").data).find(attrs={"role": "status"})
    assert "已安全退出" in notice.get_text()
    # The cookie copied before sign-out names an ended session: refused, and the page says why.
    replay = review_app.test_client()
    replay.set_cookie(SESSION_COOKIE, stolen.value)
    back = replay.get("/triage")
    assert back.status_code == 303
    assert _location(back) == ("/signin", {"next": ["/triage"], "reason": ["ended"]})
    page = soup(replay.get(back.headers["Location"]).data)
    assert "会话已结束" in page.find(attrs={"role": "status"}).get_text()


def test_a_form_sent_after_the_session_ended_comes_back_to_its_page(review_app: Flask, clock: Clock) -> None:
    client = review_app.test_client()
    sign_in(client, "demo-triage")
    token = csrf_of(client, "/triage?status=pending")
    clock.advance(minutes=31)
    answer = client.post("/signout", data={"csrf_token": token},
                         headers={**SAME_ORIGIN, "Referer": "http://localhost/triage?status=pending"})
    assert _location(answer) == ("/signin", {"next": ["/triage?status=pending"], "reason": ["ended"]})
    elsewhere = client.post("/signout", data={"csrf_token": token},
                            headers={**SAME_ORIGIN, "Referer": "https://evil.example/triage"})
    assert _location(elsewhere) == ("/signin", {"next": ["/"], "reason": ["ended"]})


def test_only_a_signed_in_page_runs_the_idle_clock(review_client: FlaskClient) -> None:
    assert soup(review_client.get("/signin").data).body.get("data-idle-seconds") is None
    sign_in(review_client, "demo-triage")
    assert soup(review_client.get("/").data).body["data-idle-seconds"] == "1800"


def test_an_idle_session_ends_after_30_minutes(review_client: FlaskClient, clock: Clock) -> None:
    sign_in(review_client, "demo-triage")
    clock.advance(minutes=29)
    assert review_client.get("/").status_code == 200  # activity restarts the idle clock
    clock.advance(minutes=29)
    assert review_client.get("/").status_code == 200
    clock.advance(minutes=30)
    ended = review_client.get("/")
    assert _location(ended) == ("/signin", {"next": ["/"], "reason": ["ended"]})


def test_the_session_ended_page(review_client: FlaskClient) -> None:
    answer = review_client.get("/session-ended")
    page = assert_page(answer)
    assert "您已退出登录" in page.find("h1").get_text()
    assert page.find("a", attrs={"href": "/signin"})
    assert _set_cookies(answer)[ACCESS_COOKIE][ACCESS_COOKIE].value == ""


def test_refresh_renews_the_access_cookie_of_a_live_session(review_client: FlaskClient, clock: Clock) -> None:
    sign_in(review_client, "demo-triage")
    before = review_client.get_cookie(ACCESS_COOKIE)
    assert before is not None
    clock.advance(seconds=5)
    answer = review_client.get("/session/refresh", query_string={"next": "/inbox?unread=1"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/inbox?unread=1"
    fresh = _set_cookies(answer)[ACCESS_COOKIE][ACCESS_COOKIE]
    assert fresh.value and fresh.value != before.value and fresh["httponly"] and fresh["samesite"] == "Strict"
    off_site = review_client.get("/session/refresh", query_string={"next": "//evil.example"})
    assert off_site.headers["Location"] == "/"


def test_refresh_without_a_session_asks_to_sign_in_again(review_app: Flask, review_client: FlaskClient) -> None:
    answer = review_client.get("/session/refresh", query_string={"next": "/inbox"})
    assert _location(answer) == ("/signin", {"next": ["/inbox"], "reason": ["ended"]})
    assert ACCESS_COOKIE not in _set_cookies(answer)
    sign_in(review_client, "demo-triage")
    post_form(review_client, "/signout", form_on="/")
    assert _location(review_client.get("/session/refresh"))[1]["reason"] == ["ended"]
