"""Schemas of the triage API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.web.pagination import PageArgs


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
    created_at = fields.AwareDateTime(format="iso")


class TriageListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["pending", "routed", "closed"]))
    is_enterprise = fields.Boolean()
    petition_id = fields.String(validate=validate.Length(max=36))
