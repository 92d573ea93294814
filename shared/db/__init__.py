"""Database base: one declarative base, UTC timestamps, engines and sessions for every service."""

from shared.db.base import Base, TimestampMixin, UTCDateTime, new_uuid, utcnow
from shared.db.engine import is_postgres, make_engine, make_session_factory

__all__ = [
    "Base",
    "TimestampMixin",
    "UTCDateTime",
    "is_postgres",
    "make_engine",
    "make_session_factory",
    "new_uuid",
    "utcnow",
]
