"""Alembic, per service: each service's migrations touch only the tables it owns.

Tables say who owns them in `info["service"]`; `"*"` (outbox, inbox, idempotency keys) is in
every service's database.  Each service records its version in `alembic_version_<service>`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import engine_from_config, pool, text

from shared.db.base import Base


# An arbitrary constant of our own: the advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK_KEY = 0x68756861  # "huha"


def alembic_config(service: str, url: str) -> Config:
    import importlib

    package = importlib.import_module(f"services.{service}")
    location = Path(package.__file__ or "").parent / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["service"] = service
    return cfg


def upgrade(service: str, url: str, revision: str = "heads") -> None:
    # "heads": independent branches (one per domain package) may each add their own revisions.
    command.upgrade(alembic_config(service, url), revision)


def _owned_by(service: str) -> Any:
    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table":
            owner = obj.info.get("service") if hasattr(obj, "info") else None
            return owner in (service, "*")
        return True

    return include_object


def run_env(service: str) -> None:
    """The body of every service's migrations/env.py (online mode only)."""
    import importlib

    importlib.import_module(f"services.{service}.models")
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    connectable = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_object=_owned_by(service),
            version_table=f"alembic_version_{service}",
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Several pods (or `make up` twice) may migrate at once: the second waits here,
                # then finds the version table already at head. Released at commit.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            context.run_migrations()
