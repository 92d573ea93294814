"""Content sniffing of 信访材料: real small files of each type, and what must be refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from services.intake.attachments import names, sniff
from tests.support import files


def _detect(data: bytes) -> str | None:
    found = sniff.detect(io.BytesIO(data))
    return found.kind if found else None


@pytest.mark.parametrize(("make", "kind"), [
    (files.pdf, "pdf"), (files.png, "png"), (files.jpeg, "jpeg"), (files.docx, "docx"), (files.ofd, "ofd"),
])
def test_each_accepted_type_is_recognised(make, kind) -> None:  # type: ignore[no-untyped-def]
    assert _detect(make()) == kind


def test_the_stream_is_left_at_its_start() -> None:
    stream = io.BytesIO(files.docx())
    stream.seek(10)
    assert sniff.detect(stream) is not None and stream.tell() == 0


@pytest.mark.parametrize(("data", "why"), [
    (files.exe(), "a Windows executable"),
    (files.plain_zip(), "a ZIP that is no DOCX and no OFD"),
    (files.png()[:-12], "a PNG cut before IEND"),
    (files.png()[:30], "a PNG cut inside IHDR"),
    (files.pdf()[:200], "a PDF cut before %%EOF"),
    (files.docx()[:-30], "a DOCX cut inside its central directory"),
    (files.zip_with_entries(sniff.MAX_ZIP_ENTRIES + 1), "a ZIP of too many entries"),
    (files.docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"), "a macro-enabled .docm"),
    (files.exe() + files.docx(), "a DOCX behind an executable (self-extracting)"),
    (b"", "nothing"),
    (b"GIF89a" + b"\x00" * 100, "a GIF"),
    ("%PDF-1.7 just text, 报告".encode(), "text that starts like a PDF"),
])
def test_what_is_refused(data: bytes, why: str) -> None:
    assert _detect(data) is None, why


def test_a_png_with_a_wrong_ihdr_crc_is_refused() -> None:
    data = bytearray(files.png())
    data[29] ^= 0xFF
    assert _detect(bytes(data)) is None


def test_the_entry_cap_is_read_before_the_directory_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bomb of entries is refused from the end record alone: zipfile never parses its directory."""
    bomb = files.zip_with_entries(sniff.MAX_ZIP_ENTRIES + 5)

    def not_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("zipfile opened a ZIP whose entry count was over the cap")

    monkeypatch.setattr(zipfile, "ZipFile", not_called)
    assert _detect(bomb) is None
    monkeypatch.undo()
    assert _detect(files.zip_with_entries(sniff.MAX_ZIP_ENTRIES)) == "docx"  # at the cap: taken


def test_a_compressed_bomb_inside_is_never_inflated_beyond_the_cap() -> None:
    """[Content_Types].xml of 50 MB of zeros (a few KB compressed) is refused after reading the cap."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"\x00" * (50 * 1024 * 1024))
        archive.writestr("word/document.xml", b"<w:document/>")
    assert len(buffer.getvalue()) < 200_000
    assert _detect(buffer.getvalue()) is None


def test_the_type_never_comes_from_the_name() -> None:
    """A .pdf that is a PNG downloads as .png; the name is kept for display only."""
    assert names.download_name("起诉材料.pdf", sniff.TYPES["png"]) == "起诉材料.png"
    assert names.download_name("photo.JPEG", sniff.TYPES["jpeg"]) == "photo.JPEG"
    assert names.download_name("scan", sniff.TYPES["pdf"]) == "scan.pdf"


@pytest.mark.parametrize(("raw", "clean"), [
    ("C:\\fakepath\\证据 一.pdf", "证据 一.pdf"),
    ("../../etc/passwd", "passwd"),
    ("a\x00b\r\n.docx", "a_b__.docx"),
    ('"quoted"<x>.png', "_quoted__x_.png"),
    ("evil\u202egpj.exe", "evilgpj.exe"),
    ("", "attachment"),
    (None, "attachment"),
    ("   ...   ", "attachment"),
])
def test_names_are_cleaned(raw: str | None, clean: str) -> None:
    assert names.clean(raw) == clean


def test_a_long_name_keeps_its_extension() -> None:
    cleaned = names.clean("长" * 500 + ".pdf")
    assert len(cleaned) == names.MAX_NAME and cleaned.endswith(".pdf")


def test_content_disposition_carries_the_exact_name_in_rfc5987() -> None:
    header = names.content_disposition("信访 材料(1).pdf")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E4%BF%A1%E8%AE%BF%20%E6%9D%90%E6%96%99%281%29.pdf" in header
    ascii_part = header.split('filename="')[1].split('"')[0]
    assert ascii_part.isascii() and ascii_part.endswith(".pdf")
