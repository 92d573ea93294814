"""Uploading, listing and downloading 信访材料, scoped by the petition's unit and audited.

The bytes go to the blob store first, under a fresh key (never the client's name), then the row
and its `attachment.upload` audit row in the caller's transaction; the caller stages the blob
(shared/storage/staging.py), so a transaction that fails takes the blob back with it.

The same bytes uploaded twice to one petition are one attachment: the second upload answers the
first (`Upload.created` False), stores nothing and is audited with `replayed`.  A refused upload
(a type not allowed, too large, too many) stores neither blob nor row.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.attachments import names, sniff
from services.intake.attachments.models import Attachment
from services.intake.config import IntakeSettings
from services.intake.petitions import queries as petitions
from services.intake.petitions.grants import readable_by
from services.intake.petitions.service import REGISTER_ROLES
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.errors import DomainError, ErrorKind, NotFound
from shared.storage import BlobCorrupt, BlobNotFound, BlobStore, StagedBlobs, new_key
from shared.storage.port import chunks

log = logging.getLogger(__name__)
# Who may add a file: whoever registers petitions (登记).
UPLOAD_ROLES = REGISTER_ROLES
KEY_PREFIX = "attachments"


class TypeNotAllowed(DomainError):
    code = "attachment.type_not_allowed"
    message_en = "Only PDF, OFD, JPEG, PNG and DOCX files are accepted (judged by the content, not the name)"
    message_zh = "仅接受 PDF、OFD、JPEG、PNG、DOCX 格式的材料（按文件内容判断，而非文件名）"


class TooLarge(DomainError):
    kind = ErrorKind.TOO_LARGE
    code = "attachment.too_large"
    message_en = "The file is larger than an attachment may be"
    message_zh = "材料文件超过大小上限"


class TooMany(DomainError):
    code = "attachment.too_many"
    message_en = "This petition already holds as many attachments as it may"
    message_zh = "该信访件的材料数量已达上限"


class EmptyFile(DomainError):
    code = "attachment.empty"
    message_en = "Send the file in the form field `file`"
    message_zh = "请在表单字段 file 中上传文件"


class AttachmentCorrupt(DomainError):
    """The blob of a row is gone or changed: the store and the database disagree; nothing is sent."""

    kind = ErrorKind.CONFLICT
    keeps_writes = True  # the failed download's audit row
    code = "attachment.corrupt"
    message_en = "The stored file does not match its checksum and is not sent; tell the administrator"
    message_zh = "存储的材料文件与校验值不符，已拒绝下载，请联系系统管理员"


class AttachmentNotVisible(NotFound):
    """No such attachment, or one of a unit the caller may not see; the attempt is still audited."""

    keeps_writes = True


@dataclass(frozen=True)
class Upload:
    attachment: Attachment
    created: bool  # False: these bytes were already attached to the petition


@dataclass(frozen=True)
class Download:
    attachment: Attachment
    stream: IO[bytes]  # checked against the recorded SHA-256; the caller closes it
    download_name: str


def _measure(stream: IO[bytes]) -> tuple[int, str]:
    """Size and SHA-256 of a seekable stream, read once from the start; left at the start."""
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    for piece in chunks(stream):
        digest.update(piece)
        size += len(piece)
    stream.seek(0)
    return size, digest.hexdigest()


def _size_of(stream: IO[bytes]) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def upload(
    session: Session, *, blobs: StagedBlobs, petition_id: str, stream: IO[bytes], filename: str | None,
    actor: Actor, limits: IntakeSettings,
) -> Upload:
    """Attach the file in `stream` (seekable) to a petition the actor's unit may see.

    :raise NotFound: no such petition, or one of a unit the actor may not see.
    :raise EmptyFile: nothing was sent.
    :raise TooLarge: the file, or the petition's files with it, exceed the limits (413).
    :raise TypeNotAllowed: the bytes are none of the accepted types.
    :raise TooMany: the petition holds `attachment_max_count` files already.
    """
    petition = petitions.get_or_raise(session, petition_id, principal=actor.principal)
    size = _size_of(stream)
    if size == 0:
        raise EmptyFile()
    if size > limits.attachment_max_bytes:
        raise TooLarge(limit_bytes=limits.attachment_max_bytes, size=size)
    file_type = sniff.detect(stream)
    if file_type is None:
        raise TypeNotAllowed()
    size, sha256 = _measure(stream)
    existing = session.scalar(select(Attachment).where(Attachment.petition_id == petition.id,
                                                        Attachment.sha256 == sha256))
    if existing is not None:
        _audit_upload(session, existing, actor, replayed=True)
        return Upload(existing, created=False)
    count, total = session.execute(
        select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
        .where(Attachment.petition_id == petition.id)
    ).one()
    if count >= limits.attachment_max_count:
        raise TooMany(limit=limits.attachment_max_count)
    if total + size > limits.attachment_max_total_bytes:
        raise TooLarge(
            "The petition's attachments together would be larger than allowed",
            "该信访件的材料总大小将超过上限",
            limit_bytes=limits.attachment_max_total_bytes, stored_bytes=int(total), size=size,
        )
    key = new_key(KEY_PREFIX)
    blobs.put(key, stream, sha256=sha256, content_type=file_type.content_type)
    attachment = Attachment(
        petition_id=petition.id, unit_code=petition.unit_code, original_name=names.clean(filename),
        kind=file_type.kind, content_type=file_type.content_type, size=size, sha256=sha256, storage_key=key,
        uploaded_by=actor.name,
    )
    try:
        with session.begin_nested():
            session.add(attachment)
    except IntegrityError:
        # A concurrent upload of the same bytes won the race: answer its row, drop our copy.
        blobs.discard(key)
        winner = session.scalar(select(Attachment).where(Attachment.petition_id == petition.id,
                                                          Attachment.sha256 == sha256))
        if winner is None:
            raise
        _audit_upload(session, winner, actor, replayed=True)
        return Upload(winner, created=False)
    _audit_upload(session, attachment, actor, replayed=False)
    return Upload(attachment, created=True)


def _audit_upload(session: Session, attachment: Attachment, actor: Actor, *, replayed: bool) -> None:
    record(
        session, action="attachment.upload", subject_type="attachment", subject_id=attachment.id,
        after=None if replayed else {"petition_id": attachment.petition_id, "kind": attachment.kind,
                                     "size": attachment.size, "sha256": attachment.sha256},
        detail={"petition_id": attachment.petition_id, "sha256": attachment.sha256, "size": attachment.size,
                "kind": attachment.kind, **({"replayed": True} if replayed else {})},
        **actor.fields(),
    )


def list_for_petition(session: Session, *, petition_id: str, principal: Principal | None) -> list[Attachment]:
    """The attachments of one visible petition, oldest first. :raise NotFound: not visible."""
    petition = petitions.readable_or_raise(session, petition_id, principal=principal)
    query = select(Attachment).where(Attachment.petition_id == petition.id,
                                     readable_by(Attachment.petition_id, Attachment.unit_code, principal))
    return list(session.scalars(query.order_by(Attachment.uploaded_at, Attachment.id)))


def open_for_download(session: Session, *, store: BlobStore, attachment_id: str, actor: Actor) -> Download:
    """The checked bytes of one attachment; every call writes `attachment.download`, refusals included.

    :raise AttachmentNotVisible: no such attachment, or one of a unit the actor may not see.
    :raise AttachmentCorrupt: the stored bytes are missing or not the recorded ones; nothing is sent.
    Both keep their audit row (`denied`, `failure`).
    """
    query = select(Attachment).where(Attachment.id == attachment_id,
                                     readable_by(Attachment.petition_id, Attachment.unit_code, actor.principal))
    attachment = session.scalar(query)
    if attachment is None:
        _audit_download(session, attachment_id, actor, outcome="denied", detail={"visible": False})
        raise AttachmentNotVisible()
    detail = {"petition_id": attachment.petition_id, "sha256": attachment.sha256, "size": attachment.size}
    try:
        stream = store.open_verified(attachment.storage_key, sha256=attachment.sha256)
    except (BlobCorrupt, BlobNotFound) as exc:
        log.error("attachment %s: %s", attachment.id, exc)
        _audit_download(session, attachment_id, actor, outcome="failure",
                        detail={**detail, "error": type(exc).__name__})
        raise AttachmentCorrupt() from None
    _audit_download(session, attachment_id, actor, outcome="success", detail=detail)
    return Download(attachment, stream, names.download_name(attachment.original_name, sniff.TYPES[attachment.kind]))


def _audit_download(session: Session, attachment_id: str, actor: Actor, *, outcome: str, detail: dict[str, object]) -> None:
    record(session, action="attachment.download", outcome=outcome, subject_type="attachment",
           subject_id=attachment_id, detail=detail, **actor.fields())
