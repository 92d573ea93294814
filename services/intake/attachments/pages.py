"""Staff pages of 信访材料: the upload form's POST and the download from a page.

Both live under `/attachments/`, not under `/petitions/`, for the same reason as the API's upload:
the front door's body limits go by path prefix (shared/routing.py `BODY_LIMITS`), and this prefix
gets the upload limit while the petition pages keep 2 MiB.

The form sends one or more files (`<input type="file" multiple>`); each is stored on its own,
all or nothing (its blob and row in one staged transaction, as the API's upload), so one refused
file leaves the others stored.  All stored: a 303 back to the petition page, which confirms
them.  Any refused: the petition page with each file's result and the refusals beside the file
field (413 when every refusal is a size, else 422).

Its CSRF token is checked after the access check (`file_form`): a body of up to 21 MiB is read
only for a registering role.  A body over that is not read at all and answers the page with the
size refusal.  The download is the API's (`service.open_for_download`, audited the same way); it
is here as a page so that an expired access cookie is renewed by a redirect and a refusal is a
page, where the API would answer JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, request
from werkzeug.datastructures import FileStorage

from services.intake import config
from services.intake.attachments import names, service
from services.intake.attachments.listing import limit_text
from services.intake.attachments.sending import file_response
from services.intake.petitions import pages as petition_pages
from shared.auth import requires
from shared.auth.principal import CASE_ROLES
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.routing import UPLOAD_BODY_BYTES
from shared.storage import staged
from shared.web.pages import FormErrors, file_form, page_blueprint, redirect_to

blp = page_blueprint("attachments", __name__)
FIELD = "attachment-files"  # the file input's id: the errors name it
MAX_FILES = 10  # one form; the petition's own count limit (HUHANG_ATTACHMENT_MAX_COUNT) still applies
REFUSED = (service.TypeNotAllowed, service.TooLarge, service.TooMany, service.EmptyFile)


@dataclass(frozen=True)
class FileResult:
    """One file of a submission: stored (new or already there) or refused, with the reason."""

    name: str
    stored: bool
    replayed: bool = False
    attachment_id: str | None = None
    message: str | None = None
    too_large: bool = False


def _petition_id() -> str:
    petition_id = request.args.get("petition_id", "")
    if not petition_id or len(petition_id) > 36:
        abort(404)
    return petition_id


def _refusal(message: str, *, status: int, results: list[FileResult] | None = None) -> Response:
    errors = FormErrors(fields={FIELD: [message]})
    return petition_pages.page(_petition_id(), status=status, upload_errors=errors, upload_results=results or [])


def _too_large() -> Response:
    # Nothing of the body was read (not even the CSRF token): this answer stores nothing.
    return _refusal(f"提交的文件合计超过 {limit_text(UPLOAD_BODY_BYTES)}，未保存任何文件。"
                    "请分几次上传，每个文件不超过上限。", status=413)


def _store(petition_id: str, upload: FileStorage) -> FileResult:
    name = names.clean(upload.filename)
    try:
        with staged(config.blob_store()) as blobs, transaction(db_session()) as session:
            result = service.upload(session, blobs=blobs, petition_id=petition_id, stream=upload.stream,
                                    filename=upload.filename, actor=request_actor(), limits=config.current())
    except REFUSED as exc:
        return FileResult(name, stored=False, message=_message(exc), too_large=exc.kind is ErrorKind.TOO_LARGE)
    return FileResult(name, stored=True, replayed=not result.created, attachment_id=result.attachment.id)


def _message(exc: DomainError) -> str:
    if isinstance(exc, service.TooLarge) and "limit_bytes" in exc.details and "stored_bytes" not in exc.details:
        return f"{exc.message_zh}（每个文件不超过 {limit_text(exc.details['limit_bytes'])}）"
    return exc.message_zh


@blp.post("/attachments/upload")
@requires(*service.UPLOAD_ROLES)
@file_form(max_body_bytes=UPLOAD_BODY_BYTES, too_large=_too_large)
def upload() -> Response:
    """上传信访材料 (`?petition_id=`, multipart field `file`, one or more): each file audited as the API's upload."""
    petition_id = _petition_id()
    files = [f for f in request.files.getlist("file") if f.filename]
    if not files:
        return _refusal("请选择要上传的文件", status=422)
    if len(files) > MAX_FILES:
        return _refusal(f"一次最多上传 {MAX_FILES} 个文件，请分几次上传", status=422)
    results = [_store(petition_id, f) for f in files]
    refused = [r for r in results if not r.stored]
    if refused:
        status = 413 if all(r.too_large for r in refused) else 422
        messages = [f"{r.name}：{r.message}" for r in refused]
        errors = FormErrors(fields={FIELD: messages})
        return petition_pages.page(petition_id, status=status, upload_errors=errors, upload_results=results)
    return redirect_to(
        f"/petitions/{petition_id}",
        uploaded=",".join(r.attachment_id for r in results if r.attachment_id and not r.replayed),
        existing=",".join(r.attachment_id for r in results if r.attachment_id and r.replayed),
    )


@blp.get("/attachments/<string:attachment_id>")
@requires(*CASE_ROLES)
def download(attachment_id: str) -> Response:
    """下载信访材料: the checked file (as GET /api/v1/attachments/<id>/content), audited as `attachment.download`."""
    if len(attachment_id) > 36:
        abort(404)
    with transaction(db_session()) as session:  # the attachment.download row, refusals included
        found = service.open_for_download(session, store=config.blob_store(), attachment_id=attachment_id,
                                          actor=request_actor())
    return file_response(found)
