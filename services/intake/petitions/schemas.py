"""Request and response schemas of the petition API."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate, validates, validates_schema

from services.intake.credentials import codes
from shared.web.pagination import PageArgs

from shared.events.intake import CHANNELS, LINES
from shared.pii import is_valid_credit_code, is_valid_id_number, mask_id_number, mask_name, mask_phone

# 12309 检察服务 petition types, and 12368 诉讼服务 contact types.
PETITION_TYPES: dict[str, tuple[str, ...]] = {
    "12309": ("控告", "刑事申诉", "国家赔偿", "民事申诉", "行政申诉", "举报", "其他信访"),
    "12368": ("案件查询", "联系法官", "诉讼咨询", "投诉举报", "意见建议", "信访"),
}
_PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


class PetitionerIn(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={"example": "张三"})
    id_number = fields.String(
        load_default=None, allow_none=True, metadata={"description": "居民身份证号码 (GB 11643)", "example": "411302199001011236"}
    )
    phone = fields.String(load_default=None, allow_none=True, metadata={"example": "13800138000"})
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))

    @validates("id_number")
    def _id_number(self, value: str | None, **_: Any) -> None:
        if value is not None and not is_valid_id_number(value):
            raise ValidationError("身份证号码无效 / not a valid ID-card number (GB 11643 check digit)")

    @validates("phone")
    def _phone(self, value: str | None, **_: Any) -> None:
        if value is not None and not _PHONE_RE.match(value):
            raise ValidationError("联系电话格式无效 / not a valid phone number")


class EnterpriseIn(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "南阳市宛城区示例机械有限公司"})
    credit_code = fields.String(
        required=True, metadata={"description": "统一社会信用代码 (GB 32100)", "example": "91411302MA44TFGN0Q"}
    )

    @validates("credit_code")
    def _credit_code(self, value: str, **_: Any) -> None:
        if not is_valid_credit_code(value):
            raise ValidationError("统一社会信用代码无效 / not a valid unified social credit code (GB 32100)")


class PetitionCreate(Schema):
    """A petition as the intake clerk registers it."""

    class Meta:
        unknown = RAISE

    line = fields.String(required=True, validate=validate.OneOf(LINES), metadata={"example": "12309"})
    channel = fields.String(
        required=True, validate=validate.OneOf(CHANNELS), metadata={"description": "信 letter, 访 visit, 网 web, 电 phone", "example": "网"}
    )
    petition_type = fields.String(required=True, metadata={"example": "控告"})
    petitioner = fields.Nested(PetitionerIn, required=True)
    enterprise = fields.Nested(EnterpriseIn, load_default=None, allow_none=True)
    claim = fields.String(required=True, validate=validate.Length(min=1, max=4000), metadata={"description": "诉求", "example": "请求依法撤销对本企业账户的冻结措施"})
    facts = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000), metadata={"description": "事实"})
    reasons = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000), metadata={"description": "理由"})
    received_at = fields.AwareDateTime(
        load_default=None, allow_none=True, format="iso",
        metadata={"description": "When the petition arrived (for letters registered later); defaults to now"},
    )

    @validates_schema
    def _type_fits_line(self, data: dict[str, Any], **_: Any) -> None:
        allowed = PETITION_TYPES.get(data.get("line", ""), ())
        if data.get("petition_type") not in allowed:
            raise ValidationError(
                f"类型须为 {'、'.join(allowed)} 之一 / petition_type must be one of {', '.join(allowed)}",
                "petition_type",
            )


PETITION_EXAMPLE: dict[str, Any] = {
    "line": "12309",
    "channel": "网",
    "petition_type": "控告",
    "petitioner": {"name": "张三", "id_number": "411302199001011236", "phone": "13800138000"},
    "enterprise": {"name": "南阳市宛城区示例机械有限公司", "credit_code": "91411302MA44TFGN0Q"},
    "claim": "请求依法撤销对本企业账户的冻结措施",
    "facts": "2022年3月，本企业账户被冻结，至今未解除。",
}


class PetitionerRead(Schema):
    name = fields.String()
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)

    @post_dump
    def _mask(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # Personal numbers never leave the service unmasked through this schema.
        data["name"] = mask_name(data.get("name"))
        data["id_number"] = mask_id_number(data.get("id_number"))
        data["phone"] = mask_phone(data.get("phone"))
        return data


class EnterpriseRead(Schema):
    name = fields.String()
    credit_code = fields.String()


class PetitionRead(Schema):
    id = fields.String()
    case_number = fields.String()
    line = fields.String()
    channel = fields.String()
    petition_type = fields.String()
    status = fields.String()
    is_enterprise = fields.Boolean()
    petitioner = fields.Method("_petitioner")
    enterprise = fields.Method("_enterprise", allow_none=True)
    claim = fields.String()
    received_at = fields.AwareDateTime(format="iso")
    received_on = fields.Date()
    possible_duplicate_of = fields.String(
        allow_none=True, metadata={"description": "an earlier petition by the same ID number within 30 days"}
    )

    def _petitioner(self, obj: Any) -> dict[str, Any]:
        dumped: dict[str, Any] = PetitionerRead().dump(
            {"name": obj.petitioner_name, "id_number": obj.petitioner_id_number, "phone": obj.petitioner_phone}
        )
        return dumped

    def _enterprise(self, obj: Any) -> dict[str, Any] | None:
        if not obj.enterprise_name:
            return None
        return {"name": obj.enterprise_name, "credit_code": obj.enterprise_credit_code}


class PetitionRegistered(PetitionRead):
    """The answer to a registration: the petition, and the query code for its 受理回执.

    Only this answer carries the code: it is kept as a slow hash, so reading a petition cannot
    show it, and a replayed registration (same Idempotency-Key) answers null.
    """

    query_code = fields.Method(
        "_query_code", allow_none=True,
        metadata={"description": "查询码: give it to the petitioner with the receipt; with the case number it opens "
                                 "the public status query. Shown once: null on an idempotent replay (re-issue it "
                                 "with POST /api/v1/petitions/{id}/query-code if it was lost)",
                  "example": "7KQ3-XM9T"},
    )

    def _query_code(self, obj: Any) -> str | None:
        return codes.display(getattr(obj, "query_code", None))


class RegisteredPetition:
    """A petition with the code issued with it, as `PetitionRegistered` dumps it."""

    def __init__(self, petition: Any, query_code: str | None) -> None:
        self._petition = petition
        self.query_code = query_code

    def __getattr__(self, name: str) -> Any:
        return getattr(self._petition, name)


class QueryCodeReissueIn(Schema):
    """Why a new 查询码 is issued (kept in the audit log): a lost receipt, a code seen by others."""

    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=2, max=500), metadata={"example": "信访人遗失受理回执"})


class QueryCodeIssued(Schema):
    petition_id = fields.String()
    case_number = fields.String()
    query_code = fields.String(metadata={"description": "the new code, shown once; the earlier one no longer works"})


class ReceiptCodeIn(Schema):
    """The 查询码 given at registration (or re-issue), to be printed on the PDF 受理回执; checked against its hash."""

    class Meta:
        unknown = RAISE

    query_code = fields.String(required=True, validate=validate.Length(min=1, max=40),
                               metadata={"example": "7KQ3-XM9T"})


class PetitionListArgs(PageArgs):
    line = fields.String(validate=validate.OneOf(LINES))
    is_enterprise = fields.Boolean()


class PetitionSearch(Schema):
    """Find petitions by a petitioner's exact ID or phone number (in the body: never in a URL or log)."""

    class Meta:
        unknown = RAISE

    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=18),
                              metadata={"example": "411302199001011236"})
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=20))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))

    @validates_schema
    def _one_number(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("id_number") and not data.get("phone"):
            raise ValidationError("给出身份证号码或电话 / give id_number or phone", "_schema")


SEARCH_EXAMPLE: dict[str, Any] = {"id_number": "411302199001011236"}


class PetitionRevealIn(Schema):
    """Which full numbers to show, and why (the reason is kept in the audit log)."""

    class Meta:
        unknown = RAISE

    fields_ = fields.List(
        fields.String(validate=validate.OneOf(("id_number", "phone"))), data_key="fields",
        load_default=lambda: ["id_number", "phone"], validate=validate.Length(min=1),
    )
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500), metadata={"example": "电话回访信访人"})


REVEAL_EXAMPLE: dict[str, Any] = {"fields": ["id_number", "phone"], "reason": "电话回访信访人"}


class PetitionRevealRead(Schema):
    """Full personal numbers: only from the audited reveal endpoint."""

    petition_id = fields.String()
    case_number = fields.String()
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
