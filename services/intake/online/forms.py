"""The public online petition form: flat fields named as the API body's paths, read through its schema."""

from __future__ import annotations

from typing import Any

from marshmallow import pre_load

from services.intake.online.schemas import PublicPetitionCreate

_ENTERPRISE_FLAG = "is_enterprise"

LABELS = {
    "line": "反映对象", "unit_code": "受理单位", "petition_type": "事项类别",
    "petitioner.kind": "反映人身份", "petitioner.name": "姓名", "petitioner.id_number": "身份证号码",
    "petitioner.phone": "联系电话", "petitioner.address": "通信地址", "petitioner.relation": "与企业的关系",
    "enterprise": "企业信息", "enterprise.name": "企业名称", "enterprise.credit_code": "统一社会信用代码",
    "enterprise.size": "企业规模", "enterprise.industry": "所属行业", "enterprise.ownership": "企业性质",
    "subject": "事由", "related_case_number": "关联案号", "claim": "诉求", "facts": "事实", "reasons": "理由",
}


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
