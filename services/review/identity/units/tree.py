"""The unit tree as data (`units.toml`), and who sees what in it.

Pure functions over the seed file, so that tests and the token issuer agree on one tree.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEED_FILE = Path(__file__).with_name("units.toml")
KINDS = ("procuratorate", "court", "department", "task_force")


@dataclass(frozen=True)
class UnitSeed:
    code: str
    name: str
    kind: str
    parent: str | None = None
    receives: str | None = None  # "12309" / "12368": the line this unit receives petitions on


def parse(text: str) -> list[UnitSeed]:
    """Units from TOML text; parents must come before their children and exist."""
    units: list[UnitSeed] = []
    seen: set[str] = set()
    for raw in tomllib.loads(text).get("unit", []):
        unit = UnitSeed(
            code=raw["code"], name=raw["name"], kind=raw["kind"], parent=raw.get("parent"), receives=raw.get("receives")
        )
        if unit.kind not in KINDS:
            raise ValueError(f"{unit.code}: unknown kind {unit.kind!r}")
        if unit.code in seen:
            raise ValueError(f"{unit.code}: listed twice")
        if unit.parent is not None and unit.parent not in seen:
            raise ValueError(f"{unit.code}: parent {unit.parent} not listed before it")
        seen.add(unit.code)
        units.append(unit)
    return units


@lru_cache(maxsize=1)
def seed_units() -> tuple[UnitSeed, ...]:
    return tuple(parse(SEED_FILE.read_text(encoding="utf-8")))


def descendants_or_self(code: str, units: tuple[UnitSeed, ...] | None = None) -> frozenset[str]:
    """`code` and every unit below it: what a member of `code` may see."""
    units = units if units is not None else seed_units()
    children: dict[str | None, list[str]] = {}
    for unit in units:
        children.setdefault(unit.parent, []).append(unit.code)
    found, todo = {code}, [code]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


def by_code(code: str) -> UnitSeed | None:
    return next((u for u in seed_units() if u.code == code), None)
