"""Schemas of the public queries: what is typed (strict, small) and the timeline that answers."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from shared.events.review import RATINGS
from shared.identifiers import fields as ids
from shared.validation import invalid

# A case number (a petition's, or a court 案号) or a code is short; nothing longer is looked at.
_NUMBER = validate.Length(min=1, max=60)
_CODE = validate.Length(min=1, max=24)


class StatusQueryIn(Schema):
    """Both fields are POSTed, never put in a URL: the code is a credential."""

    class Meta:
        unknown = RAISE

    case_number = fields.String(required=True, validate=_NUMBER, metadata={
        "description": "the 受理回执's case number (12309-2026-000123), or a flagged court case's 案号",
        "example": "12309-2026-000123"})
    query_code = fields.String(required=True, validate=_CODE, metadata={"example": "7KQ-3XM-9TA"})

    @validates("case_number")
    def _known_shape(self, value: str, **_: Any) -> None:
        from services.intake.public.sources import locate

        if locate(value) is None:
            raise ValidationError("案件编号应形如 12309-2026-000123，见受理回执 / a case number reads like 12309-2026-000123")


class StatusFeedbackIn(StatusQueryIn):
    """评价: the case number and 查询码 again (the code is never kept between requests), and the rating."""

    rating = fields.String(required=True, validate=validate.OneOf(RATINGS),
                           metadata={"description": "satisfied 满意, basically_satisfied 基本满意, dissatisfied 不满意"})
    reasons = fields.String(load_default=None, validate=validate.Length(max=2000),
                            metadata={"description": "why not satisfied: required for dissatisfied"})

    @validates_schema
    def _reasons_for_dissatisfied(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("rating") == "dissatisfied" and not (data.get("reasons") or "").strip():
            raise invalid("feedback.reasons_required", "评价为“不满意”的，请写明不满意的理由",
                          "a dissatisfied rating needs its reasons", "reasons")


class EnterpriseQueryIn(Schema):
    class Meta:
        unknown = RAISE

    credit_code = ids.CreditCode(required=True, validate=validate.Length(min=1, max=30), metadata={
        "description": "统一社会信用代码 (GB 32100)", "example": "91411302MA44TFGN0Q"})
    access_code = fields.String(required=True, validate=_CODE, metadata={
        "description": "the enterprise access code staff issued after checking the licence in person",
        "example": "7KQ3-XM9T-AB"})



class PublicStepRead(Schema):
    code = fields.String(metadata={"description": "received, triage, routed, reply, result"})
    name = fields.String(metadata={"example": "分流"})
    state = fields.String(metadata={"description": "done, in_progress, not_started"})
    state_text = fields.String(metadata={"example": "进行中"})
    on = fields.Date(allow_none=True, metadata={"description": "done on, or begun on (Beijing date)"})
    text = fields.String(metadata={"example": "待分流"})
    due_on = fields.Date(allow_none=True, metadata={"description": "the deadline the step answers"})
    timing = fields.String(allow_none=True, metadata={"description": "on_time, late, open, overdue"})
    timing_text = fields.String(allow_none=True, metadata={"example": "已按期"})


class PublicDeadlineRead(Schema):
    name = fields.String(metadata={"example": "告知受理情况（7日内）"})
    start_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "null while the clock is paused"})
    provisional = fields.Boolean(metadata={"description": "counted past the known holiday years: may move"})
    timing = fields.String(metadata={"description": "on_time, late, open, overdue"})
    timing_text = fields.String(metadata={"example": "进行中"})
    closed_on = fields.Date(allow_none=True)


class TimelineRead(Schema):
    """What 《人民检察院案件信息公开工作规定》 art. 7 lets a party see; no personal data (art. 4)."""

    kind = fields.String(metadata={"description": "petition or court_case"})
    case_number = fields.String()
    line = fields.String()
    line_name = fields.String()
    category = fields.String(metadata={"description": "案由: the petition type", "example": "控告"})
    party = fields.String(metadata={"description": "the enterprise's name, or the petitioner's masked name (张*)"})
    received_on = fields.Date(metadata={"description": "受理时间 (Beijing date)"})
    receiving_unit = fields.String(metadata={"description": "办案组织: the receiving unit"})
    handling_unit = fields.String(allow_none=True, metadata={"description": "the handling unit once routed"})
    status = fields.String(metadata={"example": "已受理，待分流"})
    steps = fields.List(fields.Nested(PublicStepRead))
    deadlines = fields.List(fields.Nested(PublicDeadlineRead), metadata={"description": "办案期限"})
    commitments = fields.List(fields.String())
    result = fields.String(allow_none=True, metadata={"description": "处理结果, once there is one"})
    merged_into = fields.String(
        allow_none=True, metadata={"description": "重复件: the case number this matter was joined to and is handled with"})
    round = fields.Integer(metadata={"description": "the handling round (a 不满意 may reopen the matter)"})
    feedback_open = fields.Boolean(metadata={"description": "the petitioner may rate the present round's reply now"})
    feedback_rating = fields.String(allow_none=True, metadata={
        "description": "the present round's 评价: satisfied, basically_satisfied, dissatisfied"})


class EnterpriseViewRead(Schema):
    credit_code = fields.String()
    enterprise_name = fields.String()
    matters = fields.List(fields.Nested(TimelineRead))
