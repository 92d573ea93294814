"""Request and response schemas of the enterprise check (企业核验) and the access code it issues."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from shared.calendar.clock import beijing_today
from shared.identifiers import fields as ids

# What the clerk must have checked, in person, before an access code is issued.
CHECKS: dict[str, str] = {
    "licence_original": "营业执照原件已当面查验",
    "licence_matches": "营业执照上的名称、统一社会信用代码与所填一致",
    "representative_id_card": "法定代表人居民身份证原件已查验，与本人相符",
    "representative_in_person": "法定代表人本人到场",
}


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class BusinessLicenceIn(_Strict):
    """The 营业执照 as read off the original."""

    number = fields.String(required=True, validate=validate.Length(min=1, max=40), metadata={
        "description": "the licence's number as printed (since 2015 the credit code itself)",
        "example": "91411302MA44TFGN0Q"})
    issued_on = fields.Date(required=True, metadata={"description": "发照日期", "example": "2019-05-20"})

    @validates("issued_on")
    def _not_future(self, value: Any, **_: Any) -> None:
        if value > beijing_today():
            raise ValidationError("发照日期不能晚于今天 / the issue date lies in the future")


class LegalRepresentativeIn(_Strict):
    """The 法定代表人, seen in person with the original ID card."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=100), metadata={"example": "李四"})
    id_number = ids.IdNumber(required=True, metadata={"description": "居民身份证号码 (GB 11643)",
                                                     "example": "411302198505051237"})


class VerificationCreate(_Strict):
    """One in-person check of an enterprise; on success its access code is issued (shown once)."""

    credit_code = ids.CreditCode(required=True, metadata={"description": "统一社会信用代码 (GB 32100)",
                                                           "example": "91411302MA44TFGN0Q"})
    enterprise_name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                    metadata={"example": "南阳市宛城区示例机械有限公司"})
    licence = fields.Nested(BusinessLicenceIn, required=True)
    representative = fields.Nested(LegalRepresentativeIn, required=True)
    checks = fields.List(fields.String(validate=validate.OneOf(tuple(CHECKS))), required=True,
                         metadata={"description": f"every one of {', '.join(CHECKS)}"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500),
                           metadata={"example": "企业申请查询本企业全部事项的办理进度"})

    @validates("checks")
    def _all_checked(self, value: list[str], **_: Any) -> None:
        missing = [CHECKS[c] for c in CHECKS if c not in value]
        if missing:
            raise ValidationError(f"未核验：{'；'.join(missing)} / every check must be done in person before a code is issued")


class MaskedLegalRepresentative(Schema):
    name = fields.String()
    id_number = fields.String()


class VerificationRead(Schema):
    """The check as stored (numbers masked) and the access code, shown in this answer only."""

    verification_id = fields.String()
    credit_code = fields.String()
    enterprise_name = fields.String()
    representative = fields.Nested(MaskedLegalRepresentative)
    checks = fields.List(fields.String())
    verified_at = fields.AwareDateTime(format="iso")
    verified_by = fields.String()
    reissued = fields.Boolean(metadata={"description": "an earlier access code of the enterprise was revoked"})
    access_code = fields.String(metadata={"description": "shown once; the enterprise types it with its credit code",
                                          "example": "7KQ3-XM9T-AB"})


VERIFICATION_EXAMPLE = {
    "credit_code": "91411302MA44TFGN0Q",
    "enterprise_name": "南阳市宛城区示例机械有限公司",
    "licence": {"number": "91411302MA44TFGN0Q", "issued_on": "2019-05-20"},
    "representative": {"name": "李四", "id_number": "411302198505051237"},
    "checks": list(CHECKS),
    "reason": "企业申请查询本企业全部事项的办理进度",
}
