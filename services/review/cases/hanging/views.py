"""HTTP API of 涉企挂案 intake: import (multipart), the template, hand entry, one case, edits of measures and property."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.cases.hanging import service, template
from services.review.cases.hanging.models import HangingCase
from services.review.cases.hanging.schemas import (
    HangingCaseCreate,
    HangingCaseRead,
    ImportFile,
    ImportRead,
    ImportResultRead,
    MeasureChange,
    MeasureSchema,
    PropertyChange,
    PropertySchema,
)
from shared.auth import require_principal, requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import error_body
from shared.routing import MAX_BODY_BYTES

blp = Blueprint("hanging_cases", __name__, url_prefix="/api/v1/hanging-cases",
                description="涉企挂案 Hanging enterprise-related criminal cases: intake")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATE_EXAMPLE = {
    "case_number": "宛公经立字〔2026〕15号", "investigating_organ": "南阳市公安局经济犯罪侦查支队",
    "case_title": "某某科技有限公司涉嫌合同诈骗案", "charge": "合同诈骗罪", "filed_on": "2026-03-15",
    "enterprise_name": "南阳某某科技有限公司",
    "suspects": [{"name": "张某", "role": "legal_representative"}],
    "measures": [{"kind": "bail", "started_on": "2026-03-20", "ends_on": "2027-03-19", "suspect_name": "张某"}],
    "property": [{"kind": "frozen", "description": "对公账户存款", "amount": "1200000.00"}],
}


@blp.errorhandler(service.ImportRejected)
def _rejected(exc: service.ImportRejected) -> tuple[Response, int]:
    body = error_body(422, exc.code, exc.message_en, exc.message_zh)
    body["problems"] = [p.as_dict() for p in exc.problems]
    return jsonify(body), 422


@blp.errorhandler(service.EntryInvalid)
def _invalid(exc: service.EntryInvalid) -> tuple[Response, int]:
    body = error_body(422, exc.code, exc.message_en, exc.message_zh)
    body["problems"] = exc.problems
    return jsonify(body), 422


def _upload_body(view: Callable[..., Any]) -> Callable[..., Any]:
    """The door's limit (2 MiB) for this upload too: a 10,000-row file of the template is about 1 MB."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = MAX_BODY_BYTES
        return view(*args, **kwargs)
    return wrapper


def _read(case_id: str) -> HangingCase:
    return service.get_or_raise(db_session(), case_id, principal=require_principal())


@blp.route("")
class HangingCases(MethodView):
    @requires(*service.ACT_ROLES)
    @blp.arguments(HangingCaseCreate, example=CREATE_EXAMPLE)
    @blp.response(201, HangingCaseRead)
    def post(self, given: Any) -> tuple[HangingCase, int, dict[str, str]]:
        """Register a case by hand for your unit (立案, organ, enterprise, suspects, measures, seized property)."""
        with transaction(db_session()) as session:
            case_id = service.register(session, given=given, actor=request_actor()).id
        return _read(case_id), 201, {"Location": f"/api/v1/hanging-cases/{case_id}"}


@blp.route("/imports")
class Imports(MethodView):
    @requires(*service.READ_ROLES)
    @blp.response(200, ImportRead(many=True))
    def get(self) -> list[Any]:
        """The import batches of the units you see, newest first."""
        return service.imports(db_session(), principal=require_principal())

    @requires(*service.ACT_ROLES)
    @_upload_body
    @blp.arguments(ImportFile, location="files")
    @blp.response(201, ImportResultRead)
    @blp.alt_response(200, schema=ImportResultRead, description="This file was imported before: its batch, nothing changed")
    @blp.alt_response(422, description="Nothing imported: `problems: [{row, column, column_letter, code, message}]`")
    def post(self, files: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Import a CSV or XLSX (multipart field `file`) for your unit: every row valid, or nothing imported."""
        upload = files["file"]
        data = upload.read()
        with transaction(db_session()) as session:
            result = service.import_file(session, data=data, file_name=upload.filename or "import", actor=request_actor())
            batch = result.batch
            body = {name: getattr(batch, name) for name in ImportRead().fields}
            body.update(replayed=result.replayed, case_ids=result.created + result.updated)
        return body, 200 if result.replayed else 201


@blp.route("/imports/<string:batch_id>")
class ImportById(MethodView):
    @requires(*service.READ_ROLES)
    @blp.response(200, ImportRead)
    def get(self, batch_id: str) -> Any:
        """One import batch."""
        return service.get_import(db_session(), batch_id, principal=require_principal())


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@blp.route("/import-template.xlsx")
class TemplateXlsx(MethodView):
    @requires(*service.READ_ROLES)
    @blp.doc(responses={"200": {"description": "The XLSX template (header row, 说明 sheet, drop-down lists)",
                                "content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}}})
    def get(self) -> Response:
        """The import template as XLSX."""
        return _download(template.xlsx(), XLSX_TYPE, "hanging-cases-template.xlsx")


@blp.route("/import-template.csv")
class TemplateCsv(MethodView):
    @requires(*service.READ_ROLES)
    @blp.doc(responses={"200": {"description": "The CSV template (UTF-8 with BOM, header row)",
                                "content": {"text/csv": {"schema": {"type": "string"}}}}})
    def get(self) -> Response:
        """The import template as CSV."""
        return _download(template.csv_bytes(), "text/csv", "hanging-cases-template.csv")


@blp.route("/<string:case_id>")
class HangingCaseById(MethodView):
    @requires(*service.READ_ROLES)
    @blp.response(200, HangingCaseRead)
    def get(self, case_id: str) -> HangingCase:
        """One case with its suspects (ID numbers masked), measures and seized property."""
        return _read(case_id)


@blp.route("/<string:case_id>/measures")
class Measures(MethodView):
    @requires(*service.ACT_ROLES)
    @blp.arguments(MeasureSchema, example={"kind": "detention", "started_on": "2026-03-16", "ends_on": "2026-03-23"})
    @blp.response(201, HangingCaseRead)
    def post(self, measure: Any, case_id: str) -> tuple[HangingCase, int]:
        """Add a coercive measure (audited; `hanging_case.updated`)."""
        with transaction(db_session()) as session:
            service.add_measure(session, case_id, measure=measure, actor=request_actor())
        return _read(case_id), 201


@blp.route("/<string:case_id>/measures/<string:measure_id>")
class MeasureById(MethodView):
    @requires(*service.ACT_ROLES)
    @blp.arguments(MeasureChange, example={"lifted_on": "2026-06-01"})
    @blp.response(200, HangingCaseRead)
    def patch(self, changes: dict[str, Any], case_id: str, measure_id: str) -> HangingCase:
        """Change a measure's term end or record its lifting (解除); audited."""
        with transaction(db_session()) as session:
            service.change_measure(session, case_id, measure_id, changes=changes, actor=request_actor())
        return _read(case_id)


@blp.route("/<string:case_id>/property")
class PropertyItems(MethodView):
    @requires(*service.ACT_ROLES)
    @blp.arguments(PropertySchema, example={"kind": "seized", "description": "车辆一辆", "seized_on": "2026-03-20"})
    @blp.response(201, HangingCaseRead)
    def post(self, item: Any, case_id: str) -> tuple[HangingCase, int]:
        """Add seized (查扣冻) property; audited."""
        with transaction(db_session()) as session:
            service.add_property(session, case_id, item=item, actor=request_actor())
        return _read(case_id), 201


@blp.route("/<string:case_id>/property/<string:item_id>")
class PropertyById(MethodView):
    @requires(*service.ACT_ROLES)
    @blp.arguments(PropertyChange, example={"returned_on": "2026-09-01"})
    @blp.response(200, HangingCaseRead)
    def patch(self, changes: dict[str, Any], case_id: str, item_id: str) -> HangingCase:
        """Record the return (返还) of property, or correct its amount; audited."""
        with transaction(db_session()) as session:
            service.change_property(session, case_id, item_id, changes=changes, actor=request_actor())
        return _read(case_id)
