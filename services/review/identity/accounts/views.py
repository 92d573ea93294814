"""HTTP API of sign-in (tokens and web sessions), the JWKS document and account administration."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Response, current_app, jsonify, make_response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from services.review.identity.accounts import admin, password_change, sessions, signin
from services.review.identity.accounts.models import StaffAccount
from services.review.identity.accounts.schemas import (
    CREDENTIALS_EXAMPLE, PASSWORD_CHANGE_EXAMPLE, AccountRead, Credentials, JwksRead, MeRead, PasswordChange,
    PasswordChanged, SessionRead, TokenRead,
)
from shared.auth import authenticated, public, public_or_signed_in, require_principal, requires
from shared.auth.access import AuthGate
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
        """Sign in a browser: a server-side session in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict)."""
        with transaction(db_session()) as session:
            account = _sign_in(session, credentials)
            new = sessions.start(session, account=account, now=now())
        body = SessionRead().dump({
            "username": account.username, "expires_at": new.row.expires_at,
            "idle_timeout_seconds": int(sessions.SESSION_IDLE.total_seconds()),
        })
        response = make_response(jsonify(body), 201)
        response.set_cookie(_gate().session_cookie, new.token, secure=True, httponly=True, samesite="Strict", path="/")
        return response


@blp.route("/api/v1/auth/sessions/current")
class CurrentSession(MethodView):
    @authenticated
    @blp.response(204)
    def delete(self) -> Response:
        """Sign out: the session ends on the server, the cookie is cleared."""
        token = request.cookies.get(_gate().session_cookie)
        if token:
            with transaction(db_session()) as session:
                sessions.end(session, token=token, now=now())
        response = make_response("", 204)
        response.delete_cookie(_gate().session_cookie, secure=True, httponly=True, samesite="Strict", path="/")
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


def resolve_cookie(token: str) -> Any:
    """The principal of a browser session cookie, for the auth gate (None if not live).

    Runs before the view, in a transaction of its own: the touched idle clock, or the end of a
    session found idle or expired, is committed whatever the view then does.
    """
    with transaction(db_session()) as session:
        account = sessions.resolve(session, token=token, now=now())
        return signin.principal_for(session, account) if account is not None else None
