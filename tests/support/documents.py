"""Reading generated documents back as a person and a machine would: text, fonts, positions, pixels.

A PDF is read with pdfplumber (text and where each character stands, in points from the top-left)
and pypdf (which fonts the pages use and whether each is embedded), and rendered to PNG with
poppler's pdftoppm, the way docs/documents.md asks every document to be looked at.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Char:
    text: str
    font: str  # the PostScript name without the subset tag: Noto-Serif-CJK-SC-Bold
    size: float
    x0_mm: float
    x1_mm: float
    top_mm: float
    bottom_mm: float
    page: int


@dataclass(frozen=True)
class ReadBack:
    text: str  # all pages, lines joined by newlines
    pages: int
    page_size_mm: tuple[float, float]
    chars: tuple[Char, ...]

    @property
    def flat(self) -> str:
        """The text with line breaks removed: a sentence wrapped over two lines reads whole."""
        return self.text.replace("\n", "")

    def lines(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip()]


def _base_font(name: str) -> str:
    return name.split("+", 1)[1] if "+" in name else name


def read_pdf(data: bytes) -> ReadBack:
    chars: list[Char] = []
    texts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0]
        size = (float(first.width) / MM, float(first.height) / MM)
        for number, page in enumerate(pdf.pages, start=1):
            texts.append(page.extract_text() or "")
            for c in page.chars:
                chars.append(Char(c["text"], _base_font(c["fontname"]), float(c["size"]), c["x0"] / MM, c["x1"] / MM,
                                  c["top"] / MM, c["bottom"] / MM, number))
        pages = len(pdf.pages)
    return ReadBack("\n".join(texts), pages, size, tuple(chars))


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Every font the pages use (subset tag removed) → whether its program is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts") or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            found[_base_font(str(font["/BaseFont"]).lstrip("/"))] = embedded
    return found


def render_png(data: bytes, directory: Path, *, dpi: int = 100) -> list[Path]:
    """The pages as PNGs (pdftoppm), in page order."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm missing: deploy/local/packages.sh installs poppler-utils")
    source = directory / "document.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(directory / "page")], check=True, timeout=60)
    return sorted(directory.glob("page-*.png"))


def dark_fraction(png: Path, *, top_mm: float, bottom_mm: float, left_mm: float = 0, right_mm: float = 210) -> float:
    """The share of pixels darker than mid-grey in a band of the page (mm from the top-left)."""
    with Image.open(png) as image:
        grey = image.convert("L")
        scale = grey.width / 210.0  # A4 is 210 mm wide
        band = grey.crop((int(left_mm * scale), int(top_mm * scale), int(right_mm * scale), int(bottom_mm * scale)))
        pixels = band.tobytes()  # one byte a pixel in mode L
    return sum(1 for p in pixels if p < 128) / max(1, len(pixels))


def first_dark_row_mm(png: Path, *, top_mm: float, bottom_mm: float, left_mm: float, right_mm: float) -> float | None:
    """How far down the page (mm) the first row with a dark pixel in the box is, or None."""
    with Image.open(png) as image:
        grey = image.convert("L")
        scale = grey.width / 210.0
        box = grey.crop((int(left_mm * scale), int(top_mm * scale), int(right_mm * scale), int(bottom_mm * scale)))
        data, width = box.tobytes(), box.width
    for row in range(box.height):
        if any(p < 128 for p in data[row * width:(row + 1) * width]):
            return top_mm + row / scale
    return None
