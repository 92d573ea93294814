"""Payloads of the events intake (受理) produces on `huhang.intake.events`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.review import RATINGS

SOURCE = "intake"

LINES = ("12309", "12368")
CHANNELS = ("信", "访", "网", "电")
# How the pages and documents of every service name them.
LINE_NAMES = {"12309": "12309 检察服务", "12368": "12368 诉讼服务"}
CHANNEL_NAMES = {"信": "来信", "访": "来访", "网": "网上", "电": "来电"}
# The categories (petition_type) of each line, as intake registers them and triage confirms or
# corrects them (issue 9); 12368 also takes the court's own contacts (联系法官, 案件查询), and 控告
# (against a 司法工作人员) is the procuratorate's.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "12309": ("控告", "刑事申诉", "民事申诉", "行政申诉", "国家赔偿", "举报", "求助", "咨询", "意见建议"),
    "12368": ("民事申诉", "行政申诉", "刑事申诉", "国家赔偿", "举报", "求助", "咨询", "意见建议", "联系法官", "案件查询"),
}


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
    # The enterprise's 县区 (GB/T 2260, characters 3–8 of its 统一社会信用代码): the key of review's
    # routing suggestions.  Absent when no (or a national) credit code was registered.
    enterprise_division = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(r"^\d{6}$"),
                                        metadata={"example": "411302"})


class PetitionDuplicateSplitV1(PetitionReceivedV1):
    """A clerk split a 重复件 from the case it was linked to: it now needs a handling track of its own.

    It carries the petition as `petition.received` did (without `duplicate_of`), so a consumer
    opens what it would have opened then, with the deadlines counted from the original receipt.
    """

    original_petition_id = fields.String(required=True)  # the case it was linked to until now
    original_case_number = fields.String(required=True)
    split_at = fields.AwareDateTime(required=True, format="iso")


# -- 涉企 court cases (services/intake/court_cases) -------------------------------------------
# Every payload names the case (id, normalised 案号) and its unit (for scoping); parties appear
# without ID numbers, a person's name masked, an enterprise's name and credit code whole.

COURT_CASE_TYPES = ("民事", "商事", "行政", "执行", "刑事")
FEE_RELIEF_KINDS = ("缓交", "减交", "免交")


class _CourtCaseStep(Schema):
    court_case_id = fields.String(required=True)
    case_number = fields.String(required=True)  # （2022）豫13民初1234号
    unit_code = fields.String(required=True)


class CourtPartyV1(Schema):
    party_id = fields.String(required=True)
    role = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("natural", "enterprise")))
    name = fields.String(required=True)  # masked for a natural person
    credit_code = fields.String(allow_none=True, load_default=None)


class CourtCaseFlaggedV1(_CourtCaseStep):
    """A court case was flagged as 涉企 by a judge or court clerk."""

    court_code = fields.String(required=True)
    type_code = fields.String(required=True)
    case_type = fields.String(required=True, validate=validate.OneOf(COURT_CASE_TYPES))
    reason = fields.String(required=True)
    flagged_at = fields.AwareDateTime(required=True, format="iso")
    flagged_on = fields.Date(required=True)
    parties = fields.List(fields.Nested(CourtPartyV1), required=True)
    enterprise_credit_codes = fields.List(fields.String(), required=True)


class CourtCaseGreenChannelDecidedV1(_CourtCaseStep):
    """立案绿色通道 granted (with 立案 due by `due_on`) or refused."""

    granted = fields.Boolean(required=True)
    decided_on = fields.Date(required=True)
    # The flag's Beijing date: the start day (not counted) that `due_on` is counted from, so a
    # consumer counting the same limit reaches the same date.  Optional: events before it lack it.
    flagged_on = fields.Date(allow_none=True, load_default=None)
    due_on = fields.Date(allow_none=True, load_default=None)
    due_provisional = fields.Boolean(required=True)
    limit_amount = fields.Integer(allow_none=True, load_default=None)
    limit_unit = fields.String(allow_none=True, load_default=None)


class CourtCaseFiledV1(_CourtCaseStep):
    """立案 was recorded; a granted green channel's limit was met or missed."""

    filed_on = fields.Date(required=True)
    green_channel_due_on = fields.Date(allow_none=True, load_default=None)
    green_channel_met = fields.Boolean(allow_none=True, load_default=None)


class CourtCaseFeeReliefAppliedV1(_CourtCaseStep):
    """A party applied for 缓交/减交/免交 of 诉讼费用 (诉讼费用交纳办法 arts. 44–48)."""

    application_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(FEE_RELIEF_KINDS))
    situation_code = fields.String(required=True)  # "47.4": art. 47 item (四)
    article = fields.String(required=True)
    stage = fields.String(required=True, validate=validate.OneOf(("起诉", "上诉")))
    applied_on = fields.Date(required=True)
    requested_percent = fields.Integer(allow_none=True, load_default=None)
    applicant = fields.Nested(CourtPartyV1, required=True)


class CourtCaseFeeReliefDecidedV1(CourtCaseFeeReliefAppliedV1):
    """A fee-relief application was granted or refused (a refusal with written reasons, art. 48)."""

    granted = fields.Boolean(required=True)
    granted_percent = fields.Integer(allow_none=True, load_default=None)
    decided_on = fields.Date(required=True)
    state_in_judgment = fields.Boolean(required=True)  # art. 51: a granted 减交/免交 goes in the 法律文书


class PetitionFeedbackSubmittedV1(Schema):
    """The petitioner gave a 评价 of the result reply through the public status query (case number + 查询码)."""

    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    reasons = fields.String(allow_none=True, load_default=None)
    submitted_at = fields.DateTime(required=True)
    # The handling round the petitioner rated, as intake's timeline knew it (review refuses a stale one).
    round = fields.Integer(allow_none=True, load_default=None)


EVENTS: list[tuple[str, int, type[Schema], str]] = [
    ("petition.received", 1, PetitionReceivedV1, "A petition was registered through 12309 or 12368 (信、访、网、电)."),
    ("petition.duplicate_split", 1, PetitionDuplicateSplitV1,
     "A 重复件 was split from the case it was linked to and needs a handling track of its own."),
    ("court_case.flagged", 1, CourtCaseFlaggedV1, "A court case was flagged as 涉企 (parties, enterprise credit codes)."),
    ("court_case.green_channel_decided", 1, CourtCaseGreenChannelDecidedV1,
     "立案绿色通道 granted (立案 due by a date) or refused."),
    ("court_case.filed", 1, CourtCaseFiledV1, "立案 recorded; the green channel's time limit met or missed."),
    ("court_case.fee_relief_applied", 1, CourtCaseFeeReliefAppliedV1,
     "A party applied for 诉讼费 缓交/减交/免交 (司法救助), citing a situation of arts. 45–47."),
    ("court_case.fee_relief_decided", 1, CourtCaseFeeReliefDecidedV1, "A 诉讼费 relief application was granted or refused."),
    ("petition.feedback_submitted", 1, PetitionFeedbackSubmittedV1,
     "A petitioner rated the result reply (满意/基本满意/不满意, with reasons) through the public status query; "
     "review records it as the round's 评价 (via public)."),
]
