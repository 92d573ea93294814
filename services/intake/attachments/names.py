"""The client's file name: cleaned for display, and spelled for a download's Content-Disposition.

A name is never part of a storage key (shared/storage) and never decides the type (sniff.py); it
is only shown.  Cleaning keeps the last path segment, NFC, no control or reserved characters
(`\\ / : * ? " < > |`), at most `MAX_NAME` characters with the extension kept.
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

from services.intake.attachments.sniff import FileType

MAX_NAME = 200
FALLBACK = "attachment"
_RESERVED = re.compile(r'[\x00-\x1f\x7f-\x9f\\/:*?"<>|]')


def clean(raw: str | None) -> str:
    """A safe display name from whatever the client sent (an empty one becomes `attachment`)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]  # a browser may send C:\fakepath\x.pdf
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cf", "Zl", "Zp"))  # bidi overrides
    name = _RESERVED.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 10 else ""
        name = stem[:MAX_NAME - len(ext)] + ext
    return name or FALLBACK


def download_name(name: str, file_type: FileType) -> str:
    """`name` with the extension of the type the bytes are (a `.pdf` that is a PNG downloads as `.png`)."""
    stem, ext = os.path.splitext(name)
    if ext.lower() in file_type.extensions:
        return name
    return f"{stem or name}{file_type.extensions[0]}"


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII `filename` and the exact UTF-8 `filename*` (RFC 6266, RFC 5987)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r'[^A-Za-z0-9._ ()-]', "_", ascii_name).strip() or FALLBACK
    if ascii_name.startswith("."):
        ascii_name = FALLBACK + ascii_name
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
