"""Payloads of the events notify (通知) produces on `huhang.notify.events`."""

from __future__ import annotations

from marshmallow import Schema, fields

SOURCE = "notify"


class DeliveryRecordedV1(Schema):
    """A message was delivered (or finally failed) on one channel."""

    delivery_id = fields.String(required=True)
    subject = fields.String(required=True)
    channel = fields.String(required=True)
    status = fields.String(required=True)


EVENTS = [
    ("delivery.recorded", 1, DeliveryRecordedV1, "A notice was delivered to a channel (staff inbox, SMS, email, webhook)."),
]
