"""Seed of the unit tree (`huhang db seed`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.identity.units import service
from services.review.identity.units.tree import seed_units as units_in_file


def seed_units(session: Session, *, production: bool) -> str:
    changed = service.seed(session)
    return f"{len(units_in_file())} units in the tree, {changed} added or changed"


SEEDS = [("units", seed_units)]
