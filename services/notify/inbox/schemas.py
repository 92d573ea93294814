"""The query strings and forms of the inbox pages."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.notify.deliveries.schemas import CursorField


class InboxArgs(Schema):
    """`/inbox?show=unread&after=<cursor>`; `marked=<n>` after a "mark read" form (the confirmation)."""

    show = fields.String(load_default="all", validate=validate.OneOf(("all", "unread"), error="只能查看全部或未读"))
    after = CursorField()
    marked = fields.Integer(validate=validate.Range(min=0))


class MarkReadForm(Schema):
    """A "mark read" form: where to go back to (a path on this site, checked again by `safe_next`)."""

    next = fields.String(validate=validate.Length(max=2000))


class MarkAllReadForm(MarkReadForm):
    # The newest notice the page showed: a notice that arrived since stays unread.
    through = CursorField()
