"""What a unit code says about its organisation, without the unit table.

Codes under `NY-JCY` are procuratorate units (they receive on the 12309 line), codes under
`NY-FY` court units (12368) — the convention of services/review/identity/units/units.toml.  Intake and
notify have no unit table (the token carries the visible units: docs/adr), so this is all they
need to know.
"""

from __future__ import annotations

_LINE_BY_PREFIX = (("NY-JCY", "12309"), ("NY-FY", "12368"))


def line_of_unit(unit_code: str) -> str | None:
    """"12309" for a procuratorate unit, "12368" for a court unit, None otherwise."""
    for prefix, line in _LINE_BY_PREFIX:
        if unit_code == prefix or unit_code.startswith(prefix + "-"):
            return line
    return None
