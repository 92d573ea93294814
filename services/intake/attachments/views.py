"""HTTP API of 信访材料: upload (multipart), the list of a petition's files, the checked download.

The upload lives under `/api/v1/attachments`, not under the petition's path, because the front
door's body limits go by path prefix (shared/routing.py, the Ingress's per-Ingress
`proxy-body-size`): one prefix gets the upload limit and every other endpoint keeps 2 MiB.  The
app's own MAX_CONTENT_LENGTH stays 2 MiB as well; only the upload view raises it, for its request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.wsgi import wrap_file

from services.intake import config
from services.intake.attachments import names, service
from services.intake.attachments.models import Attachment
from services.intake.attachments.schemas import AttachmentRead, AttachmentUploadFile, AttachmentUploadArgs
from shared.auth import require_principal, requires
from shared.auth.principal import CASE_ROLES
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.storage import staged

blp = Blueprint("attachments", __name__, url_prefix="/api/v1", description="信访材料 Attachments")


def _upload_body(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let this request's body be as large as one file at the limit (others keep MAX_CONTENT_LENGTH)."""
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = config.current().upload_body_bytes
        return view(*args, **kwargs)
    return wrapper


@blp.route("/attachments")
class Attachments(MethodView):
    @requires(*service.UPLOAD_ROLES)
    @_upload_body
    @blp.arguments(AttachmentUploadArgs, location="query")
    @blp.arguments(AttachmentUploadFile, location="files")
    @blp.response(201, AttachmentRead)
    @blp.alt_response(200, schema=AttachmentRead, description="These bytes were attached to the petition already")
    def post(self, args: dict[str, Any], files: dict[str, Any]) -> tuple[Attachment, int]:
        """Attach a file to a petition (`?petition_id=`, multipart/form-data field `file`); audited."""
        upload = files["file"]
        with staged(config.blob_store()) as blobs, transaction(db_session()) as session:
            result = service.upload(
                session, blobs=blobs, petition_id=args["petition_id"], stream=upload.stream,
                filename=upload.filename, actor=request_actor(), limits=config.current(),
            )
        return result.attachment, 201 if result.created else 200


@blp.route("/petitions/<string:petition_id>/attachments")
class PetitionAttachments(MethodView):
    @requires(*CASE_ROLES)
    @blp.response(200, AttachmentRead(many=True))
    def get(self, petition_id: str) -> list[Attachment]:
        """The files of one petition, oldest first."""
        return service.list_for_petition(db_session(), petition_id=petition_id, principal=require_principal())


@blp.route("/attachments/<string:attachment_id>/content")
class AttachmentContent(MethodView):
    @requires(*CASE_ROLES)
    @blp.doc(responses={"200": {
        "description": "The file, after its SHA-256 matched the recorded one; audited as `attachment.download`",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }})
    def get(self, attachment_id: str) -> Response:
        """Download one file of a petition your unit may see."""
        with transaction(db_session()) as session:  # the attachment.download audit row, refusals included
            download = service.open_for_download(
                session, store=config.blob_store(), attachment_id=attachment_id, actor=request_actor(),
            )
        attachment = download.attachment
        response = Response(wrap_file(request.environ, download.stream), mimetype=attachment.content_type,
                            direct_passthrough=True)
        response.content_length = attachment.size
        response.headers["Content-Disposition"] = names.content_disposition(download.download_name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Should a browser render it anyway, it runs nothing and loads nothing.
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["Digest"] = f"sha-256={_b64(attachment.sha256)}"
        return response


def _b64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
