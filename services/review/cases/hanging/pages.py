"""Pages of 涉企挂案 intake: the import (upload, the row-level error report, the templates), hand entry
and the case page (/hanging-cases/<id>) with the panels other domains register (panels.py).

The 挂案 queue (/hanging-cases) is clearance's.  Every form is read with the API's schema and every
rule is the service's: a refusal is shown beside the field it names (or, for an import, in the
table of rows and columns), nothing stored; after a step the page answers 303.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Response, abort, request

from services.review.cases.hanging import layout, panels, service, template
from services.review.cases.hanging.models import (
    HangingCaseImport,
    MEASURE_TEXT,
    OUTCOME_TEXT,
    PROPERTY_TEXT,
    STATUS_TEXT,
    SUSPECT_ROLE_TEXT,
)
from services.review.cases.hanging.rows import CaseIn
from services.review.cases.hanging.schemas import HangingCaseForm, MeasureChange, PropertyChange
from services.review.cases.hanging.views import XLSX_TYPE, _download
from shared.auth import require_principal, requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.routing import MAX_BODY_BYTES
from shared.web.pages import FormErrors, file_form, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("hanging_cases", __name__)
_REFUSED = (ErrorKind.INVALID, ErrorKind.CONFLICT)
FILE_FIELD = "import-file"
#: How many of each group the hand-entry form offers (more are added on the case page).
FORM_SUSPECTS, FORM_MEASURES, FORM_PROPERTY = 2, 3, 2


def _texts() -> dict[str, Any]:
    return {"status_text": STATUS_TEXT, "outcome_text": OUTCOME_TEXT, "measure_text": MEASURE_TEXT,
            "property_text": PROPERTY_TEXT, "role_text": SUSPECT_ROLE_TEXT}


def _check_id(value: str) -> None:
    if len(value) > 36:
        abort(404)


# --- the import ----------------------------------------------------------------------------------


def _import_page(*, status: int = 200, problems: list[dict[str, Any]] | None = None, file_name: str | None = None,
                 result: dict[str, Any] | None = None, error: str | None = None) -> Response:
    session = db_session()
    principal = require_principal()
    batches = service.imports(session, principal=principal, limit=20)
    return render_page("hanging_cases/import.html", status=status, batches=batches, problems=problems or [],
                       file_name=file_name, result=result, error=error,
                       may_import=principal.has_role(*service.ACT_ROLES), columns=layout.COLUMNS,
                       groups=layout.GROUPS, file_field=FILE_FIELD)


@blp.get("/hanging-cases/import")
@requires(*service.READ_ROLES)
def import_page() -> Response:
    """导入挂案: the upload form, the template links, the unit's last imports; after an import, its result."""
    batch_id = request.args.get("batch", "")
    result = None
    if batch_id and len(batch_id) <= 36:
        session = db_session()
        try:
            batch = service.get_import(session, batch_id, principal=require_principal())
        except service.HangingCaseNotFound:
            abort(404)
        result = {"batch": batch, "cases": service.cases_of_batch(session, batch.id),
                  "replayed": request.args.get("replayed") == "1"}
    return _import_page(result=result)


def _too_large() -> Response:
    return _import_page(status=413, error=f"文件超过 {MAX_BODY_BYTES // 1024 // 1024} MB，请分成几个文件导入")


@blp.post("/hanging-cases/import")
@requires(*service.ACT_ROLES)
@file_form(max_body_bytes=MAX_BODY_BYTES, too_large=_too_large)
def import_upload() -> Response:
    """Import the uploaded file: all its rows, or none and the table of every problem."""
    upload = request.files.get(FILE_FIELD)
    if upload is None or not upload.filename:
        return _import_page(status=422, error="请选择要导入的 CSV 或 XLSX 文件")
    data = upload.read()
    try:
        with transaction(db_session()) as session:
            result = service.import_file(session, data=data, file_name=upload.filename, actor=request_actor())
            batch_id, replayed = result.batch.id, result.replayed
    except service.ImportRejected as exc:
        return _import_page(status=422, problems=[p.as_dict() for p in exc.problems], file_name=upload.filename)
    return redirect_to("/hanging-cases/import", batch=batch_id, replayed="1" if replayed else None)


@blp.get("/hanging-cases/import-template.xlsx")
@requires(*service.READ_ROLES)
def template_xlsx() -> Response:
    """下载导入模板 (XLSX)."""
    return _download(template.xlsx(), XLSX_TYPE, "hanging-cases-template.xlsx")


@blp.get("/hanging-cases/import-template.csv")
@requires(*service.READ_ROLES)
def template_csv() -> Response:
    """下载导入模板 (CSV)."""
    return _download(template.csv_bytes(), "text/csv", "hanging-cases-template.csv")


# --- hand entry ---------------------------------------------------------------------------------


def _new_page(errors: FormErrors, *, status: int) -> Response:
    return render_page("hanging_cases/new.html", status=status, errors=errors, values=errors.values,
                       suspects=range(FORM_SUSPECTS), measures=range(FORM_MEASURES), items=range(FORM_PROPERTY),
                       role_options=list(SUSPECT_ROLE_TEXT.items()), measure_options=list(MEASURE_TEXT.items()),
                       property_options=list(PROPERTY_TEXT.items()))


@blp.get("/hanging-cases/new")
@requires(*service.ACT_ROLES)
def new() -> Response:
    """登记挂案: the hand-entry form."""
    return _new_page(FormErrors(), status=200)


def _problems_as_errors(errors: FormErrors, problems: list[dict[str, Any]]) -> FormErrors:
    for problem in problems:
        errors.add(problem["field"], problem["message"]["zh"])
    return errors


@blp.post("/hanging-cases/new")
@requires(*service.ACT_ROLES)
def create() -> Response:
    """Register the case; to its page."""
    given, errors = parse_form(HangingCaseForm(), request.form)
    if given is None:
        return _new_page(errors, status=422)
    try:
        with transaction(db_session()) as session:
            case_id = service.register(session, given=cast(CaseIn, given), actor=request_actor()).id
    except service.EntryInvalid as exc:
        return _new_page(_problems_as_errors(errors, exc.problems), status=422)
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        errors.add(exc.field or "_form", exc.message_zh)
        return _new_page(errors, status=409 if exc.kind is ErrorKind.CONFLICT else 422)
    return redirect_to(f"/hanging-cases/{case_id}", done="registered")


# --- the case page ---------------------------------------------------------------------------------

DONE_TEXT = {"registered": "挂案已登记。", "measure": "强制措施已更新。", "property": "涉案财物已更新。"}


def _case_page(case_id: str, *, errors: FormErrors | None = None, form: str | None = None, status: int = 200) -> Response:
    _check_id(case_id)
    session = db_session()
    principal = require_principal()
    case = service.get_or_raise(session, case_id, principal=principal)
    batch = session.get(HangingCaseImport, case.import_batch_id) if case.import_batch_id else None
    return render_page("hanging_cases/case.html", status=status, case=case, batch=batch, principal=principal,
                       may_act=service.may_act(principal, case), panels=panels.for_case(session, case, principal),
                       errors=errors or FormErrors(), form=form, done=DONE_TEXT.get(request.args.get("done", "")),
                       **_texts())


@blp.get("/hanging-cases/<string:case_id>")
@requires(*service.READ_ROLES)
def case_page(case_id: str) -> Response:
    """挂案: the case, its suspects (ID numbers masked), measures, seized property and the other domains' panels."""
    return _case_page(case_id)


def _edit(case_id: str, form: str, schema: Any, call: Any) -> Response:
    _check_id(case_id)
    data, errors = parse_form(schema, request.form)
    if data is None:
        return _case_page(case_id, errors=errors, form=form, status=422)
    try:
        with transaction(db_session()) as session:
            call(session, data)
    except service.EntryInvalid as exc:
        return _case_page(case_id, errors=_problems_as_errors(errors, exc.problems), form=form, status=422)
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        errors.add("_form", exc.message_zh)
        return _case_page(case_id, errors=errors, form=form, status=409 if exc.kind is ErrorKind.CONFLICT else 422)
    return redirect_to(f"/hanging-cases/{case_id}", done=form)


@blp.post("/hanging-cases/<string:case_id>/measures/<string:measure_id>")
@requires(*service.ACT_ROLES)
def change_measure(case_id: str, measure_id: str) -> Response:
    """解除 a measure (or correct its term end)."""
    _check_id(measure_id)
    return _edit(case_id, "measure", MeasureChange(), lambda session, data: service.change_measure(
        session, case_id, measure_id, changes=data, actor=request_actor()))


@blp.post("/hanging-cases/<string:case_id>/property/<string:item_id>")
@requires(*service.ACT_ROLES)
def change_property(case_id: str, item_id: str) -> Response:
    """返还 seized property (or correct its amount)."""
    _check_id(item_id)
    return _edit(case_id, "property", PropertyChange(), lambda session, data: service.change_property(
        session, case_id, item_id, changes=data, actor=request_actor()))
