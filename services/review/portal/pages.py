"""Pages of the portal: `/` (what is due today, overdue, unread notices), `/assets/`, the session pages."""

from __future__ import annotations

from flask import Response, abort, current_app, request, send_from_directory

from services.review.identity.accounts.views import now as accounts_now
from services.review.portal import home
from shared.auth import authenticated, public, public_or_signed_in, require_principal
from shared.auth import cookies
from shared.auth.access import AuthGate, current_browser_session
from shared.context import db_session
from shared.web.pages import page_blueprint, redirect_to, render_page, safe_next
from shared.web.pages.assets import assets_dir

blp = page_blueprint("portal", __name__)
_YEAR = 365 * 24 * 3600


@blp.get("/")
@authenticated
def index() -> Response:
    """首页: the signed-in person's work for today, by role."""
    principal = require_principal()
    # The accounts' clock (the one sign-in locks by), so the home page and 账户管理 agree on what is locked.
    work = home.work_of(db_session(), principal, now=accounts_now())
    return render_page("portal/home.html", today=home.today(), work=work)


@blp.get("/assets/<path:name>")
@public
def asset(name: str) -> Response:
    """The built stylesheet and script (web/dist): a versioned URL is cached for a year."""
    if name.startswith(".") or "/." in name:
        abort(404)
    response = send_from_directory(assets_dir(), name, max_age=_YEAR if request.args.get("v") else 0)
    if request.args.get("v"):
        response.headers["Cache-Control"] = f"public, max-age={_YEAR}, immutable"
    return response


@blp.get("/session-ended")
@public
def session_ended() -> Response:
    """The page the idle timeout leads to: it says what happened instead of failing the next form."""
    response = render_page("portal/session_ended.html", personal=False)
    cookies.clear_access_cookie(response)
    return response


@blp.get("/session/refresh")
@public_or_signed_in
def session_refresh() -> Response:
    """Intake or notify found the access cookie stale: renew it from the live session and go back."""
    target = safe_next(request.args.get("next"))
    browser = current_browser_session()
    if browser is None:
        return redirect_to("/signin", next=target, reason="ended")
    gate: AuthGate = current_app.extensions["huhang_auth"]
    response = redirect_to(target)
    gate.write_access_cookie(response, browser)
    return response
