"""The auditor's page of a service's audit log (审计日志): filters, newest first, paged by key.

Every service serves its own log at ``/audit/<service>`` (the front door routes it there), as it
serves the API at ``/api/v1/audit``; no service reads another's log.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, request
from marshmallow import Schema, fields, validate

from shared.audit import service as audit
from shared.audit.models import OUTCOMES
from shared.auth.access import requires
from shared.calendar.clock import beijing_midnight
from shared.context import db_session
from shared.web.pages import page_blueprint, parse_form, render_page

PAGE_SIZE = 50
OUTCOME_TEXT = {"success": "成功", "failure": "失败", "denied": "拒绝"}


class AuditFilters(Schema):
    """The filter form (a GET form: nothing in it is personal; names and numbers are masked in the rows)."""

    actor = fields.String(validate=validate.Length(min=1, max=100))
    action = fields.String(validate=validate.Length(min=1, max=60))
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    subject_id = fields.String(validate=validate.Length(min=1, max=200))
    since = fields.Date()
    until = fields.Date()
    before = fields.Integer(validate=validate.Range(min=1))


def audit_pages(service: str) -> Blueprint:
    """The audit-log page of ``service`` (a new blueprint per app: its URL names the service)."""
    blp = page_blueprint("audit", __name__, url_prefix=f"/audit/{service}")

    @blp.get("")
    @requires("auditor")
    def log() -> Any:
        """审计日志: one service's rows, newest first, with filters."""
        data, errors = parse_form(AuditFilters(), request.args)
        rows: list[Any] = []
        next_url = None
        if data is not None:
            rows = audit.list_(
                db_session(), actor=data.get("actor"), action=data.get("action"), outcome=data.get("outcome"),
                subject_id=data.get("subject_id"),
                since=beijing_midnight(data["since"]) if "since" in data else None,
                until=beijing_midnight(data["until"] + _dt.timedelta(days=1)) if "until" in data else None,
                before_id=data.get("before"), limit=PAGE_SIZE + 1,
            )
            if len(rows) > PAGE_SIZE:
                rows = rows[:PAGE_SIZE]
                query = {k: v for k, v in errors.values.items() if k != "before"}
                next_url = f"{request.path}?{urlencode({**query, 'before': rows[-1].id})}"
        first_url = request.path + ("?" + urlencode({k: v for k, v in errors.values.items() if k != "before"})
                                    if any(k != "before" for k in errors.values) else "")
        return render_page(
            "audit/log.html", service_name=service, rows=rows, errors=errors, values=errors.values,
            next_url=next_url, first_url=first_url if data and data.get("before") else None,
            outcomes=[(o, OUTCOME_TEXT.get(o, o)) for o in OUTCOMES], outcome_text=OUTCOME_TEXT,
            status=200 if data is not None else 422,
        )

    return blp
