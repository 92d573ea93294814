"""Loading and reading the unit tree."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.identity.units.models import Unit
from services.review.identity.units.tree import UnitSeed, descendants_or_self, seed_units


def seed(session: Session, units: tuple[UnitSeed, ...] | None = None) -> int:
    """Insert or update every unit of the seed file (idempotent); returns how many changed."""
    changed = 0
    for position, spec in enumerate(units if units is not None else seed_units()):
        row = session.get(Unit, spec.code)
        values = {"name": spec.name, "kind": spec.kind, "parent_code": spec.parent, "receives": spec.receives, "position": position}
        if row is None:
            session.add(Unit(code=spec.code, **values))
            changed += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed += 1
    session.flush()
    return changed


def list_(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.position, Unit.code)))


def visible_units(session: Session, unit_code: str) -> frozenset[str]:
    """`unit_code` and every unit below it, from the table (the seed file if the table is empty)."""
    rows = list_(session)
    if not rows:
        return descendants_or_self(unit_code)
    tree = tuple(UnitSeed(r.code, r.name, r.kind, r.parent_code, r.receives) for r in rows)
    return descendants_or_self(unit_code, tree)
