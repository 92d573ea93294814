"""Schemas of the unit API."""

from __future__ import annotations

from marshmallow import Schema, fields


class UnitRead(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    parent_code = fields.String(allow_none=True)
    receives = fields.String(allow_none=True)
