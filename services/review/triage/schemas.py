"""Schemas of the triage API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.review.triage.states import STATUSES
from shared.events.intake import CHANNELS, LINES
from shared.web.pagination import PageArgs

QUEUE_STATUSES = STATUSES


class TriageItemRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    case_number = fields.String()
    line = fields.String()
    channel = fields.String()
    petition_type = fields.String()
    is_enterprise = fields.Boolean()
    petitioner_masked = fields.String()
    enterprise_name = fields.String(allow_none=True)
    summary = fields.String()
    received_on = fields.Date()
    status = fields.String()
    category = fields.String(allow_none=True)
    enterprise_reason = fields.String(allow_none=True)
    handling_unit_code = fields.String(allow_none=True)
    handler_name = fields.String(allow_none=True)
    round = fields.Integer()
    supervised = fields.Boolean()
    unit_code = fields.String(allow_none=True)
    next_due_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")


class TriageListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    is_enterprise = fields.Boolean()
    petition_id = fields.String(validate=validate.Length(max=36))


class QueueArgs(Schema):
    """The queue's filters, the same for the page (/triage) and the API (/api/v1/triage/queue)."""

    status = fields.String(validate=validate.OneOf(QUEUE_STATUSES))
    line = fields.String(validate=validate.OneOf(LINES))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    enterprise = fields.String(validate=validate.OneOf(("yes", "no")), metadata={"description": "涉企 or not"})
    due_within = fields.Integer(validate=validate.Range(min=0, max=365),
                                metadata={"description": "the nearest open deadline is due within N days (or overdue)"})
    overdue = fields.String(validate=validate.OneOf(("1",)), metadata={"description": "1: only overdue"})
    case_number = fields.String(validate=validate.Length(min=1, max=40), metadata={"description": "a prefix"})
    after = fields.String(validate=validate.Length(min=12, max=60),
                          metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class QueueRowRead(Schema):
    item = fields.Nested(TriageItemRead)
    next_due_on = fields.Date(allow_none=True)
    open_deadlines = fields.Integer()


class QueuePageRead(Schema):
    rows = fields.List(fields.Nested(QueueRowRead))
    next_cursor = fields.String(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
