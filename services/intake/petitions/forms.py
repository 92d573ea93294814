"""The registration and reveal forms of the staff pages, read through the API's own schemas.

An HTML form is flat, the API's body is nested: the form's fields are named as the body's paths
(``petitioner.name``, ``enterprise.credit_code``), so the errors the API's schema reports land
beside the field that caused them.  Everything the API validates, the form validates, because
it is the same schema.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from marshmallow import fields, pre_load, validate

from services.intake.petitions.schemas import PetitionCreate, PetitionRevealIn, QueryCodeReissueIn
from shared.web.pages import FormErrors

IDEMPOTENCY_FIELD = "idempotency_key"
# A key this page made (new_form_key): anything else in the field is ignored, not trusted.
_FORM_KEY = re.compile(r"^form-[A-Za-z0-9_-]{20,64}$")
_ENTERPRISE_FLAG = "is_enterprise"
# <input type="datetime-local"> sends 2026-12-03T09:30 with no zone: the clerk means Beijing time.
_LOCAL_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


# The registration form's labels, so an error names its field in the summary at the top too.
LABELS = {
    "line": "服务线路", "channel": "反映方式", "petition_type": "事项类别", "received_at": "收到时间",
    "letter.postmarked_on": "邮戳日期", "letter": "来信信息", "visit": "来访信息", "visit.visitor_count": "来访人数",
    "visit.representatives": "来访代表",
    "petitioner.kind": "反映人身份", "petitioner.name": "姓名或名称", "petitioner.id_number": "身份证号码",
    "petitioner.phone": "联系电话", "petitioner.address": "住址", "petitioner.relation": "与企业的关系",
    "enterprise": "涉企信息", "enterprise.name": "企业名称", "enterprise.credit_code": "统一社会信用代码",
    "enterprise.size": "企业规模", "enterprise.industry": "所属行业", "enterprise.ownership": "企业性质",
    "subject": "事由", "related_case_number": "关联案号", "claim": "诉求", "facts": "事实", "reasons": "理由",
    "fields": "要查看的信息", "reason": "查看原因",
    **{f"visit.representatives.{i}.{part}": f"代表{i + 1}{label}" for i in range(5)
       for part, label in (("name", "姓名"), ("id_number", "身份证号码"), ("phone", "电话"))},
}


def readable(errors: FormErrors, labels: dict[str, str] = LABELS) -> FormErrors:
    """Errors as a Chinese page shows them: the Chinese half of the API's "中文 / English", led by the field's label."""
    out: dict[str, list[str]] = {}
    for name, texts in errors.fields.items():
        label = labels.get(name)
        chinese = [text.split(" / ", 1)[0] for text in texts]
        out[name] = [text if not label or label in text else f"{label}：{text}" for text in chinese]
    errors.fields = out
    return errors


def new_form_key() -> str:
    """The idempotency key a freshly rendered form carries: a double click or a resent form registers once."""
    return "form-" + secrets.token_urlsafe(18)


def form_key(value: str | None) -> str | None:
    """The form's key if it is one this page made, else None (the registration then has no key)."""
    return value if value and _FORM_KEY.match(value) else None


_REPRESENTATIVE = re.compile(r"^visit\.representatives\.(\d)\.(name|id_number|phone)$")


class PetitionForm(PetitionCreate):
    """`PetitionCreate` fed from the registration form's flat fields.

    ``petitioner.name`` goes to ``{"petitioner": {"name": …}}``; the representatives' rows
    (``visit.representatives.<i>.name``) to a list, empty rows left out; the letter and visit
    blocks exist only when one of their fields was filled in (so a visit's empty postmark field
    is no letter block, but a postmark typed on a visit is refused, not dropped).
    """

    @pre_load
    def _nest(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"petitioner": {}}
        rows: dict[int, dict[str, str]] = {}
        for key, value in data.items():
            row = _REPRESENTATIVE.match(key)
            head, dot, tail = key.partition(".")
            if row:
                rows.setdefault(int(row.group(1)), {})[row.group(2)] = value
            elif dot and head in ("petitioner", "enterprise", "letter", "visit"):
                body.setdefault(head, {})[tail] = value
            elif key not in (IDEMPOTENCY_FIELD, _ENTERPRISE_FLAG):
                body[key] = value
        if rows:
            body.setdefault("visit", {})["representatives"] = [rows[i] for i in sorted(rows)]
        # The enterprise block counts only when the box is ticked; ticked and empty, its fields are missing.
        if data.get(_ENTERPRISE_FLAG) == "yes":
            body.setdefault("enterprise", {})
        else:
            body.pop("enterprise", None)
        received = body.get("received_at")
        if isinstance(received, str) and _LOCAL_MINUTE.match(received):
            body["received_at"] = received + ("" if received.count(":") == 2 else ":00") + "+08:00"
        return body


class RevealForm(PetitionRevealIn):
    """The reveal form: as the API, except that no box ticked is an error, not "both"."""

    fields_ = fields.List(
        fields.String(validate=validate.OneOf(("id_number", "phone"))), data_key="fields", required=True,
        validate=validate.Length(min=1, error="请至少选择一项"),
        error_messages={"required": "请至少选择一项要查看的信息"},
    )


class QueryCodeReissueForm(QueryCodeReissueIn):
    """The re-issue form: as the API (the CSRF field is taken off by parse_form)."""
