"""Masked display of personal data (GB/T 35273 display restrictions)."""

from __future__ import annotations


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
