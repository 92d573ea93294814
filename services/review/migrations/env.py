"""Alembic environment of review (see shared/db/migrate.py)."""

from shared.db.migrate import run_env

run_env("review")
