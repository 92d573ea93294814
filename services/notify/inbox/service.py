"""A person's staff inbox: their notices newest first with the read mark, the unread count, and marking read.

Plain functions over the caller's session; the marks are flushed, never committed (the view's
`transaction` commits).  Marking read is idempotent: a second mark of the same notice changes
nothing, keeps the first `read_at` and writes no second audit row.  Each mark that changed
something is audited (`inbox.read`, `inbox.read_all`) like every other change notify makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.notify.channels.staff_inbox import STAFF_INBOX
from services.notify.deliveries.cursor import Cursor, newest_first
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.states import DeliveryStatus
from services.notify.inbox.addresses import addressed_to
from services.notify.inbox.models import InboxRead
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.db.base import UTCDateTime, utcnow
from shared.errors import NotFound

PANEL_SIZE = 5


class NoticeNotFound(NotFound):
    code = "notice_not_found"
    message_zh = "您的通知中没有这一条"
    message_en = "No such notice in your inbox"


@dataclass(frozen=True)
class Notice:
    """One notice of a person's inbox: the delivery and when they read it (None: unread)."""

    delivery: Delivery
    read_at: datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True)
class InboxPage:
    notices: list[Notice]
    next: Cursor | None  # where the next page starts; None on the last page


def _principal(actor: Actor) -> Principal:
    # A system actor would see every inbox; only a signed-in person has one.
    if actor.principal is None:
        raise NoticeNotFound("only a signed-in member of staff has an inbox")
    return actor.principal


def _inbox(principal: Principal, *columns: Any) -> Select[Any]:
    """The person's notices: staff-inbox deliveries addressed to them that have reached the inbox."""
    read = and_(InboxRead.delivery_id == Delivery.id, InboxRead.username == principal.username)
    return (
        select(*columns)
        .select_from(Delivery)
        .outerjoin(InboxRead, read)
        .where(Delivery.channel == STAFF_INBOX, Delivery.status == DeliveryStatus.SENT.value, addressed_to(principal))
    )


def page(
    session: Session, *, actor: Actor, after: Cursor | None = None, unread_only: bool = False, limit: int = 50
) -> InboxPage:
    """One page of the actor's notices, newest first, starting below `after`."""
    query = _inbox(_principal(actor), Delivery, InboxRead.read_at)
    if unread_only:
        query = query.where(InboxRead.read_at.is_(None))
    rows = [Notice(d, read_at) for d, read_at in session.execute(newest_first(query, after).limit(limit + 1)).tuples()]
    if len(rows) > limit:
        rows = rows[:limit]
        return InboxPage(rows, Cursor.of(rows[-1].delivery))
    return InboxPage(rows, None)


def unread_count(session: Session, *, actor: Actor) -> int:
    """How many of the actor's notices they have not marked read."""
    query = _inbox(_principal(actor), func.count()).where(InboxRead.read_at.is_(None))
    return int(session.scalar(query) or 0)


def newest(session: Session, *, actor: Actor) -> Cursor | None:
    """The key of the actor's newest notice: "mark all read" marks up to it, not past what was shown."""
    query = newest_first(_inbox(_principal(actor), Delivery.created_at, Delivery.id), None).limit(1)
    row = session.execute(query).first()
    return None if row is None else Cursor(row[0], row[1])


def _insert_marks(session: Session, rows: Select[Any]) -> int:
    """INSERT the (username, delivery_id, read_at) rows selected, skipping marks that exist; how many were new.

    ON CONFLICT DO NOTHING rather than check-then-insert: two tabs marking the same notice at the
    same moment must not fail on the primary key.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(InboxRead).from_select(["username", "delivery_id", "read_at"], rows).on_conflict_do_nothing()
        # SQLAlchemy keeps the driver's rowcount of an INSERT only when asked (psycopg then says -1).
        .execution_options(preserve_rowcount=True)
    )
    result = session.connection().execute(statement)
    return max(int(result.rowcount), 0)


def mark_read(session: Session, *, delivery_id: str, actor: Actor) -> bool:
    """Mark one of the actor's notices read; True if it was unread (and the change is audited).

    :raise NoticeNotFound: no such notice in the actor's inbox (another person's, another unit's,
        not a staff-inbox delivery, or none at all: the same answer).
    """
    principal = _principal(actor)
    query = _inbox(principal, Delivery.id, InboxRead.read_at).where(Delivery.id == delivery_id)
    found = session.execute(query).first()
    if found is None:
        raise NoticeNotFound(delivery_id=delivery_id)
    if found.read_at is not None:
        return False
    now = utcnow()
    marks = select(literal(principal.username), literal(delivery_id), literal(now, UTCDateTime()))
    if not _insert_marks(session, marks):
        return False  # marked a moment ago by another request of the same person
    record(session, action="inbox.read", subject_type="delivery", subject_id=delivery_id,
           before={"read": False}, after={"read": True, "read_at": now.isoformat()}, **actor.fields())
    return True


def mark_all_read(session: Session, *, actor: Actor, through: Cursor | None = None) -> int:
    """Mark every unread notice of the actor read, up to `through` (the newest the page showed); how many.

    `through` keeps a notice that arrived after the page was drawn unread: the person has not seen it.
    One audit row for the lot (`inbox.read_all`, with the count).
    """
    principal = _principal(actor)
    now = utcnow()
    marks = _inbox(principal, literal(principal.username), Delivery.id, literal(now, UTCDateTime())).where(
        InboxRead.read_at.is_(None))
    if through is not None:
        marks = marks.where(or_(
            Delivery.created_at < through.created_at,
            and_(Delivery.created_at == through.created_at, Delivery.id <= through.id),
        ))
    # One order for every writer: two tabs marking all at once lock the same rows in the same order.
    marked = _insert_marks(session, marks.order_by(Delivery.id))
    if marked:
        record(session, action="inbox.read_all", subject_type="inbox", subject_id=principal.username,
               after={"marked": marked, "read_at": now.isoformat()},
               detail={"through": through.id if through else None}, **actor.fields())
    return marked


def panel(session: Session, *, actor: Actor, size: int = PANEL_SIZE) -> tuple[int, list[Notice]]:
    """The unread count and the newest `size` unread notices: the panel on review's home page."""
    return unread_count(session, actor=actor), page(session, actor=actor, unread_only=True, limit=size).notices
