"""Events leave the service: no payload schema may have a field for an ID or phone number."""

from __future__ import annotations

import re

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


def test_no_event_payload_has_a_personal_number_field() -> None:
    assert CATALOG, "the catalogue is empty: the scan would pass vacuously"
    offending = {
        f"{type_} v{version}": [n for n in _field_names(et.schema) if _PERSONAL.search(n.rsplit(".", 1)[-1])]
        for (type_, version), et in CATALOG.items()
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_scan_would_catch_one() -> None:
    from marshmallow import Schema, fields

    class Leaky(Schema):
        petitioner_id_number = fields.String()
        contact_phone = fields.String()

    assert [n for n in _field_names(Leaky) if _PERSONAL.search(n)] == ["petitioner_id_number", "contact_phone"]
