"""Seed of the demo accounts (`huhang db seed`): development only, printed for `make up`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.identity.accounts import admin
from services.review.identity.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from shared.auth.config import AuthSettings
from shared.db.base import utcnow


def seed_demo_accounts(session: Session, *, production: bool) -> str:
    """Create the missing demo accounts (flushes; `huhang db seed` commits) and say what they are."""
    created = admin.seed_demo(
        session, now=utcnow(), secret_key=AuthSettings().effective_secret(), production=production
    )
    if production:
        return "none (HUHANG_ENV=production; any left over are disabled)"
    lines = [f"{len(created)} created; DEMO ONLY, password {DEMO_PASSWORD} for every one:"]
    for demo in DEMO_ACCOUNTS:
        secret = f"  TOTP secret {demo.totp_secret}" if demo.totp_secret else ""
        lines.append(f"    {demo.username:<15} {','.join(demo.roles):<15} {demo.unit_code:<10} {demo.display_name}{secret}")
    return "\n".join(lines)


SEEDS = [("demo accounts", seed_demo_accounts)]
