"""Alembic operations that create the idempotency-key table of every service.

Called by the platform revision (shared/db/platform_migrations); frozen like every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.db.base


def create_idempotency_keys() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_keys")),
        info={"service": "*"},
    )


def drop_idempotency_keys() -> None:
    op.drop_table("idempotency_keys")
