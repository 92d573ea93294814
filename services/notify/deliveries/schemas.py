"""Schemas of the delivery API, and of the delivery log page's query strings."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.notify.channels.registry import FACTORIES
from services.notify.deliveries.cursor import BadCursor, Cursor
from services.notify.deliveries.states import DeliveryStatus
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
    sent_at = fields.AwareDateTime(format="iso", allow_none=True)
    attempts = fields.Integer()
    # A public notice (书面通知): its id, whether the law requires it, and the SHA-256 of the document
    # sent with it (the bytes notify keeps).  The contact itself never leaves notify: `recipient` is masked.
    notice_id = fields.String(allow_none=True)
    mandatory = fields.Boolean()
    # The contact had opted out of the channel; the notice went because the law requires it.
    opt_out_ignored = fields.Boolean()
    document_sha256 = fields.String(allow_none=True)


class DeliveryListArgs(PageArgs):
    subject = fields.String(validate=validate.Length(min=1, max=200))


class CursorField(fields.Field):
    """A paging token (`cursor.Cursor`) in a query string."""

    default_error_messages = {"invalid": "翻页位置无效，请从第一页重新查看"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Cursor:
        try:
            return Cursor.decode(str(value))
        except BadCursor:
            raise self.make_error("invalid") from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value.encode())


# The channels there is a module for (enabled here or not: a disabled one's rows still exist).
KNOWN_CHANNELS = tuple(sorted(FACTORIES))
_DATE_ERRORS = {"invalid": "请输入有效日期（年-月-日）"}


class DeliveryFilterArgs(Schema):
    """The filter form of the delivery log page (a GET form: a petition id is not personal data)."""

    status = fields.String(validate=validate.OneOf([s.value for s in DeliveryStatus], error="没有这个状态"))
    channel = fields.String(validate=validate.OneOf(KNOWN_CHANNELS, error="没有这个渠道"))
    subject = fields.String(validate=validate.Length(min=1, max=200, error="信访件编号最长 200 个字符"))
    since = fields.Date(error_messages=_DATE_ERRORS)
    until = fields.Date(error_messages=_DATE_ERRORS)
    after = CursorField()

    @validates_schema
    def _range(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "since" in data and "until" in data and data["until"] < data["since"]:
            raise ValidationError("截止日期不能早于起始日期", field_name="until")


class SubjectPanelArgs(Schema):
    """The query of the deliveries panel on review's case page."""

    subject = fields.String(required=True, validate=validate.Length(min=1, max=200),
                            error_messages={"required": "缺少信访件编号（subject）"})
