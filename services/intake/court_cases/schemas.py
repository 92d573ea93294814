"""Request and response schemas of the court-case API (涉企标记, 立案绿色通道, 诉讼费 缓减免)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, post_load, validate, validates, validates_schema

from services.intake.court_cases import basis
from services.intake.court_cases.case_numbers import CASE_TYPES
from services.intake.court_cases.models import ENTERPRISE, FILED, FLAGGED, NATURAL
from services.intake.credentials import codes
from services.intake.petitions.schemas import QueryCodeReissueIn
from shared.identifiers import InvalidIdentifier, parse_credit_code, parse_id_number
from shared.identifiers.credit_code import normalise as normalise_credit_code
from shared.pii import mask_id_number, mask_name
from shared.web.pagination import PageArgs

#: 当事人的诉讼地位 across the case types a court flags.
PARTY_ROLES = (
    "原告", "被告", "第三人", "上诉人", "被上诉人", "原审原告", "原审被告", "原审第三人",
    "申请人", "被申请人", "申请执行人", "被执行人", "案外人",
    "自诉人", "被告人", "被害人", "附带民事诉讼原告人", "附带民事诉讼被告人",
)
ENTERPRISE_SIZES = ("大型", "中型", "小型", "微型")  # 统计上大中小微型企业划分办法
OWNERSHIPS = ("国有", "集体", "民营", "外商投资", "港澳台投资", "混合所有制", "个体工商户")


def _check(parse: Any, value: str) -> None:
    # The identifier's problem code rides in the message, beside its Chinese and English text.
    try:
        parse(value)
    except InvalidIdentifier as exc:
        raise ValidationError(f"{exc.problem.code}: {exc.problem.message_zh} / {exc.problem.message_en}") from None


class CourtPartyIn(Schema):
    class Meta:
        unknown = RAISE

    role = fields.String(required=True, validate=validate.OneOf(PARTY_ROLES), metadata={"example": "被告"})
    kind = fields.String(required=True, validate=validate.OneOf((NATURAL, ENTERPRISE)),
                         metadata={"description": "natural: 自然人; enterprise: 企业", "example": "enterprise"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    credit_code = fields.String(load_default=None, allow_none=True,
                                metadata={"description": "统一社会信用代码 (GB 32100): required for an enterprise"})
    id_number = fields.String(load_default=None, allow_none=True,
                              metadata={"description": "居民身份证号码 (GB 11643) of a natural person; stored encrypted"})
    enterprise_size = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ENTERPRISE_SIZES))
    ownership = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(OWNERSHIPS))

    @validates("credit_code")
    def _credit_code(self, value: str | None, **_: Any) -> None:
        if value is not None:
            _check(parse_credit_code, value)

    @validates("id_number")
    def _id_number(self, value: str | None, **_: Any) -> None:
        if value is not None:
            _check(parse_id_number, value)

    @validates_schema
    def _fits_kind(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") == ENTERPRISE:
            if not data.get("credit_code"):
                raise ValidationError("企业当事人须填写统一社会信用代码 / an enterprise party needs its credit code",
                                      "credit_code")
            if data.get("id_number"):
                raise ValidationError("企业当事人不填身份证号码 / no ID number for an enterprise", "id_number")
        elif data.get("kind") == NATURAL:
            for name in ("credit_code", "enterprise_size", "ownership"):
                if data.get(name):
                    raise ValidationError("仅适用于企业当事人 / for enterprise parties only", name)

    @post_load
    def _normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Stored as the standards write them: half-width, upper case, no spaces.
        if data.get("credit_code"):
            data["credit_code"] = normalise_credit_code(data["credit_code"])
        if data.get("id_number"):
            data["id_number"] = parse_id_number(data["id_number"]).number
        return data


class CourtCaseCreate(Schema):
    """A case flagged as 涉企 by a judge or court clerk."""

    class Meta:
        unknown = RAISE

    case_number = fields.String(required=True, validate=validate.Length(min=1, max=64),
                                metadata={"description": "案号 (2016 规定), e.g. （2022）豫13民初1234号",
                                          "example": "（2022）豫13民初1234号"})
    case_type = fields.String(required=True, validate=validate.OneOf(CASE_TYPES), metadata={"example": "商事"})
    parties = fields.List(fields.Nested(CourtPartyIn), required=True, validate=validate.Length(min=1, max=50))
    reason = fields.String(required=True, validate=validate.Length(min=2, max=2000),
                           metadata={"description": "why the case is 涉企", "example": "被告为辖区民营小微企业，案涉货款关系企业正常经营"})


COURT_CASE_EXAMPLE: dict[str, Any] = {
    "case_number": "（2022）豫13民初1234号",
    "case_type": "商事",
    "parties": [
        {"role": "原告", "kind": "natural", "name": "李四", "id_number": "411302199001011236"},
        {"role": "被告", "kind": "enterprise", "name": "南阳市宛城区示例机械有限公司",
         "credit_code": "91411302MA44TFGN0Q", "enterprise_size": "小型", "ownership": "民营"},
    ],
    "reason": "被告为辖区民营小微企业，案涉货款关系企业正常经营",
}


class CourtPartyRead(Schema):
    id = fields.String()
    role = fields.String()
    kind = fields.String()
    name = fields.String()
    credit_code = fields.String(allow_none=True)
    id_number = fields.String(allow_none=True)
    enterprise_size = fields.String(allow_none=True)
    ownership = fields.String(allow_none=True)

    @post_dump(pass_original=True)
    def _mask(self, data: dict[str, Any], original: Any, **_: Any) -> dict[str, Any]:
        # A person's name and number never leave unmasked; an enterprise's name is public.
        if getattr(original, "kind", None) == NATURAL:
            data["name"] = mask_name(data.get("name"))
        data["id_number"] = mask_id_number(data.get("id_number"))
        return data


class GreenChannelRead(Schema):
    granted = fields.Boolean()
    reasons = fields.String(allow_none=True)
    decided_by = fields.String()
    decided_at = fields.AwareDateTime(format="iso")
    decided_on = fields.Date()
    limit_amount = fields.Integer(allow_none=True)
    limit_unit = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "立案 due by this day (granted only)"})
    due_provisional = fields.Boolean(metadata={"description": "暂定: the due day's year has no published holidays yet"})
    met = fields.Boolean(allow_none=True, metadata={"description": "filed by due_on; null until 立案 is recorded"})


class FeeReliefRead(Schema):
    id = fields.String()
    party_id = fields.String()
    kind = fields.String()
    situation_code = fields.String()
    situation = fields.Method("_situation")
    proof = fields.String()
    stage = fields.String()
    applied_on = fields.Date()
    requested_percent = fields.Integer(allow_none=True)
    recorded_by = fields.String()
    granted = fields.Boolean(allow_none=True, metadata={"description": "null: not decided yet"})
    granted_percent = fields.Integer(allow_none=True)
    reasons = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime(format="iso", allow_none=True)
    decided_on = fields.Date(allow_none=True)

    def _situation(self, obj: Any) -> dict[str, str]:
        situation = basis.BY_CODE[obj.situation_code]
        return {"code": situation.code, "citation": situation.citation, "text": situation.text}


class CourtCaseRead(Schema):
    id = fields.String()
    case_number = fields.String()
    court_code = fields.String()
    type_code = fields.String()
    case_type = fields.String()
    reason = fields.String()
    status = fields.String(metadata={"description": f"{FLAGGED} | {FILED}"})
    unit_code = fields.String()
    flagged_by = fields.String()
    flagged_at = fields.AwareDateTime(format="iso")
    flagged_on = fields.Date()
    filed_on = fields.Date(allow_none=True)
    parties = fields.List(fields.Nested(CourtPartyRead))
    green_channel = fields.Nested(GreenChannelRead, allow_none=True)
    fee_relief_applications = fields.List(fields.Nested(FeeReliefRead))


class FlaggedCourtPartyRead(CourtPartyRead):
    query_code = fields.String(allow_none=True, metadata={
        "description": "查询码 of an enterprise party, shown once here (re-issue: "
                       "POST /api/v1/court-cases/{id}/parties/{party_id}/query-code); null for a natural person",
        "example": "7KQ-3XM-9TA"})


class CourtCaseFlagged(CourtCaseRead):
    """The answer to a flag: the case, and each enterprise party's 查询码 (only in this answer)."""

    parties = fields.List(fields.Nested(FlaggedCourtPartyRead))


class _PartyWithCode:
    def __init__(self, party: Any, query_code: str | None) -> None:
        self._party = party
        self.query_code = codes.display(query_code)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._party, name)


class FlaggedCase:
    """A case with the codes issued with it, as `CourtCaseFlagged` dumps it."""

    def __init__(self, court_case: Any, query_codes: dict[str, str]) -> None:
        self._court_case = court_case
        self.parties = [_PartyWithCode(p, query_codes.get(p.id)) for p in court_case.parties]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._court_case, name)


class CourtCaseListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf((FLAGGED, FILED)))
    case_type = fields.String(validate=validate.OneOf(CASE_TYPES))


class GreenChannelIn(Schema):
    """立案绿色通道: granted (立案 then due within the configured limit) or refused with reasons."""

    class Meta:
        unknown = RAISE

    granted = fields.Boolean(required=True)
    reasons = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                            metadata={"description": "required when refused"})


class FilingIn(Schema):
    """立案: the day the case was filed (default today, Beijing time)."""

    class Meta:
        unknown = RAISE

    filed_on = fields.Date(load_default=None, allow_none=True, metadata={"example": "2026-10-09"})


class FeeReliefApplicationIn(Schema):
    """A 缓交/减交/免交 application (诉讼费用交纳办法 arts. 44–48), citing a situation of arts. 45–47."""

    class Meta:
        unknown = RAISE

    party_id = fields.String(required=True, metadata={"description": "the applicant: a party of this case"})
    kind = fields.String(required=True, validate=validate.OneOf(basis.KINDS), metadata={"example": "缓交"})
    situation_code = fields.String(
        required=True, validate=validate.OneOf([s.code for s in basis.SITUATIONS]),
        metadata={"description": "the situation cited: 45.1–45.5 免交, 46.1–46.4 减交, 47.1–47.4 缓交",
                  "example": "47.4"})
    proof = fields.String(required=True, validate=validate.Length(min=2, max=4000),
                          metadata={"description": "证明材料 handed in (art. 48)", "example": "企业近三个月财务报表、银行流水"})
    stage = fields.String(required=True, validate=validate.OneOf(basis.STAGES), metadata={"example": "起诉"})
    applied_on = fields.Date(load_default=None, allow_none=True)
    requested_percent = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=99),
                                       metadata={"description": "减交 only: the reduction asked for"})


FEE_RELIEF_EXAMPLE: dict[str, Any] = {
    "party_id": "<party id of the enterprise>", "kind": "缓交", "situation_code": "47.4",
    "proof": "企业近三个月财务报表、银行流水", "stage": "起诉",
}


class FeeReliefDecisionIn(Schema):
    """The court's decision: granted (减交 with its percentage, at least 30) or refused with written reasons."""

    class Meta:
        unknown = RAISE

    granted = fields.Boolean(required=True)
    granted_percent = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=99))
    reasons = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000),
                            metadata={"description": "required when refused (art. 48 ¶3)"})
    decided_on = fields.Date(load_default=None, allow_none=True)


# Why a new 查询码 is issued: the same input as a petition's re-issue (one schema, one OpenAPI component).
PartyQueryCodeReissueIn = QueryCodeReissueIn


class PartyQueryCodeIssued(Schema):
    court_case_id = fields.String()
    case_number = fields.String()
    party_id = fields.String()
    query_code = fields.String(metadata={"description": "the new code, shown once; the earlier one no longer works"})


class FeeReliefSituationRead(Schema):
    code = fields.String()
    kind = fields.String()
    article = fields.String()
    citation = fields.String()
    text = fields.String()
    catch_all = fields.Boolean()
