"""Staff pages of the enterprise check: the checklist form, and the access code shown once.

The form posts what the API takes (`schemas.VerificationCreate`, from flat fields); the answer
shows the code in this response only (no-store), never behind a redirect, like a receipt's 查询码.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import pre_load

from services.intake.enterprises import service
from services.intake.enterprises.schemas import CHECKS, VerificationCreate
from services.intake.enterprises.views import answer
from services.intake.petitions.forms import readable
from shared.auth import requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import FormErrors, page_blueprint, parse_form, render_page

blp = page_blueprint("enterprises", __name__)
PATH = "/petitions/enterprises/verify"
LABELS = {
    "credit_code": "统一社会信用代码", "enterprise_name": "企业名称", "licence.number": "营业执照编号",
    "licence.issued_on": "发照日期", "representative.name": "法定代表人姓名",
    "representative.id_number": "法定代表人身份证号码", "checks": "核验事项", "reason": "事由",
}


class VerificationForm(VerificationCreate):
    """`VerificationCreate` fed from the form's flat fields (licence.number → licence: {number})."""

    @pre_load
    def _nest(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"licence": {}, "representative": {}, "checks": []}
        for key, value in data.items():
            head, dot, tail = key.partition(".")
            if dot and head in ("licence", "representative"):
                body[head][tail] = value
            else:
                body[key] = value
        return body


def _form(errors: FormErrors, *, status: int = 200) -> Response:
    values = dict(errors.values)
    values.pop("representative.id_number", None)  # a personal number is typed again, never echoed
    return render_page("enterprises/verify.html", status=status, errors=readable(errors, LABELS), values=values,
                       checks=CHECKS, checked=set(values.get("checks") or ()))


@blp.get(PATH)
@requires(*service.VERIFY_ROLES)
def verify_form() -> Response:
    """企业核验: the checklist of what to see in person before an access code is issued."""
    return _form(FormErrors())


@blp.post(PATH)
@requires(*service.VERIFY_ROLES)
def verify() -> Response:
    """Record the check and show the enterprise's access code, once."""
    data, errors = parse_form(VerificationForm(), request.form, lists=frozenset({"checks"}))
    if data is None:
        return _form(errors, status=422)
    with transaction(db_session()) as session:
        verified = service.verify(session, verification_in=data, actor=request_actor())
    return render_page("enterprises/verified.html", status=201, verified=answer(verified))
