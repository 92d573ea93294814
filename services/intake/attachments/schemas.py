"""What the attachments API takes (the petition in the query, the file as multipart) and answers
(the row, never the storage key)."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate


class AttachmentUploadArgs(Schema):
    petition_id = fields.String(required=True, validate=validate.Length(min=1, max=36),
                                metadata={"description": "The petition the file belongs to"})


class AttachmentUploadFile(Schema):
    file = Upload(required=True, metadata={
        "description": "PDF, OFD, JPEG, PNG or DOCX; the type is read from the content, not the name or Content-Type"})


class AttachmentRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    name = fields.String(attribute="original_name", metadata={"description": "The file name as sent, cleaned; display only"})
    kind = fields.String(metadata={"description": "pdf, ofd, jpeg, png or docx: detected from the bytes"})
    content_type = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    sha256 = fields.String()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()
    content_url = fields.Method("_content_url")

    def _content_url(self, attachment: Any) -> str:
        return f"/api/v1/attachments/{attachment.id}/content"
