"""Schemas of the 挂案 API (and of the hand-entry page's form, read through the same schemas)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from services.review.cases.hanging.models import MEASURE_KINDS, PROPERTY_KINDS, SUSPECT_ROLES
from services.review.cases.hanging.rows import CaseIn, CellError, MeasureIn, PropertyIn, SuspectIn, normalise_case_number
from shared.validation import invalid

_NAME = validate.Length(min=1, max=100)
_TEXT = validate.Length(min=1, max=200)


class PoliceCaseNumber(fields.String):
    """A police 案号, loaded to its stored form (宛公经立字〔2026〕15号, or A + 22 digits)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_case_number(text)
        except CellError as exc:
            raise invalid(exc.code, exc.message_zh, exc.message_en) from None


class SuspectSchema(Schema):
    name = fields.String(required=True, validate=_NAME)
    role = fields.String(required=True, validate=validate.OneOf(SUSPECT_ROLES),
                         metadata={"description": "法定代表人 legal_representative, 实际控制人 actual_controller, ..."})
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=18),
                              metadata={"description": "公民身份号码 (GB 11643); stored encrypted, shown masked"})

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> SuspectIn:
        return SuspectIn(data["name"], data["role"], data.get("id_number") or None)


class MeasureSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(MEASURE_KINDS))
    started_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "the term's end"})
    lifted_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "解除"})
    suspect_name = fields.String(load_default=None, allow_none=True, validate=_NAME)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> MeasureIn:
        return MeasureIn(data["kind"], data["started_on"], data.get("ends_on"), data.get("lifted_on"),
                         data.get("suspect_name") or None)


def _amount_in_range(value: Decimal) -> None:
    if not 0 <= value <= 10**16 - 1:
        raise ValidationError("Must be greater than or equal to 0 and less than or equal to 9999999999999999.")


class PropertySchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(PROPERTY_KINDS))
    description = fields.String(required=True, validate=validate.Length(min=1, max=500))
    # The bounds are checked by a plain function: a Range over a Decimal reaches the OpenAPI document as
    # strings ("minimum": "0.00"), which is not JSON Schema and which the API fuzz test cannot read.
    amount = fields.Decimal(load_default=None, allow_none=True, places=2, as_string=True, validate=_amount_in_range,
                            metadata={"description": "金额（元），0 至 9999999999999999"})
    seized_on = fields.Date(load_default=None, allow_none=True)
    returned_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "返还"})

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> PropertyIn:
        return PropertyIn(data["kind"], data["description"], data.get("amount"), data.get("seized_on"),
                          data.get("returned_on"))


class HangingCaseCreate(Schema):
    """A case by hand: 立案, the investigating organ, the enterprise, suspects, measures, seized property."""

    case_number = PoliceCaseNumber(required=True, metadata={"description": "the police 案号 / 立案 number"})
    investigating_organ = fields.String(required=True, validate=_NAME)
    investigating_organ_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    case_title = fields.String(required=True, validate=_TEXT)
    charge = fields.String(required=True, validate=_NAME, metadata={"description": "罪名"})
    filed_on = fields.Date(required=True, metadata={"description": "立案 date"})
    enterprise_name = fields.String(required=True, validate=_TEXT)
    enterprise_credit_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=18))
    investigation_concluded_on = fields.Date(load_default=None, allow_none=True)
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    suspects = fields.List(fields.Nested(SuspectSchema), load_default=list, validate=validate.Length(max=50))
    measures = fields.List(fields.Nested(MeasureSchema), load_default=list, validate=validate.Length(max=50))
    property = fields.List(fields.Nested(PropertySchema), load_default=list, validate=validate.Length(max=100))

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> CaseIn:
        # An optional text left blank in the form is absent, not "".
        cleaned: dict[str, Any] = {k: (v or None) if isinstance(v, str) else v for k, v in data.items()}
        return CaseIn(**cleaned)


class HangingCaseForm(HangingCaseCreate):
    """The hand-entry page's form: ``measures.1.kind`` fields nested into the API's lists (blank entries left out)."""

    @pre_load
    def _nest(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        body: dict[str, Any] = {}
        groups: dict[str, dict[int, dict[str, Any]]] = {}
        for key, value in data.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] in ("suspects", "measures", "property") and parts[1].isdigit():
                groups.setdefault(parts[0], {}).setdefault(int(parts[1]), {})[parts[2]] = value
            else:
                body[key] = value
        for name, entries in groups.items():
            body[name] = [entries[i] for i in sorted(entries)]
        return body


class MeasureChange(Schema):
    """A measure's term end and/or the date it was lifted (null clears a date)."""

    ends_on = fields.Date(allow_none=True)
    lifted_on = fields.Date(allow_none=True)

    @post_load
    def _not_empty(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if not data:
            raise invalid("hanging.nothing_to_change", "请填写要修改的日期", "Give ends_on or lifted_on")
        return data


class PropertyChange(Schema):
    returned_on = fields.Date(allow_none=True)
    amount = fields.Decimal(allow_none=True, places=2, as_string=True, validate=_amount_in_range)

    @post_load
    def _not_empty(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if not data:
            raise invalid("hanging.nothing_to_change", "请填写要修改的内容", "Give returned_on or amount")
        return data


class ImportFile(Schema):
    file = Upload(required=True, metadata={"description": "CSV (UTF-8 / GB18030) or XLSX in the template's layout"})


class SuspectRead(Schema):
    id = fields.String()
    name = fields.String()
    role = fields.String()
    id_number_masked = fields.String(allow_none=True)


class MeasureRead(Schema):
    id = fields.String()
    kind = fields.String()
    suspect_name = fields.String(allow_none=True)
    started_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    lifted_on = fields.Date(allow_none=True)


class PropertyRead(Schema):
    id = fields.String()
    kind = fields.String()
    description = fields.String()
    amount = fields.Decimal(as_string=True, allow_none=True)
    seized_on = fields.Date(allow_none=True)
    returned_on = fields.Date(allow_none=True)


class HangingCaseRead(Schema):
    id = fields.String()
    unit_code = fields.String()
    case_number = fields.String()
    investigating_organ = fields.String()
    investigating_organ_code = fields.String(allow_none=True)
    case_title = fields.String()
    charge = fields.String()
    filed_on = fields.Date()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    outcome_on = fields.Date(allow_none=True)
    investigation_concluded_on = fields.Date(allow_none=True)
    continued_until = fields.Date(allow_none=True)
    enterprise_name = fields.String()
    enterprise_credit_code = fields.String(allow_none=True)
    source = fields.String()
    import_batch_id = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    row_version = fields.Integer()
    suspects = fields.List(fields.Nested(SuspectRead))
    measures = fields.List(fields.Nested(MeasureRead))
    property = fields.List(fields.Nested(PropertyRead), attribute="property_items")


class ImportRead(Schema):
    id = fields.String()
    unit_code = fields.String()
    file_name = fields.String()
    file_format = fields.String()
    file_sha256 = fields.String()
    row_count = fields.Integer()
    created_count = fields.Integer()
    updated_count = fields.Integer()
    unchanged_count = fields.Integer()
    imported_by = fields.String()
    imported_at = fields.DateTime()


class ImportResultRead(ImportRead):
    replayed = fields.Boolean(metadata={"description": "the same file was imported before: that batch, nothing changed"})
    case_ids = fields.List(fields.String(), metadata={"description": "the cases created or updated"})
