"""The public online petition: PetitionCreate's rules, stricter."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, pre_load, validate, validates_schema

from services.intake.petitions import receiving_units
from services.intake.petitions.schemas import PETITION_EXAMPLE, PetitionCreate, PetitionerIn
from shared.identifiers import fields as ids
from shared.validation import invalid

CHANNEL = "网"


class PublicPetitionerIn(PetitionerIn):
    """Online, the petitioner gives a real name and numbers (实名): the reply needs them."""

    id_number = ids.IdNumber(required=True, metadata={"description": "居民身份证号码 (GB 11643)", "example": "411302199001011236"})
    phone = ids.Phone(required=True, metadata={"example": "13800138000"})
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class PublicPetitionCreate(PetitionCreate):
    """What the public may send: no channel (it is 网), no received time (it is now), no letter or visit."""

    class Meta:
        unknown = RAISE
        exclude = ("channel", "received_at", "letter", "visit")

    unit_code = fields.String(
        load_default=None, allow_none=True,
        metadata={"description": "the receiving organ (受理单位); default: the line's city-level service centre",
                  "example": "NY-JCY-KS"})
    petitioner = fields.Nested(PublicPetitionerIn, required=True)
    subject = fields.String(required=True, validate=validate.Length(min=2, max=60))
    claim = fields.String(required=True, validate=validate.Length(min=5, max=2000))
    facts = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    reasons = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))

    @pre_load
    def _no_blank_strings(self, data: Any, **_: Any) -> Any:
        # A form sends "" for a field left empty: absent, as in JSON.
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data

    @validates_schema
    def _record_rules(self, data: dict[str, Any], **kwargs: Any) -> None:
        # The clerk's rules for the 网 channel (a number to call back, …), and the organ the public chose.
        super()._record_rules({**data, "channel": CHANNEL}, **kwargs)
        unit = data.get("unit_code")
        if unit is not None and unit not in receiving_units.public_receivers(data.get("line", "")):
            raise invalid("unit_code.not_a_receiver", "请从所列受理单位中选择", "choose one of the listed receiving organs",
                          "unit_code")


class OnlinePetitionReceived(Schema):
    """The public answer: no more of the record than the sender needs to follow it up."""

    case_number = fields.String(metadata={"example": "宛检12309〔2026〕12号"})
    query_code = fields.String(metadata={"description": "查询码: shown once; keep it with the case number", "example": "7KQ-3XM-9TA"})
    line = fields.String()
    received_at = fields.AwareDateTime(format="iso")
    receiving_unit = fields.String(metadata={"description": "the organ that received it (受理单位)"})
    commitments = fields.List(fields.String(), metadata={"description": "the reply commitments of the line"})
    status_url = fields.String(metadata={"description": "where to query the progress with the case number and code"})


PUBLIC_PETITION_EXAMPLE: dict[str, Any] = {
    key: value for key, value in PETITION_EXAMPLE.items() if key not in ("channel", "received_at")
} | {"unit_code": "NY-JCY-KS"}
