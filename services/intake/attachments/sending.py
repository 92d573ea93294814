"""The answer that sends one checked file: the API download and the page download send the same."""

from __future__ import annotations

import base64

from flask import Response, request
from werkzeug.wsgi import wrap_file

from services.intake.attachments import names
from services.intake.attachments.service import Download


def file_response(download: Download) -> Response:
    """The file as an attachment (never shown inline), typed by its detected type, with its digest."""
    attachment = download.attachment
    response = Response(wrap_file(request.environ, download.stream), mimetype=attachment.content_type,
                        direct_passthrough=True)
    response.content_length = attachment.size
    response.headers["Content-Disposition"] = names.content_disposition(download.download_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it anyway, it runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Digest"] = f"sha-256={base64.b64encode(bytes.fromhex(attachment.sha256)).decode('ascii')}"
    return response
