"""The review workflow's events as the public timeline reads them: only the fields it needs.

The triage and handling steps own these events and their schemas (shared/events/review.py); the
timeline loads each payload with a schema of its own that names only what it shows and excludes
the rest, so a field they add or rename elsewhere never breaks the public query.  The 考评反馈
events (feedback.recorded, handling.reopened, handling.closed) are this project's own and loaded
with their catalogue schemas in handlers.py.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate


class _ItemEventIn(Schema):
    """What every review workflow event says of the 事项 (the contract's common fields)."""

    class Meta:
        unknown = EXCLUDE

    petition_id = fields.String(required=True)
    case_number = fields.String(allow_none=True, load_default=None)
    handling_unit_code = fields.String(allow_none=True, load_default=None)
    round = fields.Integer(allow_none=True, load_default=None)


class RoutedIn(_ItemEventIn):
    """``triage.routed``: here | assigned | transferred_in_tree | transferred_out."""

    route = fields.String(allow_none=True, load_default=None)
    to_unit_code = fields.String(allow_none=True, load_default=None)
    to_organ = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))


class TriageStepIn(_ItemEventIn):
    """``triage.declined``, ``triage.materials_requested``, ``triage.materials_received``: the 事项 only."""


class RepliedIn(_ItemEventIn):
    """``handling.replied``: which reply it was, and on which day."""

    kind = fields.String(required=True, validate=validate.OneOf(("procedural", "progress", "final")))
    replied_on = fields.Date(allow_none=True, load_default=None)
