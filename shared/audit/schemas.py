"""Schemas of the audit-log API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.pagination import PageArgs

from shared.audit.models import OUTCOMES


class AuditEntryRead(Schema):
    id = fields.Integer()
    occurred_at = fields.AwareDateTime(format="iso")
    actor = fields.String()
    actor_unit = fields.String(allow_none=True)
    action = fields.String()
    outcome = fields.String()
    subject_type = fields.String(allow_none=True)
    subject_id = fields.String(allow_none=True)
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    client_addr = fields.String(allow_none=True)
    trace_id = fields.String(allow_none=True)
    detail = fields.Raw(allow_none=True)
    seq = fields.Integer(allow_none=True, metadata={"description": "position in the chain; null until the sequencer links the row"})
    row_mac = fields.String(allow_none=True, metadata={"description": "the row's seal (null on rows older than the sequencer)"})
    prev_hash = fields.String(allow_none=True)
    hash = fields.String(allow_none=True, metadata={"description": "the row's link; null until the sequencer links it"})


class AuditListArgs(PageArgs):
    actor = fields.String(validate=validate.Length(min=1, max=100))
    action = fields.String(
        validate=validate.Length(min=1, max=60), metadata={"description": "exact, or a prefix ending in .* (pii.*)"}
    )
    subject_type = fields.String(validate=validate.Length(min=1, max=40))
    subject_id = fields.String(validate=validate.Length(min=1, max=200))
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    since = fields.AwareDateTime(format="iso", metadata={"description": "occurred at or after (ISO 8601 with offset)"})
    until = fields.AwareDateTime(format="iso", metadata={"description": "occurred before"})
