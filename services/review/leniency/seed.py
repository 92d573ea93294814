"""`huhang db seed` entry of the 首违不罚 lists (see shared/manifest.py, part "seeds")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.leniency import catalogue


def seed_lists(session: Session, *, production: bool) -> str:
    """services/review/leniency/lists/*.toml → leniency_lists; versions already loaded are kept as they are."""
    return f"{catalogue.seed(session)} new list version(s) from services/review/leniency/lists"


SEEDS = [("首违不罚 lists", seed_lists)]
