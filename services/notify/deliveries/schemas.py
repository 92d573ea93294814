"""Schemas of the delivery API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.pagination import PageArgs


class DeliveryRead(Schema):
    id = fields.String()
    subject = fields.String()
    channel = fields.String()
    recipient = fields.String()
    template = fields.String()
    title = fields.String()
    body = fields.String()
    # The delivery state machine (services/notify/deliveries/states.py, docs/notify.md).
    status = fields.String(metadata={"description": "pending (待发送) | sent (已发送) | failed (发送失败)"})
    source_event_type = fields.String()
    created_at = fields.AwareDateTime(format="iso")


class DeliveryListArgs(PageArgs):
    subject = fields.String(validate=validate.Length(min=1, max=200))
