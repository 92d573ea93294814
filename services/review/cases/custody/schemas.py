"""Schemas of the 羁押必要性审查 API and forms (the pages load the same ones)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.review.cases.custody import checklist, triggers
from services.review.cases.custody.vocabulary import (
    APPLICANT_KINDS,
    APPLICATION,
    DECISIONS,
    DETENTION_CENTRE,
    EX_OFFICIO,
    MEASURES,
    REPLIES,
    ROLES,
    STAGES,
    STATES,
    TRIGGERS,
)
from shared.identifiers import fields as idf
from shared.validation import invalid

OPENABLE = (APPLICATION, EX_OFFICIO, DETENTION_CENTRE)  # mandatory ones only the job opens
#: Days the platform counts: the 2016 规定 onwards, and not past the calendar's reach.
_DAYS = validate.Range(min=_dt.date(2016, 1, 1), max=_dt.date(2099, 12, 31),
                       error="日期须在2016年至2099年之间")


def _day(required: bool = False, **kwargs: Any) -> fields.Date:
    if required:
        return fields.Date(required=True, validate=_DAYS, **kwargs)
    return fields.Date(allow_none=True, load_default=None, validate=_DAYS, **kwargs)


def _text(name: str, zh: str) -> Any:
    def check(value: str) -> None:
        if not value.strip():
            raise invalid(f"{name}.blank", zh, f"{name} may not be blank")
    return check


def _line(name: str, zh: str, max_len: int, required: bool = True) -> fields.String:
    return fields.String(required=required, validate=[validate.Length(min=1, max=max_len), _text(name, zh)])


class MeasureIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(MEASURES),
                         metadata={"description": "detention 拘留 | arrest 逮捕 | extension 延长"})
    started_on = _day(True)
    ends_on = _day()
    basis = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))


class _CaseFields(Schema):
    """The person, the criminal case and the enterprise, as the review and the register keep them."""

    person_name = _line("person_name", "请填写被羁押人姓名", 100)
    id_number = idf.IdNumber(allow_none=True, load_default=None, metadata={"description": "居民身份证号码（加密保存）"})
    criminal_case_number = _line("criminal_case_number", "请填写刑事案号", 80)
    charge = _line("charge", "请填写涉嫌罪名", 100)
    stage = fields.String(required=True, validate=validate.OneOf(STAGES),
                          metadata={"description": "investigation 侦查 | prosecution 审查起诉 | trial 审判"})
    handling_organ = _line("handling_organ", "请填写办案机关", 120)
    enterprise_role = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(ROLES))
    enterprise_name = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=200))
    enterprise_credit_code = idf.CreditCode(allow_none=True, load_default=None)


class ReviewCreate(_CaseFields):
    """A review opened by staff: an application (any procuratorate unit may register it), ex officio, or on
    the 看守所's suggestion (the reviewing unit's prosecutors)."""

    trigger = fields.String(load_default=APPLICATION, validate=validate.OneOf(OPENABLE))
    unit_code = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=1, max=40),
                              metadata={"description": "the 捕诉 unit that reviews (default: the caller's)"})
    received_on = _day(metadata={"description": "收到申请之日 (default today)"})
    measures = fields.List(fields.Nested(MeasureIn), load_default=list)
    employees = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0, max=10_000_000))
    production_stopped = fields.Boolean(allow_none=True, load_default=None)
    contracts_at_risk = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0, max=100_000))
    contracts_amount = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0, max=2_000_000_000),
                                      metadata={"description": "合同金额（元）"})
    impact_text = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    applicant_kind = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(APPLICANT_KINDS))
    applicant_name = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=100))
    applicant_email = fields.Email(allow_none=True, load_default=None, validate=validate.Length(max=120))
    applicant_phone = idf.Phone(allow_none=True, load_default=None)
    reasons = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    evidence = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))

    @validates_schema
    def _application(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("trigger", APPLICATION) != APPLICATION:
            return
        problems: dict[str, Any] = {}
        for name, zh in (("applicant_kind", "请选择申请人身份"), ("applicant_name", "请填写申请人姓名"),
                         ("reasons", "请写明申请理由")):
            if not (data.get(name) or "").strip():
                problems[name] = [invalid(f"{name}.required", zh, f"an application needs {name}").messages[0]]
        if not data.get("applicant_email") and not data.get("applicant_phone"):
            problems["applicant_email"] = [invalid("applicant_contact.required", "请填写申请人的电子邮箱或手机号码（用于书面通知）",
                                                   "an email or a mobile number for the written notice").messages[0]]
        if problems:
            raise ValidationError(problems)


class GroundTick(Schema):
    code = fields.String(required=True, validate=validate.OneOf([i.code for i in checklist.items()]))
    ticked = fields.Boolean(required=True)
    evidence = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class GroundsUpdate(Schema):
    items = fields.List(fields.Nested(GroundTick), required=True, validate=validate.Length(min=1, max=100))


class Decline(Schema):
    reasons = _line("reasons", "请写明不予立案的理由", 2000)


class Decide(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS),
                             metadata={"description": "release_recommended 建议释放 | change_recommended 建议变更强制措施 | "
                                                      "changed_directly 直接变更（审查起诉） | continued 继续羁押"})
    reasons = _line("reasons", "请写明审查理由", 4000)
    basis = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000),
                          metadata={"description": "法律依据 (default: the decision's)"})


class Extend(Schema):
    approved_by = _line("approved_by", "请填写批准人（检察长或分管副检察长）", 100)
    reasons = _line("reasons", "请写明延长理由", 1000)


class Suspend(Schema):
    start_on = _day(True, metadata={"description": "鉴定开始之日（不计入审查期限）"})
    basis = _line("basis", "请写明鉴定事项", 500)


class Resume(Schema):
    resumed_on = _day(True)


class ReplyIn(Schema):
    reply = fields.String(required=True, validate=validate.OneOf(REPLIES), metadata={"description": "accepted | refused"})
    reply_on = _day(True)
    text = _line("text", "请填写回复内容", 4000)


class CorrectionIn(Schema):
    text = _line("text", "请写明纠正意见", 4000)


class ReviewListArgs(Schema):
    state = fields.String(validate=validate.OneOf((*STATES, "open")))
    trigger = fields.String(validate=validate.OneOf(TRIGGERS))
    stage = fields.String(validate=validate.OneOf(STAGES))
    unit = fields.String(validate=validate.Length(min=1, max=40))
    overdue = fields.Boolean(load_default=False, truthy={"1", "true", "yes"}, falsy={"0", "false", "no", ""})
    q = fields.String(validate=validate.Length(min=1, max=80), metadata={"description": "案号 prefix"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))


class RegisterCreate(_CaseFields):
    unit_code = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=1, max=40))
    stage_entered_on = _day(True)
    arrested_on = _day()
    likely_sentence_months = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0, max=1200))
    likely_short_sentence = fields.Boolean(allow_none=True, load_default=None,
                                           metadata={"description": "可能判处三年有期徒刑以下（overrides the months）"})
    returned_from_supplementary_on = _day()
    first_instance_started_on = _day()
    second_instance_started_on = _day()
    judged_on = _day()
    special_situations = fields.List(fields.String(validate=validate.OneOf(
        [s.code for s in triggers.catalogue().situations])), load_default=list)
    released_on = _day()


class RegisterUpdate(RegisterCreate):
    """The fields to change (loaded partial: what is not sent stays)."""


class CustodyRatesArgs(Schema):
    since = fields.Date(required=True, data_key="from")
    until = fields.Date(required=True, data_key="to")
    unit = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=None)

    @validates_schema
    def _range(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["until"] < data["since"]:
            raise invalid("range.reversed", "结束日期不能早于开始日期", "to is before from", "to")


# --- answers ----------------------------------------------------------------------------------------------

class CustodyMeasureRead(Schema):
    kind = fields.String()
    started_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    basis = fields.String(allow_none=True)


class GroundRead(Schema):
    code = fields.String(attribute="item_code")
    ticked = fields.Boolean()
    evidence = fields.String(allow_none=True)


class CustodyClockRead(Schema):
    id = fields.String()
    rule_code = fields.String()
    title = fields.String()
    amount = fields.Integer()
    unit = fields.String()
    start_on = fields.Date()
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    met_on_time = fields.Boolean(allow_none=True)


class DocumentRead(Schema):
    id = fields.String()
    kind = fields.String()
    document_number = fields.String()
    addressee = fields.String()
    issued_on = fields.Date()
    pdf_sha256 = fields.String()
    pdf_url = fields.String()
    docx_url = fields.String()


class ReviewRead(Schema):
    id = fields.String()
    case_number = fields.String()
    unit_code = fields.String()
    received_by_unit_code = fields.String()
    received_on = fields.Date()
    reached_on = fields.Date(allow_none=True)
    trigger = fields.String()
    trigger_rule = fields.String(allow_none=True)
    trigger_basis = fields.String(allow_none=True)
    trigger_detail = fields.String(allow_none=True)
    state = fields.String()
    person_name = fields.String()
    id_number_masked = fields.String(allow_none=True)
    criminal_case_number = fields.String()
    charge = fields.String()
    stage = fields.String()
    handling_organ = fields.String()
    enterprise_role = fields.String(allow_none=True)
    enterprise_name = fields.String(allow_none=True)
    enterprise_credit_code = fields.String(allow_none=True)
    employees = fields.Integer(allow_none=True)
    production_stopped = fields.Boolean(allow_none=True)
    contracts_at_risk = fields.Integer(allow_none=True)
    contracts_amount = fields.Integer(allow_none=True)
    impact_text = fields.String(allow_none=True)
    applicant_kind = fields.String(allow_none=True)
    applicant_name = fields.String(allow_none=True)
    reasons = fields.String(allow_none=True)
    evidence = fields.String(allow_none=True)
    filed_on = fields.Date(allow_none=True)
    not_filed_reasons = fields.String(allow_none=True)
    decision = fields.String(allow_none=True)
    decision_basis = fields.String(allow_none=True)
    decision_reasons = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    reply = fields.String(allow_none=True)
    reply_on = fields.Date(allow_none=True)
    due_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)


class ReviewDetailRead(ReviewRead):
    measures = fields.List(fields.Nested(CustodyMeasureRead))
    grounds = fields.List(fields.Nested(GroundRead))
    clocks = fields.List(fields.Nested(CustodyClockRead))
    documents = fields.List(fields.Nested(DocumentRead))


class RegisterRead(Schema):
    id = fields.String()
    unit_code = fields.String()
    person_name = fields.String()
    id_number_masked = fields.String(allow_none=True)
    criminal_case_number = fields.String()
    charge = fields.String()
    handling_organ = fields.String()
    stage = fields.String()
    stage_entered_on = fields.Date()
    arrested_on = fields.Date(allow_none=True)
    likely_sentence_months = fields.Integer(allow_none=True)
    likely_short_sentence = fields.Boolean(allow_none=True)
    returned_from_supplementary_on = fields.Date(allow_none=True)
    first_instance_started_on = fields.Date(allow_none=True)
    second_instance_started_on = fields.Date(allow_none=True)
    judged_on = fields.Date(allow_none=True)
    special_situations = fields.List(fields.String())
    released_on = fields.Date(allow_none=True)


class RateRead(Schema):
    unit_code = fields.String()
    made = fields.Integer()
    accepted = fields.Integer()
    refused = fields.Integer()
    pending = fields.Integer()
    unanswered = fields.Integer()
    rate = fields.Float(allow_none=True)
