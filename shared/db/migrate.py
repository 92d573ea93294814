"""Alembic, per service: each service's migrations touch only the tables it owns.

A service's revisions are the platform branch (`shared/db/platform_migrations`: outbox, inbox,
idempotency keys, audit log — the same in every service) plus one branch per domain, in the
domain's own `migrations/` folder, labelled with the domain's name (`triage_0002_units`).  The
folders come from the service's manifest (`shared.manifest`), so a new domain's migrations are
found without touching this file.  Tables say who owns them in `info["service"]`; `"*"` is in
every service's database.  Each service records its versions in `alembic_version_<service>`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import engine_from_config, pool, text

from shared import registry
from shared.db.base import Base

# An arbitrary constant of our own: the advisory lock that serialises concurrent migrations.
_MIGRATION_LOCK_KEY = 0x68756861  # "huha"
_HERE = Path(__file__).resolve().parent
SCRIPT_LOCATION = _HERE / "alembic"
PLATFORM_MIGRATIONS = _HERE / "platform_migrations"


def alembic_config(service: str, url: str) -> Config:
    """The Alembic configuration of one registered service against `url`."""
    manifest = registry.manifest(service)
    locations = [PLATFORM_MIGRATIONS, *manifest.migration_locations()]
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    # os.pathsep-separated: folder names never contain it.
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["service"] = service
    return cfg


def upgrade(service: str, url: str, revision: str = "heads") -> None:
    # "heads": the platform branch and every domain's branch each have their own head.
    command.upgrade(alembic_config(service, url), revision)


def _owned_by(service: str) -> Any:
    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table":
            owner = obj.info.get("service") if hasattr(obj, "info") else None
            return owner in (service, "*")
        return True

    return include_object


def run_env() -> None:
    """The body of shared/db/alembic/env.py (online mode only)."""
    config = context.config
    service: str = config.attributes["service"]
    registry.manifest(service).import_models()
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
