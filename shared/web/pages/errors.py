"""Errors of a page request, answered as a person expects: a redirect to sign in, or a page that says what went wrong."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from shared.auth.cookies import SESSION_COOKIE
from shared.web.pages.render import back_path, is_page_request, redirect_to, render_page, wants_fragment

REFRESH_PATH = "/session/refresh"
SIGNIN_PATH = "/signin"


def page_error_response(status: int, code: str, en: str, zh: str, errors: Any) -> Response | None:
    """The page for an error of a page request; None for the API and for fragments (they get JSON)."""
    if not is_page_request() or wants_fragment():
        return None
    if status == 401:
        if code == "session_refresh_required":
            # Signed in at review, but this service's access cookie is stale: review renews it.
            return redirect_to(REFRESH_PATH, next=back_path())
        ended = SESSION_COOKIE in request.cookies
        return redirect_to(SIGNIN_PATH, next=back_path(), reason="ended" if ended else None)
    if code == "csrf_failed":
        status = 400
    return render_page("error.html", status=status, personal=False, status_code=status, code=code,
                       message_en=en, message_zh=zh, errors=errors)
