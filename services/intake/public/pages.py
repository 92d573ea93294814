"""The public pages (no account): the home page of 12309 and 12368, the case-status query, the enterprise view.

Each query is a POST form that works without JavaScript and calls the same service as its API
(services/intake/public/service.py); its answer is never cached (no-store) and its fields never
appear in a URL.  A wrong code and an unknown number render the same page.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Response, request
from marshmallow import Schema

from services.intake import config
from services.intake.petitions import lines
from services.intake.petitions.forms import readable
from services.intake.public import service
from services.intake.status.schemas import EnterpriseQueryIn, StatusFeedbackIn, StatusQueryIn
from shared.auth import public
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, render_page

blp = page_blueprint("public", __name__)

_STATUS_LABELS = {"case_number": "案件编号", "query_code": "查询码"}
_ENTERPRISE_LABELS = {"credit_code": "统一社会信用代码", "access_code": "企业查询码"}
_FEEDBACK_LABELS = {**_STATUS_LABELS, "rating": "评价", "reasons": "理由"}
# What a refused 评价 form shows again besides the number (never the code).
_FEEDBACK_KEPT = ("rating", "reasons")


@blp.get("/public/")
@public
def home() -> Response:
    """首页: both service lines, what they handle, how to reach them, what they promise."""
    return render_page("public/home.html", personal=False, lines=lines.lines(config.current()))


def _form(template: str, number_field: str, labels: dict[str, str], errors: FormErrors | None = None, *,
          status: int = 200, kept: tuple[str, ...] = (), **context: Any) -> Response:
    # Only the number (and `kept`) is put back into the form; the code is typed again, never echoed.
    values = ({name: errors.values.get(name, "") for name in (number_field, *kept)}
              if errors is not None else {})
    if errors:
        errors = readable(errors, labels)
    # no-store: the form carries a CSRF token tied to this browser's cookie.
    return render_page(template, status=status, errors=errors, values=values,
                       window_minutes=math.ceil(config.current().status_query_window_s / 60),
                       lock_minutes=math.ceil(config.current().status_query_lock_s / 60), **context)


def _ask(schema: Schema, template: str, number_field: str, labels: dict[str, str], answer_template: str,
         run: Any, kept: tuple[str, ...] = (), **answer_context: Any) -> Response:
    """Parse the form, run the query, and render its answer or the form with what went wrong."""
    data, errors = parse_form(schema, request.form)
    if data is None:
        return _form(template, number_field, labels, errors, status=422, kept=kept)
    try:
        with transaction(db_session()) as session:  # the window's row, the lock's count, the audit row
            answer = run(session, data)
    except (service.TooManyQueries, service.QueryLocked) as exc:
        locked = isinstance(exc, service.QueryLocked)
        page = _form(template, number_field, labels, errors, status=429, limited=not locked, locked=locked,
                     retry_minutes=math.ceil(exc.retry_after_s / 60))
        page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    except (service.StatusNotFound, service.EnterpriseNotFound):
        return _form(template, number_field, labels, errors, not_matched=True, kept=kept)
    except service.FeedbackRefused as exc:
        return _form(template, number_field, labels, errors, status=409, kept=kept, refused=exc.message_zh)
    return render_page(answer_template, answer=answer, **answer_context)


@blp.get("/public/status")
@public
def status_form() -> Response:
    """案件进度查询: the form."""
    return _form("public/status.html", "case_number", _STATUS_LABELS)


@blp.post("/public/status")
@public
def status_query() -> Response:
    """The answer: the matter's timeline, or one page for every way of not matching."""
    return _ask(StatusQueryIn(), "public/status.html", "case_number", _STATUS_LABELS, "public/answer.html",
                lambda session, data: service.query(
                    session, case_number=data["case_number"], code=data["query_code"], actor=request_actor(),
                    settings=config.current(), now=config.now()))


@blp.post("/public/status/feedback")
@public
def status_feedback() -> Response:
    """评价: the petitioner rates the result reply (case number and 查询码 again); the answer shows it."""
    return _ask(StatusFeedbackIn(), "public/feedback.html", "case_number", _FEEDBACK_LABELS, "public/answer.html",
                lambda session, data: service.give_feedback(
                    session, case_number=data["case_number"], code=data["query_code"], rating=data["rating"],
                    reasons=data["reasons"], actor=request_actor(), settings=config.current(), now=config.now()),
                kept=_FEEDBACK_KEPT, thanked=True)


@blp.get("/public/enterprise")
@public
def enterprise_form() -> Response:
    """企业查询: the form (credit code and the access code staff issued)."""
    return _form("public/enterprise.html", "credit_code", _ENTERPRISE_LABELS)


@blp.post("/public/enterprise")
@public
def enterprise_query() -> Response:
    """Every matter of the enterprise with its timeline, or one page for every way of not matching."""
    return _ask(EnterpriseQueryIn(), "public/enterprise.html", "credit_code", _ENTERPRISE_LABELS,
                "public/enterprise_answer.html",
                lambda session, data: service.enterprise_query(
                    session, credit_code=data["credit_code"], code=data["access_code"], actor=request_actor(),
                    settings=config.current(), now=config.now()))
