"""Paging arguments shared by every list endpoint.

Bounded on both sides: an unbounded `offset` reached the database as a number SQLite (and
PostgreSQL's bigint) cannot hold, and answered 500 instead of 422 (found by schemathesis).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_LIMIT))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_OFFSET))
