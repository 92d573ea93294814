"""The public pages (no account): the home page of 12309 and 12368, and the case-status query.

The query is a POST form that works without JavaScript; its answer is never cached (no-store)
and its fields never appear in a URL.  A wrong code and an unknown case render the same page.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Response, request

from services.intake import config
from services.intake.petitions import lines
from services.intake.petitions.forms import readable
from services.intake.public import service
from services.intake.public.forms import StatusQueryForm
from shared.auth import public
from shared.context import db_session, get_context, request_actor
from shared.db.base import utcnow
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, render_page

blp = page_blueprint("public", __name__)


@blp.get("/public/")
@public
def home() -> Response:
    """首页: both service lines, what they handle, how to reach them, what they promise."""
    return render_page("public/home.html", personal=False, lines=lines.lines(config.current()))


def _form(errors: FormErrors | None = None, *, status: int = 200, **context: Any) -> Response:
    # Only the case number is put back into the form; the code is typed again, never echoed.
    values = {"case_number": errors.values.get("case_number", "")} if errors is not None else {}
    if errors:
        errors = readable(errors, {"case_number": "案件编号", "query_code": "查询码"})
    # no-store: the form carries a CSRF token tied to this browser's cookie.
    return render_page("public/status.html", status=status, errors=errors, values=values,
                       window_minutes=math.ceil(config.current().status_query_window_s / 60), **context)


@blp.get("/public/status")
@public
def status_form() -> Response:
    """案件进度查询: the form."""
    return _form()


@blp.post("/public/status")
@public
def status_query() -> Response:
    """The answer: the case's public status, or one page for every way of not matching."""
    data, errors = parse_form(StatusQueryForm(), request.form)
    if data is None:
        return _form(errors, status=422)
    now = get_context().extras.get("clock", utcnow)()
    try:
        with transaction(db_session()) as session:  # the window's row and the audit row
            answer = service.query(session, case_number=data["case_number"], code=data["query_code"],
                                   actor=request_actor(), settings=config.current(), now=now)
    except service.TooManyQueries as exc:
        page = _form(errors, status=429, limited=True, retry_minutes=math.ceil(exc.retry_after_s / 60))
        page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    if answer is None:
        return _form(errors, not_matched=True)
    return render_page("public/answer.html", answer=answer)
