"""`huhang db seed` entry of the deadline rules (see shared/manifest.py, part "seeds")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.deadlines.rules import seed_rules


def seed_deadline_rules(session: Session, *, production: bool) -> str:
    """rules.toml → deadline_rules, with the HUHANG_RULE_* settings applied; the same in every environment."""
    return f"{seed_rules(session)} rules from rules.toml"


SEEDS = [("deadline rules", seed_deadline_rules)]
