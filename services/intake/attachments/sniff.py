"""What a file is, from its bytes alone: PDF, OFD, JPEG, PNG or DOCX, else nothing.

The client's Content-Type and the file name's extension are never consulted: a `.pdf` that is a
PNG is a PNG.  Each check reads a bounded amount and never extracts:

- PDF: starts `%PDF-<digit>.<digit>` and has `%%EOF` in its last 1 KiB (a cut-off file has not);
- JPEG: starts `FF D8 FF` and a marker byte (an end marker is not required: cameras append data);
- PNG: the 8-byte signature, an IHDR chunk of 13 bytes with a correct CRC and a non-zero size,
  and the IEND chunk as the last 12 bytes (a cut-off file has not);
- DOCX and OFD are ZIP containers: the file starts with a local header (`PK\\x03\\x04`, so nothing
  is smuggled in front, as a self-extracting EXE does), its end-of-central-directory record
  declares at most `MAX_ZIP_ENTRIES` entries (read before `zipfile` loads the directory, so a
  bomb of entries costs nothing) and no ZIP64; then
  - DOCX (OOXML, ISO/IEC 29500): `[Content_Types].xml` declares the WordprocessingML main
    document (a macro-enabled `.docm` declares another type and is refused) and `word/document.xml`
    is there;
  - OFD (GB/T 33190-2016 版式文档): the root holds `OFD.xml` whose root element is `OFD`.
  Only those two small XML entries are read, each at most `MAX_XML_BYTES` inflated.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

MAX_ZIP_ENTRIES = 1000
MAX_XML_BYTES = 256 * 1024
_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 22 + 0xFFFF  # the record plus the longest comment
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFD_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?OFD[\s>/]")


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a download name gets
    label: str  # for people


TYPES: dict[str, FileType] = {t.kind: t for t in (
    FileType("pdf", "application/pdf", (".pdf",), "PDF"),
    FileType("ofd", "application/ofd", (".ofd",), "OFD 版式文档"),
    FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG 图片"),
    FileType("png", "image/png", (".png",), "PNG 图片"),
    FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word 文档"),
)}


def detect(stream: IO[bytes]) -> FileType | None:
    """The type of the seekable `stream`'s content, or None when it is none of `TYPES`.

    Reads from the start; leaves the stream at its start.
    """
    try:
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        head = stream.read(64)
        kind = _kind(stream, head, size)
    finally:
        stream.seek(0)
    return TYPES[kind] if kind else None


def _kind(stream: IO[bytes], head: bytes, size: int) -> str | None:
    if re.match(rb"%PDF-\d\.\d", head):
        return "pdf" if b"%%EOF" in _tail(stream, size, 1024) else None
    if head[:3] == b"\xff\xd8\xff" and len(head) >= 4 and head[3] >= 0xC0 and size > 128:
        return "jpeg"
    if head.startswith(PNG_SIGNATURE):
        return "png" if _png_ok(head, _tail(stream, size, 12)) else None
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream, size)
    return None


def _tail(stream: IO[bytes], size: int, length: int) -> bytes:
    stream.seek(max(0, size - length))
    return stream.read(length)


def _png_ok(head: bytes, tail: bytes) -> bool:
    # signature(8) | length(4) = 13 | "IHDR" | width(4) height(4) and 5 more bytes | CRC(4)
    if len(head) < 33 or head[8:16] != b"\x00\x00\x00\x0dIHDR":
        return False
    width, height = struct.unpack(">II", head[16:24])
    (crc,) = struct.unpack(">I", head[29:33])
    return width > 0 and height > 0 and zlib.crc32(head[12:29]) == crc and tail == _PNG_IEND


def _entries_declared(stream: IO[bytes], size: int) -> int | None:
    """The entry count of the end-of-central-directory record, or None (no record, or ZIP64)."""
    tail = _tail(stream, size, _EOCD_SEARCH)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        return None
    (total,) = struct.unpack("<H", tail[at + 10:at + 12])
    return None if total == 0xFFFF else total


def _zip_kind(stream: IO[bytes], size: int) -> str | None:
    declared = _entries_declared(stream, size)
    if declared is None or not 0 < declared <= MAX_ZIP_ENTRIES:
        return None
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {info.filename: info for info in infos}
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                types = _read_small(archive, names["[Content_Types].xml"])
                return "docx" if types is not None and _DOCX_MAIN in types else None
            if "OFD.xml" in names:
                root = _read_small(archive, names["OFD.xml"])
                return "ofd" if root is not None and _OFD_ROOT.search(root) else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        return None  # truncated, encrypted, an unknown compression: not a file we take
    return None


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """One entry inflated, if it is at most `MAX_XML_BYTES` (declared and real: a lying header is caught)."""
    if info.file_size > MAX_XML_BYTES or info.flag_bits & 0x1:  # 0x1: encrypted
        return None
    with archive.open(info) as entry:
        data = entry.read(MAX_XML_BYTES + 1)
    return data if len(data) <= MAX_XML_BYTES else None
