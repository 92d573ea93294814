"""Reading the delivery log for the pages, scoped by unit: a filtered page, counts per status, one
delivery with its attempts, and the deliveries of one petition.

Every query goes through `shared.auth.scope` with the caller's principal, so a delivery of a unit
the caller may not see is never loaded: reading it by id is a 404, as for one that does not exist.
The API's offset list (`service.list_`) stays as it is; the pages page by key (`cursor.py`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.notify.deliveries.attempts import DeliveryAttempt
from services.notify.deliveries.cursor import Cursor, newest_first
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.states import DeliveryStatus
from shared.auth import Principal, scope
from shared.calendar.clock import beijing_midnight
from shared.errors import NotFound

SUBJECT_PANEL_LIMIT = 20


class DeliveryNotFound(NotFound):
    code = "delivery_not_found"
    message_zh = "未找到该送达记录"
    message_en = "No such delivery"


@dataclass(frozen=True)
class DeliveryFilters:
    """What the list may be narrowed to; dates are days in Beijing time, both ends included."""

    status: str | None = None
    channel: str | None = None
    subject: str | None = None
    since: _dt.date | None = None
    until: _dt.date | None = None


@dataclass(frozen=True)
class DeliveryPage:
    rows: list[Delivery]
    # Where the next page starts; None on the last page.
    next: Cursor | None


def _filtered(query: Select[Any], filters: DeliveryFilters, principal: Principal | None, *,
              with_status: bool = True) -> Select[Any]:
    query = scope(query, Delivery.unit_code, principal)
    if with_status and filters.status is not None:
        query = query.where(Delivery.status == filters.status)
    if filters.channel is not None:
        query = query.where(Delivery.channel == filters.channel)
    if filters.subject is not None:
        query = query.where(Delivery.subject == filters.subject)
    if filters.since is not None:
        query = query.where(Delivery.created_at >= beijing_midnight(filters.since))
    if filters.until is not None:
        query = query.where(Delivery.created_at < beijing_midnight(filters.until + _dt.timedelta(days=1)))
    return query


def page(
    session: Session, *, filters: DeliveryFilters, principal: Principal | None, after: Cursor | None = None,
    limit: int = 50,
) -> DeliveryPage:
    """One page of deliveries matching `filters`, newest first, starting below `after`."""
    query = newest_first(_filtered(select(Delivery), filters, principal), after).limit(limit + 1)
    rows = list(session.scalars(query))
    # One row more than shown says whether there is a next page, without a count.
    if len(rows) > limit:
        rows = rows[:limit]
        return DeliveryPage(rows, Cursor.of(rows[-1]))
    return DeliveryPage(rows, None)


def counts_by_status(session: Session, *, filters: DeliveryFilters, principal: Principal | None) -> dict[str, int]:
    """How many deliveries of each status match `filters` (its `status` ignored); every status present."""
    query = _filtered(select(Delivery.status, func.count()), filters, principal, with_status=False)
    found = {status: int(n) for status, n in session.execute(query.group_by(Delivery.status)).tuples()}
    counts = {status.value: found.pop(status.value, 0) for status in DeliveryStatus}
    counts.update(found)  # a status the state machine no longer knows still shows up
    return counts


def get_or_raise(session: Session, delivery_id: str, *, principal: Principal | None) -> Delivery:
    """:raise DeliveryNotFound: no such delivery, or one of a unit `principal` may not see (same answer)."""
    query = scope(select(Delivery).where(Delivery.id == delivery_id), Delivery.unit_code, principal)
    delivery = session.scalars(query).first()
    if delivery is None:
        raise DeliveryNotFound(delivery_id=delivery_id)
    return delivery


def attempts_of(session: Session, delivery: Delivery) -> list[DeliveryAttempt]:
    """The attempt log of one delivery (already read through `get_or_raise`), first try first."""
    query = select(DeliveryAttempt).where(DeliveryAttempt.delivery_id == delivery.id)
    return list(session.scalars(query.order_by(DeliveryAttempt.attempt_no)))


def of_subject(
    session: Session, subject: str, *, principal: Principal | None, limit: int = SUBJECT_PANEL_LIMIT
) -> DeliveryPage:
    """The newest deliveries of one petition (`subject`); `next` set when there are more than `limit`."""
    return page(session, filters=DeliveryFilters(subject=subject), principal=principal, limit=limit)
