"""Schemas of the 考评反馈 API and forms (the pages parse their forms with these same schemas)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from marshmallow import RAISE, Schema, fields, validate, validates_schema

from services.review.feedback.models import DISSATISFIED, METHODS, RATINGS, VIA
from shared.validation import invalid

_TEXT = validate.Length(min=1, max=2000)


class FeedbackCreate(Schema):
    """A 评价 staff obtained from the petitioner, and how (电话回访 phone, 当面 in_person, 书面 written)."""

    class Meta:
        unknown = RAISE

    rating = fields.String(required=True, validate=validate.OneOf(RATINGS), metadata={
        "description": "satisfied 满意, basically_satisfied 基本满意, dissatisfied 不满意"})
    reasons = fields.String(load_default=None, validate=_TEXT, metadata={"description": "required for dissatisfied"})
    method = fields.String(required=True, validate=validate.OneOf(METHODS))

    @validates_schema
    def _reasons_for_dissatisfied(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("rating") == DISSATISFIED and not (data.get("reasons") or "").strip():
            raise invalid("feedback.reasons_required", "评价为“不满意”的，应当记录不满意的理由",
                          "a dissatisfied rating needs its reasons", "reasons")


FEEDBACK_EXAMPLE = {"rating": "dissatisfied", "reasons": "答复未涉及企业账户被冻结的问题", "method": "phone"}


class DecisionCreate(Schema):
    """Why the unit reopens the matter, or closes it despite the 不满意."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=_TEXT)


class FeedbackRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    case_number = fields.String()
    round = fields.Integer()
    unit_code = fields.String(allow_none=True)
    rating = fields.String()
    reasons = fields.String(allow_none=True)
    via = fields.String(validate=validate.OneOf(VIA))
    method = fields.String(allow_none=True)
    recorded_by = fields.String()
    recorded_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    decision = fields.String(allow_none=True, metadata={"description": "after 不满意: reopened or closed"})
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)


class RoundRead(Schema):
    petition_id = fields.String()
    round = fields.Integer()
    unit_code = fields.String(allow_none=True)
    opened_on = fields.Date()
    reason = fields.String(allow_none=True)
    feedback_id = fields.String(allow_none=True, metadata={"description": "the 不满意 that reopened it"})
    deadline_id = fields.String(allow_none=True, metadata={"description": "the round's result-reply deadline"})
    replied_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    close_reason = fields.String(allow_none=True)


class ItemFeedbackRead(Schema):
    petition_id = fields.String()
    status = fields.String()
    round = fields.Integer()
    feedback = fields.List(fields.Nested(FeedbackRead))
    rounds = fields.List(fields.Nested(RoundRead))


class RatesArgs(Schema):
    class Meta:
        unknown = RAISE

    since = fields.Date(data_key="from", required=True, metadata={"description": "first Beijing day counted"})
    until = fields.Date(data_key="to", required=True, metadata={"description": "last Beijing day counted"})
    unit = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=None,
                       metadata={"description": "unit codes (repeat the parameter); default every unit you see"})

    @validates_schema
    def _range(self, data: dict[str, Any], **_: Any) -> None:
        since, until = data.get("since"), data.get("until")
        if isinstance(since, _dt.date) and isinstance(until, _dt.date):
            if until < since:
                raise invalid("feedback.rates_range", "结束日期不能早于开始日期", "to is before from", "to")
            if (until - since).days > 3660:
                raise invalid("feedback.rates_range", "日期范围不能超过十年", "the range is longer than ten years", "to")


class UnitRatesRead(Schema):
    unit_code = fields.String()
    unit_name = fields.String(allow_none=True)
    replies = fields.Integer()
    feedback = fields.Integer()
    satisfied = fields.Integer()
    basically_satisfied = fields.Integer()
    dissatisfied = fields.Integer()
    satisfaction_rate = fields.Float(allow_none=True, metadata={"description": "(满意+基本满意)/评价; null: none"})
    deadlines_closed = fields.Integer()
    deadlines_on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True, metadata={"description": "met on time / closed; null: none"})


