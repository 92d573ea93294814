"""CSRF protection of every page form: a signed double-submit token plus an origin check.

The token is ``<nonce>.<HMAC(secret, nonce)>``: the same value rides in the
``__Host-huhang_csrf`` cookie and in each form's hidden ``csrf_token`` field.  A POST to a page
is refused (400 ``csrf_failed``) unless both are present, equal and correctly signed, and, when
the browser says where the request came from (``Origin``, else ``Sec-Fetch-Site``), it came from
this origin.  The cookie is HttpOnly (the forms carry the value, no script needs it), SameSite
Strict and ``__Host-`` (no subdomain can plant one).  The session cookies already are SameSite
Strict; this is the second, independent layer OWASP asks for.

The check runs before every page POST, ahead of the access check.  A form that sends files
(:func:`file_form`) is checked in its view instead, after the access check: its large body is
read only for a caller who may send it, under the view's own body limit.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from shared.errors import DomainError, ErrorKind

F = TypeVar("F", bound=Callable[..., Any])

CSRF_COOKIE = "__Host-huhang_csrf"
CSRF_FIELD = "csrf_token"
_FLAGS = {"secure": True, "httponly": True, "samesite": "Strict", "path": "/"}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECRET_KEY = "huhang_csrf_secret"  # app.extensions: the key the tokens are signed with
_IN_VIEW = "__huhang_csrf_in_view__"


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


def checked_in_view(app: Flask) -> bool:
    """Whether this request's view checks the token itself (a :func:`file_form`)."""
    view = app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _IN_VIEW, False))


def file_form(*, max_body_bytes: int, too_large: Callable[..., ResponseReturnValue]) -> Callable[[F], F]:
    """A page POST that sends files: the body limit raised to `max_body_bytes` for its request only,
    and the CSRF token checked here, after the access check, instead of before every request.

    A body over the limit is not read, so its token cannot be checked: `too_large` answers
    instead (with the view's arguments); it must change nothing, as any unchecked request.
    """
    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            request.max_content_length = max_body_bytes
            try:
                check(current_app.extensions[SECRET_KEY])  # reads the form: the whole body
            except RequestEntityTooLarge:
                return too_large(*args, **kwargs)
            return view(*args, **kwargs)

        setattr(wrapper, _IN_VIEW, True)
        return wrapper  # type: ignore[return-value]

    return decorate
