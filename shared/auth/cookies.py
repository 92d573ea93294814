"""A browser's two cookies: review's web session, and the access cookie every service accepts.

One origin serves all three services (a proxy routes `/api/v1/...` to each).  At browser sign-in
review sets `__Host-huhang_session` (a random token naming a server-side session that only review
can resolve) and `__Host-huhang_access`: a short-lived Ed25519 token, the same kind as a bearer
token, plus a `sid` claim binding it to its session (a hash of the session's id, never the
cookie value).  Intake and notify verify the access cookie like a bearer token; review keeps it
fresh on requests signed in by the session and at `POST /api/v1/auth/sessions/current/refresh`.
Both cookies are Secure, HttpOnly, SameSite=Strict, Path=/ and carry no Max-Age: the token's
`exp` is what counts, so an expired one still reaches intake and notify and is answered with
401 `session_refresh_required` (docs/adr/0005-one-browser-session-for-every-service.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask import Response, g

from shared.auth.principal import Principal
from shared.auth.tokens import InvalidToken, IssuedToken, TokenIssuer, TokenVerifier

SESSION_COOKIE = "__Host-huhang_session"
ACCESS_COOKIE = "__Host-huhang_access"
SID_CLAIM = "sid"
_FLAGS: dict[str, Any] = {"secure": True, "httponly": True, "samesite": "Strict", "path": "/"}


@dataclass(frozen=True)
class BrowserSession:
    """A live web session as review's resolver reports it: who, and the server's id of the session."""

    principal: Principal
    session_id: str  # the stored id (review keeps the SHA-256 of the cookie token), never the token


def session_binding(session_id: str) -> str:
    """The `sid` claim of an access cookie: a hash of the session id, so the token reveals neither."""
    return hashlib.sha256(b"huhang-access-sid-v1:" + session_id.encode()).hexdigest()


def principal_of_access_cookie(verifier: TokenVerifier, value: str) -> Principal:
    """The principal of an access cookie; raises InvalidToken (TokenExpired when only its lifetime is over).

    A token without `sid` is a bearer token put into the cookie: refused, a cookie is only ever
    one that review set at a browser sign-in.
    """
    claims = verifier.decode(value)
    sid = claims.get(SID_CLAIM)
    if not isinstance(sid, str) or not sid:
        raise InvalidToken("no sid claim: not an access cookie")
    try:
        return Principal.from_claims(claims)
    except (KeyError, ValueError, TypeError) as exc:
        raise InvalidToken(f"bad claims: {exc}") from None


def needs_reissue(verifier: TokenVerifier, value: str | None, *, browser: BrowserSession, now: float) -> bool:
    """Whether the browser's access cookie is missing, invalid, of another session, or past half its life."""
    if not value:
        return True
    try:
        claims = verifier.decode(value)
    except InvalidToken:
        return True
    if claims.get(SID_CLAIM) != session_binding(browser.session_id):
        return True
    issued_at, expires_at = int(claims["iat"]), int(claims["exp"])
    return now >= issued_at + (expires_at - issued_at) / 2


def issue_access_token(issuer: TokenIssuer, browser: BrowserSession, *, ttl_seconds: int) -> IssuedToken:
    """A new access-cookie token for `browser` (review only: it holds the signing key)."""
    return issuer.issue_token(browser.principal, ttl_seconds=ttl_seconds,
                              **{SID_CLAIM: session_binding(browser.session_id)})


def set_access_cookie(response: Response, issued: IssuedToken) -> None:
    """Put an access-cookie token on `response`."""
    response.set_cookie(ACCESS_COOKIE, issued.value, **_FLAGS)
    g.access_cookie_written = True  # the after-request refresh leaves this response alone


def clear_access_cookie(response: Response) -> None:
    """Clear the access cookie (sign-out); the token itself stays valid until its `exp`."""
    response.delete_cookie(ACCESS_COOKIE, **_FLAGS)
    g.access_cookie_written = True


def set_session_cookie(response: Response, token: str) -> None:
    """Set review's session cookie (the random token naming the server-side session)."""
    response.set_cookie(SESSION_COOKIE, token, **_FLAGS)


def clear_session_cookie(response: Response) -> None:
    """Clear review's session cookie (sign-out; the session row is ended by review)."""
    response.delete_cookie(SESSION_COOKIE, **_FLAGS)
