"""Events leave the service: no payload schema may have a field for an ID or phone number.

A contact sealed with shared.pii (a field named ``*_enc`` whose schema refuses anything but the
``<key id>:<base64>`` form) is allowed: notify learns a public recipient's contact only that way.
"""

from __future__ import annotations

import re

from marshmallow import ValidationError

from shared.events import CATALOG

_PERSONAL = re.compile(r"id_?number|id_?card|identity|phone|mobile|tel(ephone)?$|身份证|电话|手机", re.IGNORECASE)


def _field_names(schema: type) -> list[str]:
    names = []
    for name, field in schema().fields.items():
        names.append(field.data_key or name)
        nested = getattr(field, "nested", None) or getattr(getattr(field, "inner", None), "nested", None)
        if isinstance(nested, type):
            names += [f"{name}.{inner}" for inner in _field_names(nested)]
    return names


def _sealed(schema: type, name: str) -> bool:
    """A top-level ``*_enc`` field that refuses a clear number (only ciphertext passes its validators)."""
    if not name.endswith("_enc") or "." in name:
        return False
    field = schema().fields[name]
    try:
        field.deserialize("13800138000")
    except ValidationError:
        return True
    return False


def test_a_sealed_contact_field_refuses_a_clear_number() -> None:
    from shared.events.review import PublicNoticeRequestedV1

    assert _sealed(PublicNoticeRequestedV1, "recipient_phone_enc")
    assert not _sealed(PublicNoticeRequestedV1, "recipient_name")


def test_no_event_payload_has_a_personal_number_field() -> None:
    assert CATALOG, "the catalogue is empty: the scan would pass vacuously"
    offending = {
        f"{type_} v{version}": [n for n in _field_names(et.schema)
                                if _PERSONAL.search(n.rsplit(".", 1)[-1]) and not _sealed(et.schema, n)]
        for (type_, version), et in CATALOG.items()
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_scan_would_catch_one() -> None:
    from marshmallow import Schema, fields

    class Leaky(Schema):
        petitioner_id_number = fields.String()
        contact_phone = fields.String()

    assert [n for n in _field_names(Leaky) if _PERSONAL.search(n)] == ["petitioner_id_number", "contact_phone"]
