"""The typefaces of a 公文 (GB/T 9704-2012 §7) and the free fonts from Debian's packages that stand in for them.

GB/T 9704 names 方正小标宋 for the title, 仿宋_GB2312 for the body, 黑体 for 一级标题 and 楷体 for
二级标题.  Debian packages none of 方正's fonts and no simplified-Chinese 仿宋 (fonts-cwtex-fs is
a Big5 font, without the simplified forms), so a PDF embeds the closest free fonts:

============  ======================  ==========================  ==================
role          GB/T 9704               embedded in a PDF            Debian package
============  ======================  ==========================  ==================
title         方正小标宋简体 2号       Noto Serif CJK SC Bold       fonts-noto-cjk
body          仿宋_GB2312 3号          Noto Serif CJK SC (宋体)     fonts-noto-cjk
heading 1     黑体 3号                 Noto Sans CJK SC             fonts-noto-cjk
heading 2     楷体_GB2312 3号          AR PL UKai CN                fonts-arphic-ukai
============  ======================  ==========================  ==================

A DOCX is opened and edited on the office's own computers, which have the real fonts, so it
names the office fonts (`Face.office`); a PDF is read anywhere, so it carries its fonts
(`Face.family`, found through fontconfig).  deploy/local/packages.sh installs the packages.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Face:
    role: str
    family: str  # the fontconfig family a PDF embeds
    weight: int  # CSS weight: 400 regular, 700 bold
    office: str  # the font a DOCX names for East Asian text (w:eastAsia)
    package: str  # the Debian package that brings `family`


TITLE = Face("title", "Noto Serif CJK SC", 700, "方正小标宋简体", "fonts-noto-cjk")
BODY = Face("body", "Noto Serif CJK SC", 400, "仿宋_GB2312", "fonts-noto-cjk")
HEADING_1 = Face("heading_1", "Noto Sans CJK SC", 400, "黑体", "fonts-noto-cjk")
HEADING_2 = Face("heading_2", "AR PL UKai CN", 400, "楷体_GB2312", "fonts-arphic-ukai")
FACES = (TITLE, BODY, HEADING_1, HEADING_2)
# Latin letters and Arabic numerals of a DOCX (w:ascii, w:hAnsi): the office's usual choice.
OFFICE_LATIN = "Times New Roman"


class FontMissing(RuntimeError):
    """A face's font is not installed: fontconfig would silently substitute another (or print tofu)."""


def matched_family(face: Face) -> str | None:
    """The family fontconfig gives for `face`, or None without fontconfig (``fc-match``)."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{face.family}:weight={'bold' if face.weight >= 700 else 'regular'}"
    done = subprocess.run(["fc-match", "--format=%{family}", pattern], capture_output=True, text=True,
                          check=False, timeout=10)
    return done.stdout.strip() or None


def missing() -> list[Face]:
    """The faces whose font fontconfig does not have (its answer is some other family)."""
    out = []
    for face in FACES:
        family = matched_family(face)
        if family is None or face.family not in family.split(","):
            out.append(face)
    return out


def require() -> None:
    """Refuse to lay out a PDF in fonts that are not there.

    :raise FontMissing: naming the Debian packages to install.
    """
    lacking = missing()
    if lacking:
        packages = " ".join(sorted({face.package for face in lacking}))
        names = ", ".join(sorted({face.family for face in lacking}))
        raise FontMissing(f"fonts not installed: {names} (apt-get install {packages}; deploy/local/packages.sh)")
