"""Who owns the transaction: the caller (a view, a handler, a job, a CLI command), never the service.

Domain services flush and never commit; the edge that called them commits once, here:

    with transaction(db_session()) as session:
        petition = service.register(session, ...)

Success commits.  A `DomainError` with `keeps_writes` (a failed sign-in's counter and audit row:
the refusal *is* a change to record) commits and re-raises; any other exception rolls back and
re-raises, so nothing half-written stays.  Event handlers need none of this: the consumer owns the
batch's transaction (`shared/kafka/consumer.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from shared.errors import DomainError


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit what the block did, keep a refusal's record, roll back anything else."""
    try:
        yield session
    except DomainError as exc:
        if exc.keeps_writes:
            session.commit()
        else:
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    session.commit()
