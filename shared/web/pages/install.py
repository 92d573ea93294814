"""Wiring a service's page blueprints into its app (called by `create_service_app`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, g, request
from jinja2 import ChoiceLoader, FileSystemLoader

from shared.auth.config import SESSION_IDLE_SECONDS, AuthSettings
from shared.auth.cookies import SESSION_COOKIE
from shared.web.pages import csrf, filters
from shared.web.pages.assets import asset_url
from shared.web.pages.errors import page_error_response
from shared.web.pages.nav import nav_for
from shared.web.pages.render import PAGES_KEY, current_path

TEMPLATES = Path(__file__).parent / "templates"
# No inline script or style anywhere: the one script and stylesheet come from /assets/ (web/).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def install_pages(app: Flask, *, service: str, blueprints: Iterable[Blueprint]) -> None:
    """Templates, filters, CSRF, CSP and page-shaped errors; then the blueprints themselves."""
    blueprints = list(blueprints)
    secret = AuthSettings().effective_secret()
    # The shared layout first; each blueprint's own folder is searched by Flask after it.
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES))])
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    filters.register(app.jinja_env)
    # Globals, not context: macros imported without context (macros.html) reach them too.
    app.jinja_env.globals.update(csrf_token=lambda: csrf.token_for_request(secret), csrf_field=csrf.CSRF_FIELD,
                                 asset_url=asset_url)
    app.extensions[PAGES_KEY] = frozenset(bp.name for bp in blueprints)
    app.extensions[csrf.SECRET_KEY] = secret
    app.extensions["huhang_error_page"] = page_error_response
    for bp in blueprints:
        app.register_blueprint(bp)

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        principal = g.get("principal")
        return {
            "service": service,
            "principal": principal,
            "nav": nav_for(principal),
            "current_path": current_path(),
            "request_path": request.path,
            # Only a browser signed in by its session has an idle clock to show.
            "idle_seconds": SESSION_IDLE_SECONDS if SESSION_COOKIE in request.cookies and principal else 0,
        }

    @app.before_request
    def _check_csrf() -> None:
        if request.blueprint in app.extensions[PAGES_KEY] and not csrf.checked_in_view(app):
            csrf.check(secret)

    @app.after_request
    def _page_headers(response: Response) -> Response:
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            csrf.write_cookie(response)
        return response
