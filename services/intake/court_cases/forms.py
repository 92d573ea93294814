"""The court-case pages' forms, read through the API's own schemas (schemas.py).

An HTML form is flat: the flag form's party rows are named ``parties.<row>.<field>`` and nested
into the API's ``parties`` list, empty rows left out (`CourtCaseForm`).  The case page holds many
forms at once (the green channel, 立案, a fee-relief application, one decision per pending
application, one re-issue per enterprise party), so each form's fields carry a prefix
(``green-reasons``, ``d-<application id>-granted_percent``) that `parse_prefixed` takes off before
the schema reads them and puts back on the errors, so every error lands beside its own field.
"""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, pre_load
from werkzeug.datastructures import MultiDict

from services.intake.court_cases.schemas import (
    CourtCaseCreate,
    FeeReliefApplicationIn,
    FilingIn,
    GreenChannelIn,
)
from services.intake.petitions.forms import readable
from shared.errors import DomainError
from shared.web.pages import FormErrors, parse_form

#: The flag form's party rows: enough for the usual 原告/被告/第三人, more go through the API (up to 50).
PARTY_ROWS = 6
PARTY_FIELDS = ("role", "kind", "name", "credit_code", "id_number", "enterprise_size", "ownership")
# A row counts when something identifying was typed; the role and kind selects alone are no party.
_IDENTIFYING = ("name", "credit_code", "id_number")
_PARTY = re.compile(r"^parties\.(\d+)\.([a-z_]+)$")
# The schema reports an identifier's problem as "credit_code.checksum: 中文 / English": a page shows the Chinese.
_PROBLEM_CODE = re.compile(r"^[a-z_]+(?:\.[a-z_]+)+: ")

LABELS: dict[str, str] = {
    "case_number": "案号", "case_type": "案件类型", "parties": "当事人",
    **{f"parties.{i}.{name}": f"当事人{i + 1}{label}" for i in range(PARTY_ROWS) for name, label in (
        ("role", "诉讼地位"), ("kind", "类别"), ("name", "姓名或名称"), ("credit_code", "统一社会信用代码"),
        ("id_number", "身份证号码"), ("enterprise_size", "企业规模"), ("ownership", "企业性质"))},
    "granted": "决定", "reasons": "理由", "filed_on": "立案日期", "party_id": "申请人", "kind": "申请事项",
    "situation_code": "适用情形", "proof": "证明材料", "stage": "申请阶段", "applied_on": "申请日期",
    "requested_percent": "申请减交比例", "granted_percent": "准予减交比例", "decided_on": "决定日期",
}
# "reason" is 标记理由 on the flag form and 签发原因 on a re-issue.
FLAG_LABELS = {**LABELS, "reason": "标记理由"}
REISSUE_LABELS = {**LABELS, "reason": "签发原因"}


def chinese(errors: FormErrors, labels: dict[str, str]) -> FormErrors:
    """The errors as the page shows them: Chinese only, without the identifier's problem code, led by the label."""
    errors.fields = {name: [_PROBLEM_CODE.sub("", text) for text in texts] for name, texts in errors.fields.items()}
    return readable(errors, labels)


class CourtCaseForm(CourtCaseCreate):
    """`CourtCaseCreate` fed from the flag form: ``parties.<row>.<field>`` rows nested, empty rows left out.

    `rows` keeps which form row each party of the body came from, so an error the schema reports
    for ``parties.1.credit_code`` can be put beside the row the clerk typed it in (`form_errors`).
    """

    rows: list[int]

    @pre_load
    def _nest(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        body: dict[str, Any] = {}
        typed: dict[int, dict[str, str]] = {}
        for key, value in data.items():
            row = _PARTY.match(key)
            if row:
                typed.setdefault(int(row.group(1)), {})[row.group(2)] = value
            else:
                body[key] = value
        self.rows = [i for i in sorted(typed) if any(typed[i].get(name) for name in _IDENTIFYING)]
        body["parties"] = [typed[i] for i in self.rows]
        return body

    def form_errors(self, errors: FormErrors) -> FormErrors:
        """Errors named by body position (``parties.0.name``) renamed to the form row they came from."""
        renamed: dict[str, list[str]] = {}
        for name, texts in errors.fields.items():
            row = _PARTY.match(name)
            if row and int(row.group(1)) < len(getattr(self, "rows", [])):
                name = f"parties.{self.rows[int(row.group(1))]}.{row.group(2)}"
            elif name == "parties" and not getattr(self, "rows", None):
                texts = ["请至少填写一方当事人"]
            renamed.setdefault(name, []).extend(texts)
        errors.fields = renamed
        return chinese(errors, FLAG_LABELS)


def parse_prefixed(schema: Schema, form: MultiDict[str, str], prefix: str,
                   labels: dict[str, str] = LABELS) -> tuple[dict[str, Any] | None, FormErrors]:
    """One form of the case page: its fields (named ``<prefix><field>``) read by `schema`; errors and values prefixed back."""
    own: MultiDict[str, str] = MultiDict(
        [(key[len(prefix):], value) for key, value in form.items(multi=True) if key.startswith(prefix)])
    data, errors = parse_form(schema, own)
    errors = chinese(errors, labels)
    return data, FormErrors(fields={prefix + k: v for k, v in errors.fields.items()},
                            values={prefix + k: v for k, v in errors.values.items()})


def refusal(errors: FormErrors, exc: DomainError, *, prefix: str, fields: tuple[str, ...],
            fallback: str | None = None) -> FormErrors:
    """A service's refusal, in Chinese, beside the field it names (the first of its details that is a field of this
    form), else at the top of the form (`fallback`, default ``<prefix>form``)."""
    named = next((prefix + name for name in exc.details if name in fields), None)
    errors.add(named or fallback or prefix + "form", exc.message_zh)
    return errors


# The forms of the case page, each the API's schema (the CSRF field is taken off by parse_form).
GREEN_CHANNEL = ("green-", GreenChannelIn, ("granted", "reasons"))
FILING = ("filing-", FilingIn, ("filed_on",))
APPLICATION = ("fr-", FeeReliefApplicationIn,
               ("party_id", "kind", "situation_code", "proof", "stage", "applied_on", "requested_percent"))
DECISION_FIELDS = ("granted", "granted_percent", "reasons", "decided_on")
REISSUE_FIELDS = ("reason",)


def decision_prefix(application_id: str) -> str:
    return f"d-{application_id}-"


def reissue_prefix(party_id: str) -> str:
    return f"q-{party_id}-"

