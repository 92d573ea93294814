"""The status query form: case number and query code, as a person types them from the receipt."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from marshmallow import Schema, fields, pre_load, validate

CASE_NUMBER = re.compile(r"^(12309|12368)-\d{4}-\d{6}$")


class StatusQueryForm(Schema):
    """Both fields are POSTed, never put in a URL: the code is a credential."""

    case_number = fields.String(
        required=True, validate=validate.Regexp(CASE_NUMBER, error="案件编号应形如 12309-2026-000123，见受理回执"))
    query_code = fields.String(required=True, validate=validate.Length(min=1, max=20))

    @pre_load
    def _as_typed(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # An IME may type full-width digits and hyphens (１２３０９－); a long dash is a hyphen too.
        out = dict(data)
        if isinstance(out.get("case_number"), str):
            number = unicodedata.normalize("NFKC", out["case_number"])
            out["case_number"] = re.sub(r"[\s]", "", re.sub(r"[‐‑‒–—―−]", "-", number))
        return out
