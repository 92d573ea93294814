"""Access declarations on views, the check before each request, and the startup check.

Every view function (or MethodView method) says who may call it:

- `@public`: anyone, no token (health, OpenAPI, JWKS, sign-in);
- `@authenticated`: any signed-in principal;
- `@requires("triage_officer", ...)`: a principal holding one of these roles, else 403;
- `@public_or_signed_in`: anyone, but a token or session sent along is checked (an invalid token
  is a 401) and sets the principal; the view decides what each case may do (the password change).

The principal comes from, in this order: an `Authorization: Bearer` header; in review, the web
session cookie (resolved on the server); elsewhere, the browser's access cookie, verified like a
bearer token (`cookies.py`).  No credential, or an expired, forged or malformed one, is a 401; an
expired access cookie is 401 `session_refresh_required`, so the page refreshes it at review and
retries.  `check_declarations(app)` refuses an app with any view lacking a declaration, so a new
endpoint cannot ship unprotected by omission.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from shared.auth import cookies
from shared.auth.config import AuthSettings
from shared.auth.cookies import BrowserSession
from shared.auth.principal import ROLES, Principal
from shared.auth.tokens import InvalidToken, IssuedToken, TokenExpired, TokenIssuer, TokenVerifier

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
_ATTR = "__huhang_access__"
# flask-smorest's own endpoints (the OpenAPI document) cannot carry our decorator.
_BUILTIN_PUBLIC_PREFIXES = ("api-docs.",)
REFRESH_REQUIRED = {
    "code": "session_refresh_required",
    "en": "The browser's access cookie has expired or is missing: call POST /api/v1/auth/sessions/current/refresh "
          "(review), then retry",
    "zh": "浏览器访问凭证已过期或缺失：请先调用 POST /api/v1/auth/sessions/current/refresh（审查服务）刷新后重试",
}


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[str] | None = None  # None with public=False: any signed-in principal
    identifies: bool = False  # public, but a token or session sent along is checked and used

    def allows(self, principal: Principal) -> bool:
        return self.roles is None or principal.has_role(*self.roles)


def _declare(func: F, rule: AccessRule) -> F:
    if hasattr(func, _ATTR):
        raise TypeError(f"{func.__qualname__} declares its access twice")
    setattr(func, _ATTR, rule)
    return func


def public(func: F) -> F:
    """Anyone may call this view, without a token."""
    return _declare(func, AccessRule(public=True))


def authenticated(func: F) -> F:
    """Any signed-in principal may call this view."""
    return _declare(func, AccessRule())


def public_or_signed_in(func: F) -> F:
    """Anyone may call this view; a token or session cookie, when sent, is checked and sets the principal."""
    return _declare(func, AccessRule(public=True, identifies=True))


def requires(*roles: str) -> Callable[[F], F]:
    """Only a principal holding one of `roles` may call this view; others get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown or no roles: {sorted(unknown)}")

    def decorate(func: F) -> F:
        return _declare(func, AccessRule(roles=frozenset(roles)))

    return decorate


def rule_of(app: Flask, endpoint: str, method: str) -> AccessRule | None:
    """The declaration of the view serving `endpoint` for `method`, or None if undeclared."""
    if endpoint.startswith(_BUILTIN_PUBLIC_PREFIXES):
        return AccessRule(public=True)
    view = app.view_functions.get(endpoint)
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        name = method.lower()
        if name == "head" and not hasattr(view_class, "head"):
            name = "get"
        handler = getattr(view_class, name, None)
        return getattr(handler, _ATTR, None) if handler is not None else None
    rule: AccessRule | None = getattr(view, _ATTR, None)
    return rule


def undeclared(app: Flask) -> list[str]:
    """`METHOD /path` of every route whose view lacks an access declaration."""
    missing = []
    for url_rule in app.url_map.iter_rules():
        for method in sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if rule_of(app, url_rule.endpoint, method) is None:
                missing.append(f"{method} {url_rule.rule}")
    return missing


def check_declarations(app: Flask) -> None:
    """Refuse to build an app in which any view lacks an access declaration."""
    missing = undeclared(app)
    if missing:
        raise RuntimeError("views without an access declaration (@public/@authenticated/@requires): " + ", ".join(missing))


@dataclass
class AuthGate:
    """Per-app authentication: the token verifier and, in review, the issuer and web-session resolver."""

    verifier: TokenVerifier
    issuer: TokenIssuer | None = None  # review only
    settings: AuthSettings | None = None
    # Review: the live session a session cookie names (None if ended, idle or expired).
    session_resolver: Callable[[str], BrowserSession | None] | None = None
    session_cookie: str = cookies.SESSION_COOKIE
    access_cookie: str = cookies.ACCESS_COOKIE
    # Called before a 403 (the web app audits it); auth itself knows nothing of the audit log.
    on_denied: Callable[[], None] | None = None

    def issue_access_token(self, browser: BrowserSession) -> IssuedToken:
        """A fresh access-cookie token for a browser session (review only)."""
        assert self.issuer is not None and self.settings is not None, "only review issues access cookies"
        return cookies.issue_access_token(self.issuer, browser, ttl_seconds=self.settings.access_cookie_ttl_seconds)

    def write_access_cookie(self, response: Response, browser: BrowserSession) -> IssuedToken:
        """Set a fresh access cookie for a browser session (review: sign-in, refresh, the after-request check)."""
        issued = self.issue_access_token(browser)
        cookies.set_access_cookie(response, issued)
        return issued


def _unauthorized(code: str = "unauthenticated", **text: str) -> Unauthorized:
    exc = Unauthorized()
    exc.huhang = {"code": code, **text}  # type: ignore[attr-defined]
    return exc


def current_browser_session() -> BrowserSession | None:
    """The web session this request was signed in by (review), or None (a bearer token, no session)."""
    browser: BrowserSession | None = g.get("browser_session")
    return browser


def _access_cookie_principal(gate: AuthGate, value: str) -> Principal:
    try:
        return cookies.principal_of_access_cookie(gate.verifier, value)
    except TokenExpired:
        raise _unauthorized(**REFRESH_REQUIRED) from None
    except InvalidToken as exc:
        log.info("access cookie refused: %s", exc)
        raise _unauthorized("invalid_token") from None


def authenticate_request() -> None:
    """before_request: set `g.principal` and enforce the view's declaration (401/403)."""
    g.principal = None
    g.browser_session = None
    if request.method == "OPTIONS" or request.endpoint is None:
        return  # routing already failed (404/405) or Flask answers OPTIONS itself
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    rule = rule_of(app, request.endpoint, request.method)
    if rule is None:  # unreachable after check_declarations; fail closed anyway
        raise Forbidden()
    if rule.public and not rule.identifies:
        return
    gate: AuthGate = app.extensions["huhang_auth"]
    principal: Principal | None = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized()
        try:
            principal = gate.verifier.verify(token.strip())
        except InvalidToken as exc:
            log.info("token refused: %s", exc)
            raise _unauthorized("invalid_token") from None
    elif gate.session_resolver is not None:
        # Review: the server-side session decides (a signed-out session is refused at once); the
        # access cookie, valid until its expiry whatever happened since, is not consulted here.
        if gate.session_cookie in request.cookies:
            g.browser_session = gate.session_resolver(request.cookies[gate.session_cookie])
            principal = g.browser_session.principal if g.browser_session is not None else None
    elif gate.access_cookie in request.cookies:
        principal = _access_cookie_principal(gate, request.cookies[gate.access_cookie])
    elif gate.session_cookie in request.cookies and not rule.public:
        # Signed in at review, but no access cookie came along (not yet set, or dropped): refresh.
        raise _unauthorized(**REFRESH_REQUIRED)
    if principal is None:
        if rule.public:
            return  # @public_or_signed_in called without a token or live session
        raise _unauthorized()
    g.principal = principal
    if not rule.allows(principal):
        if gate.on_denied is not None:
            gate.on_denied()
        raise Forbidden()
