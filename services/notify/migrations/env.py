"""Alembic environment of notify (see shared/db/migrate.py)."""

from shared.db.migrate import run_env

run_env("notify")
