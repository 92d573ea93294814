"""Recording handled events so a redelivered one has no second effect."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db.base import utcnow
from shared.inbox.models import ProcessedEvent


def mark_processed(session: Session, *, consumer: str, event_id: str, event_type: str) -> bool:
    """Claim an event for this consumer inside the current transaction.

    Returns False when the event was already processed: the caller must then skip the effect.
    A concurrent duplicate blocks on the row (PostgreSQL) or the write lock (SQLite) until the
    first transaction ends, so only one of them ever sees True.
    """
    values = {"consumer": consumer, "event_id": event_id, "event_type": event_type, "processed_at": utcnow()}
    dialect = session.get_bind().dialect.name
    stmt: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(ProcessedEvent).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(ProcessedEvent).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        raise RuntimeError(f"unsupported database {dialect}")
    # RETURNING, not rowcount: an ORM-enabled insert through Session reports rowcount -1.
    return session.execute(stmt.returning(ProcessedEvent.event_id)).first() is not None


def already_processed(session: Session, *, consumer: str, event_id: str) -> bool:
    return session.scalar(
        select(ProcessedEvent.event_id).where(
            ProcessedEvent.consumer == consumer, ProcessedEvent.event_id == event_id
        )
    ) is not None
