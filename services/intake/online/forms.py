"""The public online petition form: flat fields named as the API body's paths, read through its schema."""

from __future__ import annotations

from typing import Any

from marshmallow import pre_load

from services.intake.online.schemas import PublicPetitionCreate
from services.intake.petitions.forms import LABELS as CLERK_LABELS

_ENTERPRISE_FLAG = "is_enterprise"

# The clerk's labels, where the public form names a field otherwise.
LABELS = {**CLERK_LABELS, "line": "反映对象", "unit_code": "受理单位", "petitioner.name": "姓名",
          "petitioner.address": "通信地址", "enterprise": "企业信息"}


class PublicPetitionForm(PublicPetitionCreate):
    """`PublicPetitionCreate` fed from the form's flat fields (the enterprise block only when ticked)."""

    @pre_load
    def _nest(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"petitioner": {}}
        for key, value in data.items():
            head, dot, tail = key.partition(".")
            if dot and head in ("petitioner", "enterprise"):
                body.setdefault(head, {})[tail] = value
            elif key != _ENTERPRISE_FLAG:
                body[key] = value
        if data.get(_ENTERPRISE_FLAG) == "yes":
            body.setdefault("enterprise", {})
        else:
            body.pop("enterprise", None)
        return body
