"""The Alembic environment of every service (see shared/db/migrate.py): online mode only."""

from shared.db.migrate import run_env

run_env()
