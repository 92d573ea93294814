"""The password pages (reset by an administrator, the forced change, 修改密码), 账户管理 and 单位, and who may not see them."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.review.identity.accounts import admin
from services.review.identity.accounts.demo import DEMO_ACCOUNTS
from services.review.identity.accounts.totp import code_at
from shared.auth.config import DEV_SECRET
from shared.auth.cookies import SESSION_COOKIE
from tests.unit.auth.conftest import Clock
from tests.unit.portal.conftest import (
    DEMO_PASSWORD, account, assert_page, audit_rows, post_form, sign_in, soup, totp,
)

NEW_PASSWORD = "Wancheng#2027-spring"


@pytest.fixture
def admin_client(review_app: Flask, clock: Clock) -> FlaskClient:
    client = review_app.test_client()
    sign_in(client, "demo-admin", totp=totp("demo-admin", clock))
    return client


def _signin(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    return post_form(client, "/signin", {"username": username, "password": password})


def _field_error(page, name: str) -> str:  # type: ignore[no-untyped-def]
    field = page.find(attrs={"name": name, "id": name})
    assert field is not None and field.get("aria-invalid") == "true", f"{name} is not marked invalid"
    assert f"{name}-error" in field["aria-describedby"]
    return str(page.find(id=f"{name}-error").get_text())


def _reset(admin_client: FlaskClient, username: str, app: Flask) -> str:
    answer = post_form(admin_client, f"/admin/accounts/{account(app, username).id}/reset", form_on="/admin/accounts")
    page = assert_page(answer, case_data=True)  # a secret on the page: no cache may keep it
    secrets = page.select("code.secret")
    assert len(secrets) == 1
    return str(secrets[0].get_text())


# --- 4. the password ----------------------------------------------------------------------------

def test_a_reset_shows_a_temporary_password_once_and_ends_the_owners_sessions(
        review_app: Flask, admin_client: FlaskClient) -> None:
    owner = review_app.test_client()
    sign_in(owner, "demo-handler")
    assert owner.get("/").status_code == 200
    temporary = _reset(admin_client, "demo-handler", review_app)
    assert len(temporary) == 16
    (row,) = audit_rows(review_app, "account.password_reset")
    assert row.actor == "demo-admin" and row.detail["account"] == "demo-handler" and row.detail["sessions_ended"] == 1
    assert temporary not in str(row.detail)  # never logged
    assert account(review_app, "demo-handler").must_change_password
    assert owner.get("/").headers["Location"].endswith("reason=ended")  # the old session is over
    listing = admin_client.get("/admin/accounts").data.decode()
    assert temporary not in listing and "待改密码" in listing  # shown once only


def test_the_temporary_password_only_leads_to_choosing_a_new_one(review_app: Flask, review_client: FlaskClient,
                                                                 admin_client: FlaskClient) -> None:
    temporary = _reset(admin_client, "demo-handler", review_app)
    forced = _signin(review_client, "demo-handler", temporary)
    page = assert_page(forced, status=403)
    assert "您的密码由管理员设置" in page.find(attrs={"role": "alert"}).get_text()
    assert review_client.get_cookie(SESSION_COOKIE) is None  # not signed in
    assert page.find("input", attrs={"name": "username"})["value"] == "demo-handler"
    assert page.find("form", attrs={"action": "/password"})
    assert [(r.outcome, r.detail["reason"]) for r in audit_rows(review_app, "auth.password_expired")] == [
        ("denied", "reset")]
    changed = post_form(review_client, "/password", {
        "username": "demo-handler", "current_password": temporary, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 303 and changed.headers["Location"] == "/signin?reason=password_changed"
    notice = soup(review_client.get(changed.headers["Location"]).data).find(attrs={"role": "status"})
    assert "密码已修改" in notice.get_text()
    assert not account(review_app, "demo-handler").must_change_password
    assert audit_rows(review_app, "account.password_changed")
    assert _signin(review_client, "demo-handler", temporary).status_code == 401  # used up
    assert _signin(review_client, "demo-handler", NEW_PASSWORD).status_code == 303
    assert review_client.get("/").status_code == 200


def test_an_administrators_expired_password_is_changed_with_a_fresh_code(
        review_app: Flask, review_client: FlaskClient, clock: Clock) -> None:
    clock.advance(days=91)  # the demo passwords were set at the clock's start; 90 days is the limit
    expired = post_form(review_client, "/signin", {"username": "demo-admin", "password": DEMO_PASSWORD,
                                                   "totp": totp("demo-admin", clock)})
    page = assert_page(expired, status=403)
    assert "您的密码已过期" in page.find(attrs={"role": "alert"}).get_text()
    assert page.find("input", attrs={"name": "totp"}) is not None  # the code above is used up: a new one
    assert review_client.get_cookie(SESSION_COOKIE) is None
    reused = post_form(review_client, "/password", {
        "username": "demo-admin", "current_password": DEMO_PASSWORD, "totp": totp("demo-admin", clock),
        "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert reused.status_code == 401  # a TOTP code is usable once
    clock.advance(seconds=30)
    changed = post_form(review_client, "/password", {
        "username": "demo-admin", "current_password": DEMO_PASSWORD, "totp": totp("demo-admin", clock),
        "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 303 and changed.headers["Location"] == "/signin?reason=password_changed"
    clock.advance(seconds=30)
    signed = post_form(review_client, "/signin", {"username": "demo-admin", "password": NEW_PASSWORD,
                                                  "totp": totp("demo-admin", clock)})
    assert signed.status_code == 303


def test_a_mismatched_confirmation_is_a_field_error(review_app: Flask, review_client: FlaskClient) -> None:
    answer = post_form(review_client, "/password", {
        "username": "demo-handler", "current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD + "x"})
    page = assert_page(answer, status=422)
    assert "两次输入的新密码不一致" in _field_error(page, "confirm_password")
    assert page.find("input", attrs={"name": "username"})["value"] == "demo-handler"
    assert account(review_app, "demo-handler").failed_count == 0
    assert _signin(review_client, "demo-handler", DEMO_PASSWORD).status_code == 303  # unchanged


def test_a_weak_new_password_is_refused_in_chinese(review_app: Flask, review_client: FlaskClient) -> None:
    answer = post_form(review_client, "/password", {
        "username": "demo-handler", "current_password": DEMO_PASSWORD, "new_password": "short",
        "confirm_password": "short"})
    page = assert_page(answer, status=422)
    assert _field_error(page, "new_password").startswith("密码不符合要求")
    assert audit_rows(review_app, "account.password_changed") == []


def test_a_wrong_current_password_counts_as_a_failed_sign_in(review_app: Flask, review_client: FlaskClient) -> None:
    answer = post_form(review_client, "/password", {
        "username": "demo-handler", "current_password": "Wrong!2026password", "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    page = assert_page(answer, status=401)
    assert "当前密码或动态口令不正确" in _field_error(page, "current_password")
    assert account(review_app, "demo-handler").failed_count == 1


def test_signed_in_the_password_changes_and_this_session_stays(review_app: Flask, review_client: FlaskClient) -> None:
    other = review_app.test_client()
    sign_in(other, "demo-triage")
    sign_in(review_client, "demo-triage")
    form = assert_page(review_client.get("/password"))
    assert form.find("input", attrs={"name": "username"}) is None  # who is known
    answer = post_form(review_client, "/password", {
        "current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    page = assert_page(answer)
    assert "密码已修改" in page.find(attrs={"role": "status"}).get_text()
    assert review_client.get("/").status_code == 200
    assert other.get("/").status_code == 303  # the other browser's session ended


def test_a_password_is_taken_as_typed(review_app: Flask, review_client: FlaskClient, clock: Clock) -> None:
    """Spaces around a password are part of it: the page signs in exactly what the API does."""
    with review_app.extensions["huhang"].session_factory() as session, session.begin():
        admin.create(session, username="space.user", display_name="空格", unit_code="NY-JCY-KS",
                     roles=["triage_officer"], password=" Spaced!2026pass ", now=clock(), secret_key=DEV_SECRET)
    assert _signin(review_client, "space.user", "Spaced!2026pass").status_code == 401
    assert _signin(review_client, "space.user", " Spaced!2026pass ").status_code == 303


# --- 5. 账户管理 ---------------------------------------------------------------------------------

def _create(admin_client: FlaskClient, **fields):  # type: ignore[no-untyped-def]
    data = {"username": "new.officer", "display_name": "新 分流员", "unit_code": "NY-JCY-KS",
            "roles": ["triage_officer"], "password": "Officer#2026-first"}
    data.update(fields)
    return post_form(admin_client, "/admin/accounts", data)


def test_the_accounts_page(admin_client: FlaskClient) -> None:
    page = assert_page(admin_client.get("/admin/accounts"), case_data=True)
    names = [td.get_text(" ", strip=True) for td in page.select('td[data-label="用户名"]')]
    assert sorted(n.split()[0] for n in names) == sorted(a.username for a in DEMO_ACCOUNTS)
    assert {o["value"] for o in page.select("select#unit_code option") if o["value"]} >= {"NY-JCY-KS", "NY-FY"}


def test_an_administrator_creates_an_account(review_app: Flask, admin_client: FlaskClient,
                                             review_client: FlaskClient) -> None:
    page = assert_page(_create(admin_client), case_data=True)
    assert "已创建账户 new.officer" in page.find("h1").get_text()
    assert page.select("code.secret") == []  # no second factor for this role
    (row,) = audit_rows(review_app, "account.create")[-1:]
    assert row.actor == "demo-admin" and row.detail["account"] == "new.officer"
    assert row.detail["roles"] == ["triage_officer"] and row.detail["demo"] is False
    # The administrator chose the password: the first sign-in leads to choosing one's own.
    first = _signin(review_client, "new.officer", "Officer#2026-first")
    assert first.status_code == 403 and "您的密码由管理员设置" in first.get_data(as_text=True)
    assert account(review_app, "new.officer").must_change_password


def test_a_role_with_totp_shows_its_secret_once_and_the_secret_works(
        review_app: Flask, admin_client: FlaskClient, review_client: FlaskClient, clock: Clock) -> None:
    page = assert_page(_create(admin_client, username="zb.member", unit_code="NY-JCY-ZB", roles=["task_force"]),
                       case_data=True)
    secret, uri = (str(c.get_text()) for c in page.select("code.secret"))
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    assert secret not in admin_client.get("/admin/accounts").data.decode()
    assert secret not in str([r.detail for r in audit_rows(review_app)])
    no_code = _signin(review_client, "zb.member", "Officer#2026-first")
    assert no_code.status_code == 401
    signed = post_form(review_client, "/signin", {"username": "zb.member", "password": "Officer#2026-first",
                                                   "totp": code_at(secret, clock())})
    # The secret works (the code is accepted); the administrator's password must be replaced first.
    assert signed.status_code == 403 and "您的密码由管理员设置" in signed.get_data(as_text=True)


def test_a_taken_username_is_a_409_beside_the_field(review_app: Flask, admin_client: FlaskClient) -> None:
    before = len(audit_rows(review_app, "account.create"))
    page = assert_page(_create(admin_client, username="demo-triage"), status=409)
    assert "已存在" in _field_error(page, "username")
    assert page.find("input", attrs={"name": "display_name"})["value"] == "新 分流员"  # nothing typed is lost
    assert page.find("input", attrs={"name": "password"}).get("value") is None  # except the password
    assert len(audit_rows(review_app, "account.create")) == before


def test_an_unknown_unit_is_a_422_beside_the_field(review_app: Flask, admin_client: FlaskClient) -> None:
    page = assert_page(_create(admin_client, unit_code="NY-NOWHERE"), status=422)
    assert "没有这个单位" in _field_error(page, "unit_code")
    assert "new.officer" not in [a.username for a in _accounts(review_app)]


def test_a_weak_password_or_no_role_is_a_422(admin_client: FlaskClient) -> None:
    weak = assert_page(_create(admin_client, password="weak"), status=422)
    assert _field_error(weak, "password").startswith("密码不符合要求")
    no_role = post_form(admin_client, "/admin/accounts", {"username": "x.y.z", "display_name": "某", "unit_code":
                                                          "NY-JCY-KS", "password": "Officer#2026-first"})
    page = assert_page(no_role, status=422)
    assert page.find(id="roles-error") is not None


def _accounts(app: Flask):  # type: ignore[no-untyped-def]
    with app.extensions["huhang"].session_factory() as session:
        rows = admin.list_(session)
        session.expunge_all()
        return rows


def test_unlock_clears_the_lock(review_app: Flask, review_client: FlaskClient, admin_client: FlaskClient) -> None:
    for _ in range(5):
        _signin(review_client, "demo-judge", "Wrong!2026password")
    judge = account(review_app, "demo-judge")
    listing = soup(admin_client.get("/admin/accounts").data)
    unlock = listing.find("form", attrs={"action": f"/admin/accounts/{judge.id}/unlock"})
    assert unlock is not None and "已锁定" in unlock.find_parent("tr").get_text()
    answer = post_form(admin_client, f"/admin/accounts/{judge.id}/unlock", form_on="/admin/accounts")
    assert answer.status_code == 303 and answer.headers["Location"] == "/admin/accounts?unlocked=demo-judge"
    page = assert_page(admin_client.get(answer.headers["Location"]), case_data=True)
    assert "已解锁账户 demo-judge" in page.get_text()
    assert page.find("form", attrs={"action": f"/admin/accounts/{judge.id}/unlock"}) is None
    after = account(review_app, "demo-judge")
    assert after.locked_until is None and after.failed_count == 0
    (row,) = audit_rows(review_app, "account.unlock")
    assert row.actor == "demo-admin" and row.detail == {"account": "demo-judge"}
    assert _signin(review_client, "demo-judge", DEMO_PASSWORD).status_code == 303
    missing = post_form(admin_client, "/admin/accounts/no-such-account/unlock", form_on="/admin/accounts")
    assert_page(missing, status=404)


def test_the_units_page_shows_the_tree(admin_client: FlaskClient) -> None:
    page = assert_page(admin_client.get("/admin/units"))
    codes = [c.get_text() for c in page.select('td[data-label="代码"] code')]
    assert codes[0] == "NY-JCY" and len(codes) == len(set(codes))
    parents = {c: p.get_text() for c, p in zip(codes, page.select('td[data-label="上级"]'))}
    for code, parent in parents.items():
        if parent != "—":
            assert codes.index(parent) < codes.index(code), f"{code} listed before its parent {parent}"


# --- 5. who may not: 三员分立 --------------------------------------------------------------------

@pytest.mark.parametrize(("username", "path"), [
    ("demo-triage", "/admin/accounts"),
    ("demo-triage", "/admin/units"),
    ("demo-auditor", "/triage"),
    ("demo-auditor", "/admin/accounts"),
    ("demo-handler", "/audit/review"),
    ("demo-admin", "/triage"),
    ("demo-admin", "/audit/review"),
])
def test_a_refused_page_is_a_403_page_and_is_audited(review_app: Flask, clock: Clock, username: str,
                                                     path: str) -> None:
    client = review_app.test_client()
    sign_in(client, username, totp=totp(username, clock) if username == "demo-admin" else None)
    page = assert_page(client.get(path), status=403)
    assert "无权查看此页" in page.find("h1").get_text()
    rows = audit_rows(review_app, "authz.denied")
    assert [(r.actor, r.outcome, r.detail["path"]) for r in rows] == [(username, "denied", path)]


def test_an_administrator_reads_no_case(review_app: Flask, admin_client: FlaskClient) -> None:
    assert admin_client.get("/cases/any-petition").status_code == 403
    nav = [a["href"] for a in soup(admin_client.get("/").data).select("nav.site-nav a")]
    assert "/triage" not in nav and "/admin/accounts" in nav


def test_a_refused_form_changes_nothing(review_app: Flask, review_client: FlaskClient) -> None:
    for _ in range(5):
        _signin(review_client, "demo-judge", "Wrong!2026password")
    officer = review_app.test_client()
    sign_in(officer, "demo-triage")
    judge_id = account(review_app, "demo-judge").id
    for path in (f"/admin/accounts/{judge_id}/unlock", f"/admin/accounts/{judge_id}/reset"):
        assert post_form(officer, path, form_on="/").status_code == 403
    assert account(review_app, "demo-judge").locked_until is not None
    assert audit_rows(review_app, "account.unlock") == audit_rows(review_app, "account.password_reset") == []
