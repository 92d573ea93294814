"""HTTP API of sign-in (tokens, web sessions and their access cookie), the JWKS document and account administration."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Response, current_app, jsonify, make_response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from services.review.identity.accounts import admin, password_change, sessions, signin
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.accounts.schemas import (
    CREDENTIALS_EXAMPLE, PASSWORD_CHANGE_EXAMPLE, AccountRead, Credentials, JwksRead, MeRead, PasswordChange,
    AccessCookieRead, PasswordChanged, SessionRead, TokenRead,
)
from shared.auth import authenticated, public, public_or_signed_in, require_principal, requires
from shared.auth import cookies
from shared.auth.access import AuthGate, current_browser_session
from shared.auth.cookies import BrowserSession
from shared.auth.keys import jwks_document
from shared.context import db_session, get_context, request_actor
from shared.db.base import utcnow
from shared.db.transaction import transaction

blp = Blueprint("auth", __name__, url_prefix="", description="登录与账户 Sign-in and accounts")


def _gate() -> AuthGate:
    gate: AuthGate = current_app.extensions["huhang_auth"]
    return gate


def now() -> datetime:
    """The clock of this app (tests put a fake one in the context's extras)."""
    clock = get_context().extras.get("clock", utcnow)
    value: datetime = clock()
    return value


def _sign_in(session: Session, credentials: dict[str, Any]) -> StaffAccount:
    gate = _gate()
    assert gate.settings is not None
    return signin.sign_in(
        session, username=credentials["username"], password=credentials["password"],
        totp_code=credentials.get("totp"), secret_key=gate.settings.effective_secret(), now=now(),
        actor=request_actor(), allow_demo=not gate.settings.is_production,
        admin_password_max_age=timedelta(days=gate.settings.admin_password_max_age_days),
    )


@blp.route("/api/v1/auth/token")
class Token(MethodView):
    @public
    @blp.arguments(Credentials, example=CREDENTIALS_EXAMPLE)
    @blp.response(200, TokenRead)
    def post(self, credentials: dict[str, Any]) -> dict[str, Any]:
        """Sign in as an API client: a bearer token valid for 15 minutes."""
        gate = _gate()
        assert gate.issuer is not None
        with transaction(db_session()) as session:
            account = _sign_in(session, credentials)
            token = gate.issuer.issue(signin.principal_for(session, account))
        return {"access_token": token, "token_type": "Bearer", "expires_in": gate.issuer.ttl_seconds}


@blp.route("/api/v1/auth/sessions")
class Sessions(MethodView):
    @public
    @blp.arguments(Credentials, example=CREDENTIALS_EXAMPLE)
    @blp.response(201, SessionRead)
    def post(self, credentials: dict[str, Any]) -> Response:
        """Sign in a browser: a server-side session in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict).

        Beside it, `__Host-huhang_access`: a short-lived signed token bound to the session, which
        intake and notify accept as a bearer token is accepted (docs/adr/0005).
        """
        with transaction(db_session()) as session:
            account = _sign_in(session, credentials)
            new = sessions.start(session, account=account, now=now())
            browser = BrowserSession(signin.principal_for(session, account), new.row.id)
        body = SessionRead().dump({
            "username": account.username, "expires_at": new.row.expires_at,
            "idle_timeout_seconds": int(sessions.SESSION_IDLE.total_seconds()),
        })
        response = make_response(jsonify(body), 201)
        cookies.set_session_cookie(response, new.token)  # first: clients reading one Set-Cookie get this one
        _gate().write_access_cookie(response, browser)
        return response


@blp.route("/api/v1/auth/sessions/current")
class CurrentSession(MethodView):
    @authenticated
    @blp.response(204)
    def delete(self) -> Response:
        """Sign out: the session ends on the server, both cookies are cleared.

        An access cookie copied before sign-out stays valid at intake and notify until it expires
        (`HUHANG_ACCESS_COOKIE_TTL_SECONDS`, 300 s by default); review refuses the session at once.
        """
        token = request.cookies.get(_gate().session_cookie)
        if token:
            with transaction(db_session()) as session:
                sessions.end(session, token=token, now=now())
        response = make_response("", 204)
        cookies.clear_session_cookie(response)
        cookies.clear_access_cookie(response)
        return response


@blp.route("/api/v1/auth/sessions/current/refresh")
class CurrentSessionRefresh(MethodView):
    @authenticated
    @blp.response(200, AccessCookieRead)
    def post(self) -> Response:
        """A fresh access cookie for the browser session (after intake or notify answered `session_refresh_required`).

        Signed in by the session cookie only: a bearer token has no browser session to refresh (401).
        """
        browser = current_browser_session()
        if browser is None:
            raise sessions.NoBrowserSession()
        issued = _gate().issue_access_token(browser)
        response = make_response(jsonify(AccessCookieRead().dump({
            "expires_at": datetime.fromtimestamp(issued.expires_at, tz=timezone.utc),
            "expires_in": issued.lifetime_seconds,
        })), 200)
        cookies.set_access_cookie(response, issued)
        return response


@blp.route("/api/v1/auth/password")
class Password(MethodView):
    @public_or_signed_in
    @blp.arguments(PasswordChange, example=PASSWORD_CHANGE_EXAMPLE)
    @blp.response(200, PasswordChanged)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Change your own password.

        Signed in (token or session): `{current_password, new_password}`.  Not signed in (an
        administrator whose password has expired): `{username, current_password, totp, new_password}`,
        checked exactly as at sign-in.  A wrong current password is a failed sign-in (401, counts
        toward the lock).  Every other web session of the account ends.
        """
        gate = _gate()
        assert gate.settings is not None
        keep = None
        if body.get("username") is None and "Authorization" not in request.headers:
            keep = request.cookies.get(gate.session_cookie)  # signed in by this session: it stays
        with transaction(db_session()) as session:
            change = password_change.change_password(
                session, actor=request_actor(), username=body.get("username"),
                current_password=body["current_password"], new_password=body["new_password"],
                totp_code=body.get("totp"), keep_session_token=keep, secret_key=gate.settings.effective_secret(),
                now=now(), allow_demo=not gate.settings.is_production,
            )
        return {"username": change.account.username, "password_changed_at": change.account.password_changed_at,
                "sessions_ended": change.sessions_ended}


@blp.route("/api/v1/auth/me")
class Me(MethodView):
    @authenticated
    @blp.response(200, MeRead)
    def get(self) -> dict[str, Any]:
        """Who the token or session belongs to, and which units they see."""
        p = require_principal()
        return {
            "user_id": p.user_id, "username": p.username, "unit_code": p.unit_code, "roles": sorted(p.roles),
            "visible_units": "*" if p.visible_units is None else sorted(p.visible_units),
        }


@blp.route("/.well-known/jwks.json")
class Jwks(MethodView):
    @public
    @blp.response(200, JwksRead)  # documents the body; the Response below is passed through as it is
    def get(self) -> Response:
        """The public keys that verify review's tokens (intake and notify cache them)."""
        gate = _gate()
        assert gate.issuer is not None
        response = jsonify(jwks_document(gate.issuer.key.public_key()))
        response.headers["Cache-Control"] = "public, max-age=300"
        return response


def _account_read(account: StaffAccount) -> dict[str, Any]:
    return {
        "id": account.id, "username": account.username, "display_name": account.display_name,
        "unit_code": account.unit_code, "roles": sorted(account.roles), "disabled": account.disabled,
        "is_demo": account.is_demo, "locked": signin.is_locked(account, now()), "locked_until": account.locked_until,
        "failed_count": account.failed_count, "totp_enrolled": account.totp_secret_enc is not None,
        "last_sign_in_at": account.last_sign_in_at,
    }


@blp.route("/api/v1/accounts")
class Accounts(MethodView):
    @requires("admin")
    @blp.response(200, AccountRead(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Every staff account (administrators only; no hash or secret is ever shown)."""
        return [_account_read(a) for a in admin.list_(db_session())]


@blp.route("/api/v1/accounts/<string:account_id>/unlock")
class AccountUnlock(MethodView):
    @requires("admin")
    @blp.response(200, AccountRead)
    def post(self, account_id: str) -> dict[str, Any]:
        """Lift a sign-in lock before its 15 minutes are over."""
        with transaction(db_session()) as session:
            account = admin.unlock(session, account_id=account_id, actor=request_actor())
        return _account_read(account)


def resolve_cookie(token: str) -> BrowserSession | None:
    """The live browser session a session cookie names, for the auth gate (None if not live).

    Runs before the view, in a transaction of its own: the touched idle clock, or the end of a
    session found idle or expired, is committed whatever the view then does.
    """
    with transaction(db_session()) as session:
        account = sessions.resolve(session, token=token, now=now())
        if account is None:
            return None
        return BrowserSession(signin.principal_for(session, account), sessions.session_id(token))
