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
    status = fields.String()
    source_event_type = fields.String()
    created_at = fields.AwareDateTime(format="iso")


class DeliveryListArgs(PageArgs):
    subject = fields.String(validate=validate.Length(min=1, max=200))
