"""The status query form: case number and query code, as a person types them from the receipt."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from services.intake.numbering import service as numbering


def _a_case_number(value: str) -> None:
    if not numbering.is_case_number(value):
        raise ValidationError("案件编号应形如 宛检12309〔2026〕12号，见受理回执")


class StatusQueryForm(Schema):
    """Both fields are POSTed, never put in a URL: the code is a credential."""

    case_number = fields.String(required=True, validate=_a_case_number)
    query_code = fields.String(required=True, validate=validate.Length(min=1, max=20))

    @pre_load
    def _as_typed(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # An IME may type full-width digits (１２３０９), round brackets for 〔〕, or leave off the 号.
        out = dict(data)
        if isinstance(out.get("case_number"), str):
            out["case_number"] = numbering.normalise(out["case_number"])
        return out
