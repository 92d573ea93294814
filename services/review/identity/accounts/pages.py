"""Pages of sign-in (登录), the password change, sign-out, and the administrator's accounts (账户管理).

The rules are the API's own (signin, password_change, sessions, admin); these views only turn
a form into the call and the outcome into a page.  A refused sign-in keeps its writes (the
failure count, the lock, the audit row) exactly as at `POST /api/v1/auth/sessions`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
from flask import Response, current_app, request
from marshmallow import Schema, fields, validate, validates_schema, ValidationError

from services.review.identity.accounts import admin, password_change, sessions, signin
from services.review.identity.accounts.passwords import WeakPassword
from services.review.identity.accounts.schemas import Credentials
from services.review.identity.accounts.views import now
from services.review.identity.units import service as units
from shared.auth import authenticated, public, public_or_signed_in, requires
from shared.auth import cookies
from shared.auth.access import AuthGate, current_browser_session
from shared.auth.cookies import BrowserSession
from shared.auth.principal import ROLES
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page, safe_next

blp = page_blueprint("accounts", __name__)

ROLE_TEXT = {
    "intake_clerk": "登记员（12309/12368 窗口）", "triage_officer": "分流员", "case_handler": "承办人",
    "unit_leader": "部门/院负责人", "judge": "法官", "court_clerk": "诉讼服务/书记员",
    "prosecutor": "捕诉检察官", "penalty_reviewer": "行政处罚审查",
    "task_force": "市院专班", "auditor": "安全审计员", "admin": "系统管理员",
}
# Passwords are read as typed (not stripped), exactly as the API reads them.
PASSWORDS = frozenset({"password", "current_password", "new_password", "confirm_password"})
REASON_TEXT = {
    "ended": "会话已结束（超过 30 分钟未操作或已在别处退出），请重新登录。",
    "signed_out": "您已安全退出。",
    "password_changed": "密码已修改，请用新密码登录。",
}


def _gate() -> AuthGate:
    gate: AuthGate = current_app.extensions["huhang_auth"]
    return gate


def _settings() -> Any:
    settings = _gate().settings
    assert settings is not None
    return settings


class PasswordForm(Schema):
    """The password-change form: the API's fields plus the confirmation a person types twice."""

    username = fields.String(validate=validate.Length(min=1, max=64))
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    confirm_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    totp = fields.String(load_default=None, validate=validate.Length(max=10))

    @validates_schema
    def _same(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ValidationError("两次输入的新密码不一致", "confirm_password")


class AccountForm(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{2,63}$",
                                                                    error="3–64 位小写字母、数字或 . _ -"))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    unit_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(min=1, error="至少选择一个角色"))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


# --- sign-in, sign-out, the password -------------------------------------------------------------

def _signin_page(errors: FormErrors | None = None, *, status: int = 200, message: str | None = None,
                 totp_needed: bool = False) -> Response:
    reason = request.args.get("reason")
    return render_page(
        # `is None`, not `or`: a FormErrors without field errors is falsy, yet carries the username typed.
        "accounts/signin.html", status=status, personal=False, errors=errors if errors is not None else FormErrors(),
        next_path=safe_next(request.values.get("next")), message=message, totp_needed=totp_needed,
        notice=REASON_TEXT.get(reason or ""), notice_kind="warn" if reason == "ended" else "ok",
    )


@blp.get("/signin")
@public
def signin_form() -> Response:
    """登录: username, password and, for the roles that need it, the TOTP code."""
    return _signin_page()


@blp.post("/signin")
@public
def signin_submit() -> Response:
    data, errors = parse_form(Credentials(), request.form, verbatim=PASSWORDS)
    if data is None:
        return _signin_page(errors, status=422)
    settings = _settings()
    username = data["username"]
    try:
        with transaction(db_session()) as session:
            account = signin.sign_in(
                session, username=username, password=data["password"], totp_code=data.get("totp"),
                secret_key=settings.effective_secret(), now=now(), actor=request_actor(),
                allow_demo=not settings.is_production,
                admin_password_max_age=timedelta(days=settings.admin_password_max_age_days),
            )
            new = sessions.start(session, account=account, now=now())
            browser = BrowserSession(signin.principal_for(session, account), new.row.id)
    except signin.TotpRequired:
        errors.values.pop("password", None)
        errors.add("totp", "该账户须输入动态口令（身份验证器上的 6 位数字），请连同密码再次提交")
        return _signin_page(errors, status=401, totp_needed=True)
    except signin.PasswordExpired as exc:
        # Right password (and code): the only way on is a new password, on its own form.
        return render_page("accounts/password.html", status=403, personal=False, errors=FormErrors(),
                           username=username, signed_in=False, expired_code=exc.code,
                           needs_totp=bool(signin.TOTP_ROLES.intersection(_roles_of(username))))
    except signin.SignInFailed:
        errors.values.pop("password", None)
        errors.values.pop("totp", None)
        return _signin_page(errors, status=401, message="用户名、密码或动态口令不正确。连续失败 5 次，账户将锁定 15 分钟。")
    response = redirect_to(safe_next(request.form.get("next")))
    cookies.set_session_cookie(response, new.token)
    _gate().write_access_cookie(response, browser)
    return response


def _roles_of(username: str) -> list[str]:
    account = signin.by_username(db_session(), username)
    return list(account.roles) if account is not None else []


@blp.post("/signout")
@authenticated
def signout() -> Response:
    """退出登录: the session ends on the server and both cookies are cleared."""
    token = request.cookies.get(_gate().session_cookie)
    if token:
        with transaction(db_session()) as session:
            sessions.end(session, token=token, now=now())
    response = redirect_to("/signin", reason="signed_out")
    cookies.clear_session_cookie(response)
    cookies.clear_access_cookie(response)
    return response


@blp.get("/password")
@public_or_signed_in
def password_form() -> Response:
    """修改密码: signed in, or (an expired or reset password) with username, password and code."""
    signed_in = current_browser_session() is not None
    return render_page("accounts/password.html", personal=False, errors=FormErrors(), signed_in=signed_in,
                       username=request.args.get("username", ""), needs_totp=not signed_in)


@blp.post("/password")
@public_or_signed_in
def password_submit() -> Response:
    browser = current_browser_session()
    signed_in = browser is not None
    data, errors = parse_form(PasswordForm(), request.form, verbatim=PASSWORDS)
    username = None if signed_in else (data or {}).get("username") or errors.values.get("username")
    if data is not None and not signed_in and not username:
        errors.add("username", "请填写用户名")
        data = None
    if data is None:
        return render_page("accounts/password.html", status=422, personal=False, errors=errors,
                           signed_in=signed_in, username=username or "", needs_totp=not signed_in)
    settings = _settings()
    keep = request.cookies.get(_gate().session_cookie) if signed_in else None
    try:
        with transaction(db_session()) as session:
            password_change.change_password(
                session, actor=request_actor(), username=username, current_password=data["current_password"],
                new_password=data["new_password"], totp_code=data.get("totp"), keep_session_token=keep,
                secret_key=settings.effective_secret(), now=now(), allow_demo=not settings.is_production,
            )
    except (WeakPassword, password_change.PasswordReused) as exc:
        errors.add("new_password", exc.message_zh)
        return render_page("accounts/password.html", status=422, personal=False, errors=errors,
                           signed_in=signed_in, username=username or "", needs_totp=not signed_in)
    except (signin.SignInFailed, signin.TotpRequired):
        errors.add("current_password", "当前密码或动态口令不正确（连续失败 5 次将锁定 15 分钟）")
        return render_page("accounts/password.html", status=401, personal=False, errors=errors,
                           signed_in=signed_in, username=username or "", needs_totp=not signed_in)
    if signed_in:
        return render_page("accounts/password.html", personal=False, errors=FormErrors(), signed_in=True,
                           username="", needs_totp=False, notice="密码已修改；您在其他设备上的登录已结束。")
    return redirect_to("/signin", reason="password_changed")


# --- the administrator's accounts ----------------------------------------------------------------

def _accounts_page(*, errors: FormErrors | None = None, status: int = 200, **extra: Any) -> Response:
    session = db_session()
    accounts = admin.list_(session)
    return render_page(
        "accounts/accounts.html", status=status, errors=errors if errors is not None else FormErrors(),
        accounts=accounts,
        locked={a.id: signin.is_locked(a, now()) for a in accounts}, units=units.list_(session),
        roles=[(r, ROLE_TEXT.get(r, r)) for r in ROLES], role_text=ROLE_TEXT, **extra,
    )


@blp.get("/admin/accounts")
@requires("admin")
def accounts_list() -> Response:
    """账户管理: every account, its lock, and the form for a new one."""
    unlocked = request.args.get("unlocked", "")
    # The confirmation after an unlock's 303 (a reload re-sends nothing); only a known username is echoed.
    known = unlocked and signin.by_username(db_session(), unlocked) is not None
    return _accounts_page(notice=f"已解锁账户 {unlocked}。" if known else None)


@blp.post("/admin/accounts")
@requires("admin")
def accounts_create() -> Response:
    data, errors = parse_form(AccountForm(), request.form, lists=frozenset({"roles"}), verbatim=PASSWORDS)
    if data is None:
        return _accounts_page(errors=errors, status=422)
    secret = pyotp.random_base32() if signin.TOTP_ROLES.intersection(data["roles"]) else None
    try:
        with transaction(db_session()) as session:
            account = admin.create(
                session, username=data["username"], display_name=data["display_name"], unit_code=data["unit_code"],
                roles=data["roles"], password=data["password"], now=now(), totp_secret=secret,
                secret_key=_settings().effective_secret(), actor=request_actor(),
                # The administrator chose this password: its owner replaces it at the first sign-in.
                must_change_password=True,
            )
    except admin.UnknownUnit as exc:
        errors.add("unit_code", exc.message_zh)
        return _accounts_page(errors=errors, status=422)
    except WeakPassword as exc:
        errors.add("password", exc.message_zh)
        return _accounts_page(errors=errors, status=422)
    except DomainError as exc:
        conflict = exc.kind is ErrorKind.CONFLICT  # the username is taken
        errors.add("username" if conflict else "_form", exc.message_zh)
        return _accounts_page(errors=errors, status=409 if conflict else 422)
    # Shown once, on this response only (no-store): the secret is not kept in any readable form.
    return render_page("accounts/secret_once.html", account=account, totp_secret=secret, temporary_password=None,
                       totp_uri=pyotp.TOTP(secret).provisioning_uri(name=account.username, issuer_name="huhang")
                       if secret else None)


@blp.post("/admin/accounts/<string:account_id>/unlock")
@requires("admin")
def accounts_unlock(account_id: str) -> Response:
    """解锁: lift a sign-in lock before its 15 minutes are over."""
    with transaction(db_session()) as session:
        account = admin.unlock(session, account_id=account_id, actor=request_actor())
    return redirect_to("/admin/accounts", unlocked=account.username)


@blp.post("/admin/accounts/<string:account_id>/reset")
@requires("admin")
def accounts_reset(account_id: str) -> Response:
    """重置密码: a temporary password, shown once; its owner must choose a new one at sign-in."""
    with transaction(db_session()) as session:
        reset = admin.reset_password(session, account_id=account_id, actor=request_actor(), now=now())
    return render_page("accounts/secret_once.html", account=reset.account, totp_secret=None, totp_uri=None,
                       temporary_password=reset.temporary_password, sessions_ended=reset.sessions_ended)
