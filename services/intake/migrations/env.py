"""Alembic environment of intake (see shared/db/migrate.py)."""

from shared.db.migrate import run_env

run_env("intake")
