"""Schemas of the 失信 API and forms (the pages parse their forms with these same schemas)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, validate, validates_schema

from services.review.dishonesty.grounds import EXTENSION_YEARS, LISTING_GROUNDS, REMOVAL_GROUNDS
from services.review.dishonesty.models import DEBTOR_KINDS, ENTERPRISE, PERSON, STATUSES
from shared.identifiers import InvalidIdentifier, parse_case_number
from shared.identifiers.fields import CreditCode, IdNumber, Phone
from shared.validation import invalid

_TEXT = validate.Length(min=1, max=2000)
_NAME = validate.Length(min=1, max=200)


class EnforcementCaseNumber(fields.String):
    """执行案号 (2016 规定): the 案号 rules of shared/identifiers, and of the class 执行; loads normalised."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            number = parse_case_number(text)
        except InvalidIdentifier as exc:
            raise invalid(exc.problem.code, exc.problem.message_zh, exc.problem.message_en) from None
        if number.case_class != "执行":
            raise invalid("dishonesty.not_enforcement_case", "应为执行案号（如（2026）豫13执123号）",
                          "not an enforcement case number (e.g. （2026）豫13执123号)")
        return number.text


class ListingCreate(Schema):
    """纳入失信名单: the case, the debtor, the art. 1 ground, the term and the 限制消费令."""

    class Meta:
        unknown = RAISE

    case_number = EnforcementCaseNumber(required=True, metadata={"description": "执行案号"})
    debtor_kind = fields.String(required=True, validate=validate.OneOf(DEBTOR_KINDS))
    debtor_name = fields.String(required=True, validate=_NAME)
    credit_code = CreditCode(load_default=None, allow_none=True, metadata={"description": "enterprise: 统一社会信用代码"})
    id_number = IdNumber(load_default=None, allow_none=True, metadata={"description": "person: 身份证号码"})
    legal_representative = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    obligation = fields.String(required=True, validate=_TEXT, metadata={"description": "生效法律文书确定的义务"})
    ground = fields.Integer(required=True, validate=validate.OneOf(tuple(LISTING_GROUNDS)),
                            metadata={"description": "第一条 第（n）项, 1–6"})
    listed_on = fields.Date(required=True)
    extension_years = fields.Integer(load_default=0, validate=validate.OneOf((0, *EXTENSION_YEARS)))
    extension_reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    on_application = fields.Boolean(load_default=True, metadata={"description": "依申请执行人申请纳入"})
    consumption_scope = fields.String(load_default="乘坐飞机、列车软卧、G字头动车组列车全部座位及其他动车组列车一等以上座位；"
                                                   "在星级以上宾馆、酒店消费；购买不动产；旅游、度假；高消费及非生活和工作必需的消费",
                                      validate=_TEXT, metadata={"description": "限制消费令 的范围"})
    consumption_issued_on = fields.Date(load_default=None, allow_none=True)
    contact_email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=200))
    contact_phone = Phone(load_default=None, allow_none=True)

    @validates_schema
    def _debtor_number(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("debtor_kind")
        if kind == ENTERPRISE and not data.get("credit_code"):
            raise invalid("dishonesty.credit_code_required", "被执行人为法人或其他组织的，应当填写统一社会信用代码",
                          "an enterprise debtor needs its credit code", "credit_code")
        if kind == PERSON and not data.get("id_number"):
            raise invalid("dishonesty.id_number_required", "被执行人为自然人的，应当填写身份证号码",
                          "a natural person needs an ID number", "id_number")
        if data.get("extension_years") and not (data.get("extension_reason") or "").strip():
            raise invalid("dishonesty.extension_reason_required", "延长失信期限的，应当写明理由",
                          "an extended term needs its reason", "extension_reason")


LISTING_EXAMPLE = {
    "case_number": "（2026）豫13执123号", "debtor_kind": "enterprise", "debtor_name": "南阳市宛城区示例建材有限公司",
    "credit_code": "91411302MA44TFGN0Q", "obligation": "支付货款人民币120000元及利息", "ground": 1,
    "listed_on": "2026-03-02", "contact_email": "finance@example.com",
}


class GroundCreate(Schema):
    """第十条: the ground of deletion and its evidence (终本: how many network searches found nothing)."""

    class Meta:
        unknown = RAISE

    ground = fields.String(required=True, validate=validate.OneOf(tuple(REMOVAL_GROUNDS)))
    evidence = fields.String(required=True, validate=_TEXT)
    network_searches = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=100))
    on = fields.Date(load_default=None, allow_none=True, metadata={"description": "the day it happened; default today"})


class DayCreate(Schema):
    class Meta:
        unknown = RAISE

    on = fields.Date(load_default=None, allow_none=True)


class CorrectionCreate(Schema):
    class Meta:
        unknown = RAISE

    reasons = fields.String(required=True, validate=_TEXT)
    on = fields.Date(load_default=None, allow_none=True)


class CorrectionReview(Schema):
    class Meta:
        unknown = RAISE

    accepted = fields.Boolean(required=True)
    reasons = fields.String(required=True, validate=_TEXT)
    on = fields.Date(load_default=None, allow_none=True)


class CorrectedCreate(Schema):
    class Meta:
        unknown = RAISE

    note = fields.String(required=True, validate=_TEXT)
    on = fields.Date(load_default=None, allow_none=True)


class ReconsiderationCreate(Schema):
    class Meta:
        unknown = RAISE

    reasons = fields.String(required=True, validate=_TEXT)
    on = fields.Date(load_default=None, allow_none=True)


class ReconsiderationDecide(Schema):
    class Meta:
        unknown = RAISE

    revoke = fields.Boolean(required=True, metadata={"description": "true: 撤销驳回决定; false: 驳回复议"})
    reasons = fields.String(required=True, validate=_TEXT)
    on = fields.Date(load_default=None, allow_none=True)


class RevokeCreate(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=_TEXT)


class ListArgs(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    due_by = fields.Date(load_default=None, allow_none=True, metadata={"description": "an open clock due by this day"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class VerifyIn(Schema):
    class Meta:
        unknown = RAISE

    code = fields.String(required=True, validate=validate.Length(min=1, max=64))


class ConsumptionOrderRead(Schema):
    id = fields.String()
    issued_on = fields.Date()
    scope = fields.String()
    lifted_on = fields.Date(allow_none=True)
    lifted_by = fields.String(allow_none=True)


class CorrectionRead(Schema):
    id = fields.String()
    applied_on = fields.Date()
    reasons = fields.String()
    outcome = fields.String(allow_none=True)
    review_reasons = fields.String(allow_none=True)
    reviewed_on = fields.Date(allow_none=True)
    corrected_on = fields.Date(allow_none=True)
    correction_note = fields.String(allow_none=True)
    review_deadline_id = fields.String(allow_none=True)
    correct_deadline_id = fields.String(allow_none=True)
    apply_deadline_id = fields.String(allow_none=True)


class ReconsiderationRead(Schema):
    id = fields.String()
    correction_id = fields.String()
    higher_court_code = fields.String(allow_none=True)
    higher_court_name = fields.String()
    applied_on = fields.Date()
    reasons = fields.String()
    outcome = fields.String(allow_none=True)
    decision_reasons = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    decide_deadline_id = fields.String(allow_none=True)
    correct_deadline_id = fields.String(allow_none=True)


class ClockRead(Schema):
    id = fields.String()
    rule_code = fields.String()
    title = fields.String()
    start_on = fields.Date()
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    provisional = fields.Boolean()
    met_on_time = fields.Boolean(allow_none=True)


class CertificateRead(Schema):
    id = fields.String()
    number = fields.String()
    issued_on = fields.Date()
    issued_by = fields.String()
    removed_on = fields.Date()
    enterprise_shown = fields.String()
    performed = fields.String()
    pdf_sha256 = fields.String()
    notice_id = fields.String()
    revoked_on = fields.Date(allow_none=True)
    revoke_reason = fields.String(allow_none=True)


class IssuedRead(Schema):
    certificate = fields.Nested(CertificateRead)
    code = fields.String(metadata={"description": "the verification code, shown once (it is stored hashed)"})


class ListingRead(Schema):
    id = fields.String()
    unit_code = fields.String()
    court_code = fields.String()
    court_name = fields.String()
    case_number = fields.String()
    debtor_kind = fields.String()
    debtor_name = fields.String(metadata={"description": "a natural person's name masked"})
    debtor_number_masked = fields.String()
    legal_representative = fields.String(allow_none=True)
    obligation = fields.String()
    ground = fields.Integer()
    on_application = fields.Boolean()
    listed_on = fields.Date()
    term_years = fields.Integer(allow_none=True)
    extension_years = fields.Integer()
    extension_reason = fields.String(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    status = fields.String()
    removal_ground = fields.String(allow_none=True)
    removal_evidence = fields.String(allow_none=True)
    network_searches = fields.Integer(allow_none=True)
    removal_recorded_on = fields.Date(allow_none=True)
    removal_deadline_id = fields.String(allow_none=True)
    removed_on = fields.Date(allow_none=True)
    removed_by = fields.String(allow_none=True)
    relisting_blocked_until = fields.Date(allow_none=True)
    registered_by = fields.String()


class ListingDetailRead(ListingRead):
    consumption_order = fields.Nested(ConsumptionOrderRead, allow_none=True)
    corrections = fields.List(fields.Nested(CorrectionRead))
    reconsiderations = fields.List(fields.Nested(ReconsiderationRead))
    clocks = fields.List(fields.Nested(ClockRead))
    certificates = fields.List(fields.Nested(CertificateRead))


class VerifyRead(Schema):
    result = fields.String(metadata={"description": "valid / revoked / not_found"})
    issued_on = fields.Date(allow_none=True)
    issued_by = fields.String(allow_none=True)
    enterprise = fields.String(allow_none=True, metadata={"description": "a natural person's name masked"})
    number = fields.String(allow_none=True)
    revoked_on = fields.Date(allow_none=True)
