"""Schemas of the 督办 API and forms (the page's forms load the same ones)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from services.review.supervision.listing import OPEN_STATES
from services.review.supervision.models import KINDS, STATES
from shared.validation import invalid

PERIOD_UNITS = ("day", "working_day")  # 日 / 工作日 (shared.calendar.Unit values)
PERIOD_UNIT_TEXT = {"day": "日", "working_day": "个工作日"}


def _text(field_name: str, zh: str, en: str) -> Any:
    """A validator refusing text that is only spaces (the form strips; the API must refuse it too)."""
    def check(value: str) -> None:
        if not value.strip():
            raise invalid(f"{field_name}.blank", zh, en)
    return check


class SupervisionOpen(Schema):
    """挂牌督办: the period the supervised unit has to report in, and the instructions."""

    amount = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=365),
                            metadata={"description": "报告期限 (1–365)"})
    unit = fields.String(load_default="working_day", validate=validate.OneOf(PERIOD_UNITS),
                         metadata={"description": "day 日 | working_day 工作日"})
    instructions = fields.String(required=True, validate=[
        validate.Length(max=2000), _text("instructions", "请写明督办要求", "instructions may not be blank")],
        metadata={"description": "督办要求"})


class ReportCreate(Schema):
    text = fields.String(required=True, validate=[
        validate.Length(max=4000), _text("text", "请写明办理情况", "the report may not be blank")],
        metadata={"description": "办理情况报告"})


class ReportReject(Schema):
    reasons = fields.String(required=True, validate=[
        validate.Length(max=2000), _text("reasons", "请写明退回理由", "reasons may not be blank")],
        metadata={"description": "退回理由"})


class SupervisionListArgs(Schema):
    """The 督办 list's filters, the same for the page (/supervision) and the API (/api/v1/supervision)."""

    state = fields.String(validate=validate.OneOf((*STATES, OPEN_STATES)),
                          metadata={"description": f"one state, or {OPEN_STATES}: every state but closed"})
    kind = fields.String(validate=validate.OneOf(KINDS), metadata={"description": "listed 挂牌 | escalated 逾期升级"})
    supervised_unit = fields.String(validate=validate.Length(min=1, max=40))
    supervising_unit = fields.String(validate=validate.Length(min=1, max=40))
    overdue = fields.Boolean(load_default=False, truthy={"1", "true", "yes"}, falsy={"0", "false", "no", ""},
                             metadata={"description": "only 督办 still waiting past their due date"})
    case_number = fields.String(validate=validate.Length(min=1, max=40), metadata={"description": "a prefix"})
    after = fields.String(validate=validate.Length(min=12, max=60),
                          metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class SupervisionRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    kind = fields.String()
    state = fields.String()
    supervising_unit_code = fields.String()
    supervised_unit_code = fields.String()
    instructions = fields.String()
    period_amount = fields.Integer()
    period_unit = fields.String()
    deadline_id = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)
    escalated_deadline_id = fields.String(allow_none=True)
    opened_by = fields.String()
    opened_on = fields.Date()
    reports = fields.Integer()
    closed_at = fields.AwareDateTime(format="iso", allow_none=True)
    closed_by = fields.String(allow_none=True)
    closed_on_time = fields.Boolean(allow_none=True)


class ReportRead(Schema):
    id = fields.String()
    supervision_id = fields.String()
    text = fields.String()
    reported_by = fields.String()
    reported_at = fields.AwareDateTime(format="iso")
    reported_on = fields.Date()
    decision = fields.String(allow_none=True)
    reasons = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime(format="iso", allow_none=True)


class SupervisionDetailRead(SupervisionRead):
    case_number = fields.String()
    item_status = fields.String()
    overdue = fields.Boolean()
    report_history = fields.List(fields.Nested(ReportRead))


class ListRowRead(SupervisionRead):
    case_number = fields.String()
    item_status = fields.String()
    overdue = fields.Boolean()


class ListPageRead(Schema):
    rows = fields.List(fields.Nested(ListRowRead))
    next_cursor = fields.String(allow_none=True)
