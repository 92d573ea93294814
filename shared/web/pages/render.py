"""Rendering a page or a fragment, and the redirects a page answers with."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Response, current_app, g, make_response, redirect, render_template, request

FRAGMENT_HEADER = "X-Huhang-Fragment"
PAGES_KEY = "huhang_pages"  # app.extensions: the names of the page blueprints


def safe_next(value: str | None, default: str = "/") -> str:
    """A ``next`` target only if it is a path on this site (no scheme, host or ``//``): no open redirect.

    No control character either: browsers drop a tab or newline inside a URL (``/\\t/evil`` is
    ``//evil`` to them), and a newline cannot go into a Location header at all.
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def redirect_to(path: str, **query: str | None) -> Response:
    """303 See Other to a local path: after a POST the browser GETs the result (no resubmission)."""
    args = {k: v for k, v in query.items() if v}
    target = safe_next(path) + (("?" + urlencode(args)) if args else "")
    response = make_response(redirect(target, code=303))
    return response


def render_page(template: str, *, status: int = 200, personal: bool = True, **context: Any) -> Response:
    """A whole page.  ``personal``: it shows personal or case data, so no cache may keep it (no-store)."""
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store" if personal else "no-cache"
    return response


def render_fragment(template: str, *, status: int = 200, **context: Any) -> Response:
    """A part of a page another service's page includes (``data-include``); never cached."""
    response = make_response(render_template(template, fragment=True, **context), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = FRAGMENT_HEADER
    return response


def wants_fragment() -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "1"


def current_path() -> str:
    """The path and query of this request, for a ``next`` parameter."""
    full = request.full_path
    return full[:-1] if full.endswith("?") else full


def principal() -> Any:
    return g.get("principal")


def is_page_request() -> bool:
    """This request is for a page (or a browser navigating to an unknown path), not for the JSON API."""
    pages: frozenset[str] = current_app.extensions.get(PAGES_KEY, frozenset())
    if request.blueprint in pages:
        return True
    if request.url_rule is None and not request.path.startswith("/api/"):
        return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"
    return False


def back_path() -> str:
    """Where to come back to after signing in again: this page, or for a form the page it was on."""
    if request.method == "GET":
        return current_path()
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host:
        return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))
    return "/"
