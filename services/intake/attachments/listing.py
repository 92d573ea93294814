"""What the staff pages show of a petition's 信访材料: the type in words, the size, the short hash.

The petition page (services/intake/petitions/pages.py) and its panel include the section; the
names are shown with any personal number in them masked (shared/pii), as the petition's free
text is: a file called after the petitioner's ID card must not show the number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.intake.attachments import service, sniff
from services.intake.attachments.models import Attachment
from services.intake.petitions import queries as petitions
from shared.auth import Principal
from shared.pii import mask_text

KIB = 1024
MIB = 1024 * KIB
SHORT_HASH = 12  # hex digits shown; the whole value is one click away


def size_text(size: int) -> str:
    """`0.5 KB`, `312.4 KB`, `4.8 MB` (1 KB = 1,024 bytes, as file managers count)."""
    if size < MIB:
        return f"{max(size / KIB, 0.1):.1f} KB"
    return f"{size / MIB:.1f} MB"


def limit_text(size: int) -> str:
    """A limit in whole units where it is one (`20 MB`), else as `size_text`."""
    return f"{size // MIB} MB" if size % MIB == 0 else size_text(size)


@dataclass(frozen=True)
class Shown:
    """One attachment as a page shows it: never the storage key, the name masked."""

    id: str
    name: str
    kind: str  # PDF / OFD 版式文档 / JPEG 图片 / PNG 图片 / Word 文档
    size: str
    sha256: str
    sha256_short: str
    uploaded_by: str
    uploaded_at: datetime
    url: str


def shown(attachment: Attachment) -> Shown:
    file_type = sniff.TYPES.get(attachment.kind)
    return Shown(
        id=attachment.id, name=mask_text(attachment.original_name),
        kind=file_type.label if file_type else attachment.kind, size=size_text(attachment.size),
        sha256=attachment.sha256, sha256_short=attachment.sha256[:SHORT_HASH], uploaded_by=attachment.uploaded_by,
        uploaded_at=attachment.uploaded_at, url=f"/attachments/{attachment.id}",
    )


def _ids(raw: str | None) -> set[str]:
    return {part for part in (raw or "").split(",") if part}


@dataclass(frozen=True)
class Section:
    """The 信访材料 section of a petition page."""

    attachments: list[Shown]
    can_upload: bool
    # The confirmation after an upload's redirect: the names of the rows the query names that
    # are really listed (a forged query shows nothing it did not find).
    uploaded: list[str]
    existing: list[str]


def section(session: Session, *, petition_id: str, principal: Principal, uploaded: str | None = None,
            existing: str | None = None) -> Section:
    """The attachments of a visible petition, oldest first, and whether this principal may add one."""
    rows = [shown(a) for a in service.list_for_petition(session, petition_id=petition_id, principal=principal)]
    return Section(
        # A unit that reads the petition by a grant (petitions/grants.py) adds nothing to it.
        attachments=rows, can_upload=principal.has_role(*service.UPLOAD_ROLES)
        and petitions.get(session, petition_id, principal=principal) is not None,
        uploaded=_names(rows, _ids(uploaded)), existing=_names(rows, _ids(existing)),
    )


def _names(rows: Iterable[Shown], ids: set[str]) -> list[str]:
    return [row.name for row in rows if row.id in ids]


def upload_hint(*, max_file_bytes: int, max_body_bytes: int) -> str:
    """What the upload form says it takes (the door refuses a larger submission before intake sees it)."""
    return (f"PDF、OFD、JPEG、PNG、Word（DOCX）文件，类型按文件内容判断；每个文件不超过 {limit_text(max_file_bytes)}。"
            f"可一次选择多个文件，合计不超过 {limit_text(max_body_bytes)}，每个文件单独保存。")
