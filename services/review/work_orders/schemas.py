"""Schemas of the 工单 API (and of its page forms, which read through the same schemas)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.review.work_orders.models import DELIVERIES, KINDS, ON_THE_SPOT, STATUSES
from shared.identifiers import InvalidIdentifier, parse_case_number
from shared.validation import invalid
from shared.web.pagination import PageArgs

_TEXT = validate.Length(min=1, max=2000)
_USERNAME = validate.Length(min=1, max=64)
_UNIT = validate.Length(min=1, max=40)


class CourtCaseNumberField(fields.String):
    """A court 案号 (2016 规定), loaded to its normalised text: （2026）豫13民初1234号."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_case_number(text).text
        except InvalidIdentifier as exc:
            raise invalid(exc.problem.code, exc.problem.message_zh, exc.problem.message_en) from None


class WorkOrderCreate(Schema):
    """A 12368 contact's order: to a judge and/or division, or the answer given on the spot (kind=on_the_spot)."""

    kind = fields.String(load_default="order", validate=validate.OneOf(KINDS))
    related_case_number = CourtCaseNumberField(required=True, metadata={"description": "the court 案号 it is about"})
    request = fields.String(required=True, validate=_TEXT, metadata={"description": "what the caller asks"})
    to_username = fields.String(validate=_USERNAME, metadata={"description": "the judge (a staff account)"})
    to_unit_code = fields.String(validate=_UNIT, metadata={"description": "the division of the case"})
    # Absent: derived (the 案号 has a granted 立案绿色通道); true only for a 涉企 matter.
    is_green_channel = fields.Boolean(allow_none=True, load_default=None)
    reply_text = fields.String(validate=_TEXT, metadata={"description": "on_the_spot: the answer given"})
    delivery = fields.String(validate=validate.OneOf(DELIVERIES), metadata={"description": "on_the_spot: how"})

    @validates_schema
    def _on_the_spot_needs_the_answer(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") == ON_THE_SPOT:
            problem = invalid("work_order.reply_required", "当场答复须填写答复内容和告知方式",
                              "an on-the-spot answer needs the text and how the caller was told").messages
            missing = {name: problem for name in ("reply_text", "delivery") if not data.get(name)}
            if missing:
                raise ValidationError(missing)


class WorkOrderReplyIn(Schema):
    reply_text = fields.String(required=True, validate=_TEXT)
    delivery = fields.String(required=True, validate=validate.OneOf(DELIVERIES),
                             metadata={"description": "how the caller was told"})


class WorkOrderTransferIn(Schema):
    """转办: to a judge and/or a division of another division (the clock restarts for the new owner)."""

    to_username = fields.String(validate=_USERNAME)
    to_unit_code = fields.String(validate=_UNIT)
    reasons = fields.String(required=True, validate=_TEXT)


class WorkOrderReassignIn(Schema):
    """改派 by the division head to another judge of the division (the clock runs on)."""

    to_username = fields.String(required=True, validate=_USERNAME)
    reasons = fields.String(required=True, validate=_TEXT)


class WorkOrderListArgs(PageArgs):
    scope = fields.String(load_default="mine", validate=validate.OneOf(("mine", "unit", "visible")))
    status = fields.String(load_default="open", validate=validate.OneOf((*STATUSES, "all")))
    petition_id = fields.String(validate=validate.Length(min=1, max=36))


class WorkOrderClock(Schema):
    deadline_id = fields.String()
    rule_code = fields.String()
    start_on = fields.Date()
    due_on = fields.Date(allow_none=True)
    provisional = fields.Boolean()
    status = fields.String()
    overdue = fields.Boolean()


class WorkOrderTransferRead(Schema):
    kind = fields.String()
    from_unit_code = fields.String()
    from_assignee_name = fields.String(allow_none=True)
    to_unit_code = fields.String()
    to_assignee_name = fields.String(allow_none=True)
    reasons = fields.String()
    restarted = fields.Boolean()
    transferred_by = fields.String()
    transferred_at = fields.AwareDateTime(format="iso")


class WorkOrderEscalationRead(Schema):
    level = fields.Integer()
    to_unit_code = fields.String()
    escalated_on = fields.Date()


class WorkOrderRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    case_number = fields.String()
    related_case_number = fields.String()
    kind = fields.String()
    request = fields.String()
    status = fields.String()
    is_green_channel = fields.Boolean()
    green_source = fields.String(allow_none=True)
    unit_code = fields.String()
    assignee_name = fields.String(allow_none=True)
    owner_unit_code = fields.String()
    level = fields.Integer()
    assignment = fields.Integer()
    created_by = fields.String()
    created_on = fields.Date()
    created_at = fields.AwareDateTime(format="iso")
    reply_text = fields.String(allow_none=True)
    reply_delivery = fields.String(allow_none=True)
    replied_by = fields.String(allow_none=True)
    replied_on = fields.Date(allow_none=True)
    replied_on_time = fields.Boolean(allow_none=True)
    clock = fields.Nested(WorkOrderClock, allow_none=True)
    transfers = fields.List(fields.Nested(WorkOrderTransferRead))
    escalations = fields.List(fields.Nested(WorkOrderEscalationRead))
