"""CSRF protection of every page form: a signed double-submit token plus an origin check.

The token is ``<nonce>.<HMAC(secret, nonce)>``: the same value rides in the
``__Host-huhang_csrf`` cookie and in each form's hidden ``csrf_token`` field.  A POST to a page
is refused (400 ``csrf_failed``) unless both are present, equal and correctly signed, and, when
the browser says where the request came from (``Origin``, else ``Sec-Fetch-Site``), it came from
this origin.  The cookie is HttpOnly (the forms carry the value, no script needs it), SameSite
Strict and ``__Host-`` (no subdomain can plant one).  The session cookies already are SameSite
Strict; this is the second, independent layer OWASP asks for.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import Response, g, request

from shared.errors import DomainError, ErrorKind

CSRF_COOKIE = "__Host-huhang_csrf"
CSRF_FIELD = "csrf_token"
_FLAGS = {"secure": True, "httponly": True, "samesite": "Strict", "path": "/"}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(DomainError):
    kind = ErrorKind.INVALID
    code = "csrf_failed"
    message_en = "The form has expired or did not come from this site: reload the page and send it again"
    message_zh = "表单已失效或并非来自本站：请刷新页面后重新提交"


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), b"huhang-csrf-v1:" + nonce.encode(), hashlib.sha256).hexdigest()


def new_token(secret: str) -> str:
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_sign(secret, nonce)}"


def is_signed(secret: str, token: str) -> bool:
    nonce, _, mac = token.partition(".")
    return bool(nonce) and hmac.compare_digest(mac, _sign(secret, nonce))


def token_for_request(secret: str) -> str:
    """The token this response's forms carry: the browser's own if valid, else a new one (set after the request)."""
    token: str | None = g.get("csrf_token")
    if token is None:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        token = cookie if cookie and is_signed(secret, cookie) else new_token(secret)
        g.csrf_token = token
    return token


def write_cookie(response: Response) -> None:
    """after_request: hand the browser the token its forms were rendered with, if it lacks it."""
    token = g.get("csrf_token")
    if token is not None and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, **_FLAGS)  # type: ignore[arg-type]


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin == "null":
            return False
        parts = urlsplit(origin)
        return parts.netloc == request.host and parts.scheme in ("http", "https")
    site = request.headers.get("Sec-Fetch-Site")
    return site in (None, "same-origin", "none")


def check(secret: str) -> None:
    """before_request of page views: refuse a state-changing request without a valid token."""
    if request.method in _SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.form.get(CSRF_FIELD, "") or request.headers.get("X-CSRF-Token", "")
    if not (cookie and sent and hmac.compare_digest(cookie, sent) and is_signed(secret, sent) and _same_origin()):
        raise CsrfFailed()
