"""Payloads of the events review (审查) produces on `huhang.review.events`."""

from __future__ import annotations

from marshmallow import Schema, fields

SOURCE = "review"


class TriageItemCreatedV1(Schema):
    """A petition entered the 受理分流 queue."""

    triage_item_id = fields.String(required=True)
    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    line = fields.String(required=True)
    channel = fields.String(required=True)
    is_enterprise = fields.Boolean(required=True)
    received_on = fields.Date(required=True)
    summary = fields.String(required=True)


EVENTS = [
    ("triage.item_created", 1, TriageItemCreatedV1, "A petition entered the 受理分流 (triage) queue."),
]
