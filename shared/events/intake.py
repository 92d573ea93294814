"""Payloads of the events intake (受理) produces on `huhang.intake.events`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

SOURCE = "intake"

LINES = ("12309", "12368")
CHANNELS = ("信", "访", "网", "电")
# How the pages and documents of every service name them.
LINE_NAMES = {"12309": "12309 检察服务", "12368": "12368 诉讼服务"}
CHANNEL_NAMES = {"信": "来信", "访": "来访", "网": "网上", "电": "来电"}


class PetitionReceivedV1(Schema):
    """A petition (信访/控告/申诉/诉讼服务 contact) was registered.

    Personal data stays in intake: the event carries the masked name only.
    """

    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    line = fields.String(required=True, validate=validate.OneOf(LINES))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    petition_type = fields.String(required=True)
    # 事由 and the related case (a court 案号 or a 文书号): optional, petitions before them have none.
    subject = fields.String(allow_none=True, load_default=None)
    related_case_number = fields.String(allow_none=True, load_default=None)
    is_enterprise = fields.Boolean(required=True)
    petitioner_masked = fields.String(required=True)
    enterprise_name = fields.String(allow_none=True, load_default=None)
    summary = fields.String(required=True)
    received_at = fields.AwareDateTime(required=True, format="iso")
    received_on = fields.Date(required=True)
    # The receiving unit (shared/auth); optional so that events from before units still validate.
    unit_code = fields.String(allow_none=True, load_default=None)
    # A 重复件 (services/intake/duplicates): the same matter as an earlier case, linked to that
    # case (the root of its chain) instead of opening a second handling track.  Absent: a new matter.
    duplicate_of = fields.String(allow_none=True, load_default=None)
    duplicate_of_case_number = fields.String(allow_none=True, load_default=None)


class PetitionDuplicateSplitV1(PetitionReceivedV1):
    """A clerk split a 重复件 from the case it was linked to: it now needs a handling track of its own.

    It carries the petition as `petition.received` did (without `duplicate_of`), so a consumer
    opens what it would have opened then, with the deadlines counted from the original receipt.
    """

    original_petition_id = fields.String(required=True)  # the case it was linked to until now
    original_case_number = fields.String(required=True)
    split_at = fields.AwareDateTime(required=True, format="iso")


EVENTS = [
    ("petition.received", 1, PetitionReceivedV1, "A petition was registered through 12309 or 12368 (信、访、网、电)."),
    ("petition.duplicate_split", 1, PetitionDuplicateSplitV1,
     "A 重复件 was split from the case it was linked to and needs a handling track of its own."),
]
