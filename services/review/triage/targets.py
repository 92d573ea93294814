"""Where a receiving unit may send a 事项: its 交办 targets and the organs it may 移送 to, from the unit tree.

* 交办 goes down, inside the receiving unit's own organ (院): its departments and the units
  below it.  The 控告申诉检察部 (NY-JCY-KS) receives for 南阳市人民检察院, so it 交办 to the
  刑事/民事/行政检察部 and to the 13 基层院; a 基层院 that receives for itself has no unit below it.
* 移送 inside the tree goes to the other organ (procuratorate ↔ court): the matter lands in that
  organ's receiving unit — the department that ``receives`` for it (中院's 诉讼服务中心), or the
  organ itself (a 基层法院 receives its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.review.identity.units.tree import UnitSeed, by_code, descendants_or_self, seed_units
from shared.auth.units import line_of_unit

ORGAN_KINDS = ("procuratorate", "court")


@dataclass(frozen=True)
class Target:
    code: str
    name: str


def organ_of(unit_code: str) -> UnitSeed | None:
    """The 院 a unit belongs to: itself when it is an organ, else the organ above its department."""
    unit = by_code(unit_code)
    while unit is not None and unit.kind not in ORGAN_KINDS:
        unit = by_code(unit.parent) if unit.parent else None
    return unit


def assignable(unit_code: str | None) -> list[Target]:
    """The departments and lower units a receiving unit may 交办 to, in the tree's order."""
    if unit_code is None:
        return []
    organ = organ_of(unit_code)
    if organ is None:
        return []
    below = descendants_or_self(organ.code)
    return [Target(u.code, u.name) for u in seed_units()
            if u.code in below and u.code not in (organ.code, unit_code) and u.kind != "task_force"]


def receiving_unit_of(organ_code: str) -> str:
    """The unit that receives for an organ: the department marked ``receives`` under it, else the organ."""
    for unit in seed_units():
        if unit.parent == organ_code and unit.receives is not None and unit.kind == "department":
            return unit.code
    return organ_code


def transfer_organs(unit_code: str | None) -> list[Target]:
    """The organs of the other line an item received at ``unit_code`` may be 移送 to (procuratorate ↔ court)."""
    if unit_code is None:
        return []
    line = line_of_unit(unit_code)
    return [Target(u.code, u.name) for u in seed_units()
            if u.kind in ORGAN_KINDS and line_of_unit(u.code) not in (None, line)]


def name_of(unit_code: str | None) -> str:
    unit = by_code(unit_code) if unit_code else None
    return unit.name if unit is not None else (unit_code or "")
