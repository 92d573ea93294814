"""Masked display of personal data (GB/T 35273 display restrictions)."""

from __future__ import annotations

import re


def mask_id_number(value: str | None) -> str | None:
    """4113**********1234: region prefix and last four only."""
    if not value:
        return value
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """138****5678 for a mobile; keep the first 3 and last 4 of any other number."""
    if not value:
        return value
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str | None) -> str | None:
    """张** for a person; an organisation name is public and shown whole elsewhere."""
    if not value:
        return value
    return value[0] + "*" * max(1, len(value) - 1)


# 18-character ID numbers and mainland mobiles inside free text; not when part of a longer
# token (a uuid, a hex trace id), hence the alphanumeric look-arounds.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """Mask every ID-card number and mobile number found in free text (logs, audit details)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()) or "", text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()[-11:]) or "", text)
