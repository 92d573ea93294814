"""Schemas of the deadlines API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.pagination import PageArgs

from services.review.deadlines.models import STATUSES
from services.review.deadlines.closing import OUTCOMES
from services.review.deadlines.suspensions import SUSPENSION_REASONS
from shared.calendar import Unit

_UNITS = [u.value for u in Unit]


class DeadlineEventRead(Schema):
    id = fields.Integer()
    kind = fields.String()
    occurred_at = fields.AwareDateTime(format="iso")
    actor = fields.String()
    due_on = fields.Date(allow_none=True)
    provisional = fields.Boolean()
    data = fields.Dict()


class SuspensionRead(Schema):
    id = fields.String()
    reason = fields.String()
    basis = fields.String()
    start_on = fields.Date()
    resumed_on = fields.Date(allow_none=True)
    created_by = fields.String()
    lifted_by = fields.String(allow_none=True)


class ExtensionRead(Schema):
    id = fields.String()
    amount = fields.Integer()
    unit = fields.String()
    basis = fields.String()
    approved_by = fields.String()
    created_by = fields.String()
    created_at = fields.AwareDateTime(format="iso")


class DeadlineRead(Schema):
    id = fields.String()
    subject = fields.String()
    case_number = fields.String(allow_none=True)
    unit_code = fields.String(allow_none=True, metadata={"description": "the owning unit; null: the task force only"})
    follows_id = fields.String(allow_none=True, metadata={"description": "the deadline this monthly follow-up continues"})
    rule_code = fields.String()
    title = fields.String()
    amount = fields.Integer()
    unit = fields.String()
    custody = fields.Boolean()
    start_on = fields.Date()
    base_due_on = fields.Date()
    due_on = fields.Date(allow_none=True, metadata={"description": "null while a suspension pauses the clock"})
    warn_on = fields.Date(allow_none=True)
    provisional = fields.Boolean(metadata={"description": "some day counted lies in a year with no 国务院 notice loaded"})
    paused = fields.Boolean()
    status = fields.String()
    met_at = fields.AwareDateTime(format="iso", allow_none=True)
    met_on_time = fields.Boolean(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")


class DeadlineDetailRead(DeadlineRead):
    suspensions = fields.List(fields.Nested(SuspensionRead))
    extensions = fields.List(fields.Nested(ExtensionRead))
    history = fields.List(fields.Nested(DeadlineEventRead))


class DeadlineListArgs(PageArgs):
    subject = fields.String(validate=validate.Length(min=1, max=200))
    status = fields.String(validate=validate.OneOf(STATUSES))
    rule_code = fields.String(validate=validate.Length(min=1, max=80))


class SuspensionCreate(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(SUSPENSION_REASONS))
    basis = fields.String(required=True, validate=validate.Length(min=2, max=2000),
                          metadata={"description": "legal basis, citing the article"})
    start_on = fields.Date(required=True, metadata={"description": "first day not counted (Beijing date)"})


SUSPENSION_EXAMPLE = {
    "reason": "appraisal",
    "basis": "《刑事诉讼法》第一百四十九条：鉴定期间不计入办案期限",
    "start_on": "2026-10-09"
}


class SuspensionLift(Schema):
    resumed_on = fields.Date(required=True, metadata={"description": "first day counted again (Beijing date)"})


LIFT_EXAMPLE = {"resumed_on": "2026-10-20"}


class ExtensionCreate(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=3650))
    unit = fields.String(required=True, validate=validate.OneOf(_UNITS))
    basis = fields.String(required=True, validate=validate.Length(min=2, max=2000))
    approved_by = fields.String(required=True, validate=validate.Length(min=1, max=200))


EXTENSION_EXAMPLE = {
    "amount": 5,
    "unit": "working_day",
    "basis": "《人民检察院办理羁押必要性审查案件规定（试行）》：经检察长批准延长5个工作日",
    "approved_by": "user:jianchazhang"
}


class MeetCreate(Schema):
    met_at = fields.AwareDateTime(format="iso", load_default=None,
                                  metadata={"description": "when the duty was performed; default now"})
    note = fields.String(load_default=None, validate=validate.Length(max=2000))
    outcome = fields.String(load_default="final", validate=validate.OneOf(OUTCOMES), metadata={
        "description": "final (default), or progress: a 12309 result/follow-up reply reporting progress only, "
                       "which starts the next monthly follow-up"})


MEET_EXAMPLE = {"met_at": "2026-10-12T02:00:00+00:00", "note": "已书面答复", "outcome": "final"}


class DeadlineRuleRead(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    amount = fields.Integer()
    unit = fields.String()
    custody = fields.Boolean()
    basis = fields.String()
    effective_from = fields.Date()
    effective_to = fields.Date(allow_none=True)
    warn_before = fields.Integer()
    settings = fields.Method("_settings")
    default_amount = fields.Integer()
    default_unit = fields.String()
    note = fields.String(allow_none=True)

    def _settings(self, obj: object) -> list[str]:
        raw = getattr(obj, "settings", "") or ""
        return [s for s in raw.split(",") if s]
