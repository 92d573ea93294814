"""Alembic operations that create the inbox (processed-event) table of every service.

Called by the platform revision (shared/db/platform_migrations); frozen like every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.db.base


def create_processed_events() -> None:
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("processed_at", shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_processed_events")),
        info={"service": "*"},
    )


def drop_processed_events() -> None:
    op.drop_table("processed_events")
