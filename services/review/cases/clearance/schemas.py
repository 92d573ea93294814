"""Schemas of the 挂案清理 API and forms (the pages' forms load the same ones)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.review.cases.clearance.models import ACTION_KINDS, THRESHOLD_RULES
from services.review.cases.hanging.models import OUTCOMES, STATUSES
from shared.validation import invalid


def _text(field_name: str, zh: str, en: str) -> Any:
    def check(value: str) -> None:
        if not value.strip():
            raise invalid(f"{field_name}.blank", zh, en)
    return check


class ClearanceActionCreate(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(ACTION_KINDS),
                         metadata={"description": "urge 催办函 | explain 要求说明理由 | withdraw_notice 通知撤销案件 | listed 挂牌督办"})
    text = fields.String(load_default="", validate=validate.Length(max=2000),
                         metadata={"description": "文书中检察官补充的意见（可空）"})


class ClearanceReplyCreate(Schema):
    text = fields.String(required=True, validate=[validate.Length(max=4000),
                                                  _text("text", "请写明公安机关的回复内容", "the reply may not be blank")])
    replied_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "回复日期（默认今日）"})


class ClearanceOutcomeCreate(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    outcome_on = fields.Date(required=True)
    continued_until = fields.Date(load_default=None, allow_none=True, metadata={"description": "继续侦查的新期限"})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _continued(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("outcome") == "continued" and not data.get("continued_until"):
            raise ValidationError({"continued_until": ["继续侦查须填写新的期限 / 继续侦查 needs a new deadline"]})


class ClearancePropertyReturn(Schema):
    returned_on = fields.Date(required=True)


class ClearanceCampaignCreate(Schema):
    name = fields.String(required=True, validate=[validate.Length(max=200),
                                                  _text("name", "请填写活动名称", "the name may not be blank")])
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    units = fields.List(fields.String(validate=validate.Length(max=40)), required=True,
                        validate=validate.Length(min=1, max=50))


class ClearanceQueueArgs(Schema):
    unit = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STATUSES))
    rule = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(THRESHOLD_RULES))
    min_age_days = fields.Integer(load_default=None, allow_none=True, strict=False,
                                  validate=validate.Range(min=0, max=36500))
    after = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, strict=False, validate=validate.Range(min=1, max=200))


class ClearanceFlagRead(Schema):
    id = fields.String()
    rule_code = fields.String()
    rule_text = fields.String()
    basis = fields.String(allow_none=True)
    started_on = fields.Date()
    due_on = fields.Date()
    flagged_on = fields.Date()
    resolved_on = fields.Date(allow_none=True)


class ClearanceActionRead(Schema):
    id = fields.String()
    case_id = fields.String()
    kind = fields.String()
    kind_text = fields.String()
    rule_code = fields.String(allow_none=True)
    text = fields.String()
    sent_on = fields.Date()
    document_number = fields.String()
    due_on = fields.Date(allow_none=True)
    replied_on = fields.Date(allow_none=True)
    reply_text = fields.String(allow_none=True)
    pdf_url = fields.String()
    docx_url = fields.String()


class CaseClearanceRead(Schema):
    id = fields.String()
    case_number = fields.String()
    unit_code = fields.String()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    outcome_on = fields.Date(allow_none=True)
    continued_until = fields.Date(allow_none=True)
    filed_on = fields.Date()
    flags = fields.List(fields.Nested(ClearanceFlagRead))
    actions = fields.List(fields.Nested(ClearanceActionRead))
    available_actions = fields.List(fields.String())


class ClearanceQueueRowRead(Schema):
    id = fields.String()
    case_number = fields.String()
    case_title = fields.String()
    unit_code = fields.String()
    investigating_organ = fields.String()
    enterprise_name = fields.String()
    status = fields.String()
    filed_on = fields.Date()
    key_on = fields.Date()
    age_days = fields.Integer()
    rules = fields.List(fields.String())


class ClearanceQueuePageRead(Schema):
    rows = fields.List(fields.Nested(ClearanceQueueRowRead))
    next_cursor = fields.String(allow_none=True)


class ClearanceCampaignRead(Schema):
    id = fields.String()
    name = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    owner_unit_code = fields.String()
    units = fields.List(fields.String())


class ClearancePointRead(Schema):
    day = fields.Date()
    found = fields.Integer()
    in_progress = fields.Integer()
    cleared = fields.Integer()
    remaining = fields.Integer()


class ClearanceOverdueRead(Schema):
    case_id = fields.String()
    case_number = fields.String()
    unit_code = fields.String()
    started_on = fields.Date()
    due_on = fields.Date()
    age_days = fields.Integer()
    days_past = fields.Integer()


class ClearanceBurnDownRead(Schema):
    campaign = fields.Nested(ClearanceCampaignRead)
    summary = fields.Dict()
    total = fields.List(fields.Nested(ClearancePointRead))
    by_unit = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(ClearancePointRead)))
    by_outcome = fields.Dict(keys=fields.String(), values=fields.Integer())
    past = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(ClearanceOverdueRead)))
