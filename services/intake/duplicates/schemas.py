"""Request and response schemas of the 重复件 API."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, validate


class DuplicateLinkRead(Schema):
    """One link: the later petition (重复件), the original case, why, and whether it was split."""

    petition_id = fields.String()
    case_number = fields.String(allow_none=True)
    original_petition_id = fields.String()
    original_case_number = fields.String(allow_none=True)
    basis = fields.String(metadata={"description": "same_person (ID number) or same_enterprise (credit code)"})
    score = fields.Float(metadata={"description": "similarity of subject and claim, 0..1 (docs/duplicates.md)"})
    linked_at = fields.AwareDateTime(format="iso")
    active = fields.Boolean()
    split_at = fields.AwareDateTime(format="iso", allow_none=True)
    split_by = fields.String(allow_none=True)
    split_reason = fields.String(allow_none=True)


class DuplicatesRead(Schema):
    petition_id = fields.String()
    case_number = fields.String()
    duplicate_of = fields.Nested(DuplicateLinkRead, allow_none=True,
                                 metadata={"description": "the active link of this petition, if it is a 重复件"})
    history = fields.List(fields.Nested(DuplicateLinkRead), metadata={"description": "every link of this petition, split ones too"})
    linked = fields.List(fields.Nested(DuplicateLinkRead),
                         metadata={"description": "重复件 linked to this petition as their original case"})


class DuplicateSplitIn(Schema):
    """Why the later petition is not the same matter after all (kept in the audit log and on the link)."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=2, max=500),
                           metadata={"example": "诉求为解除限制消费令，与原案删除失信信息不是同一事项"})


SPLIT_EXAMPLE: dict[str, Any] = {"reason": "诉求为解除限制消费令，与原案删除失信信息不是同一事项"}
