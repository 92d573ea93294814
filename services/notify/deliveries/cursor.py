"""Keyset paging over the delivery log: a page ends at a `(created_at, id)` key, the next one starts below it.

An offset re-reads every row it skips and shifts when a notice arrives between two pages; a key
does neither, so page 40 costs what page 1 does and nothing is shown twice.  Newest first means
`ORDER BY created_at DESC, id DESC` (the id breaks ties between rows of one instant), which the
index `ix_deliveries_listing` serves.  The key travels in the URL as an opaque token: an instant
and a delivery id, no personal data.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_

from services.notify.deliveries.models import Delivery

Q = TypeVar("Q", bound=Select[Any])

NEWEST_FIRST = (Delivery.created_at.desc(), Delivery.id.desc())


class BadCursor(ValueError):
    """A paging token that is not one this module wrote (edited by hand, or cut short)."""


@dataclass(frozen=True)
class Cursor:
    """The position of one delivery in the newest-first order."""

    created_at: datetime
    id: str

    @classmethod
    def of(cls, delivery: Delivery) -> "Cursor":
        return cls(delivery.created_at, delivery.id)

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        """:raise BadCursor: not a token `encode` wrote."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            instant, _, delivery_id = raw.partition("|")
            created_at = datetime.fromisoformat(instant)
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise BadCursor(token) from exc
        if created_at.tzinfo is None or not delivery_id or len(delivery_id) > 36:
            raise BadCursor(token)
        return cls(created_at, delivery_id)


def newest_first(query: Q, after: Cursor | None) -> Q:
    """`query` in newest-first order, starting below `after` (None: from the newest)."""
    query = query.order_by(*NEWEST_FIRST)
    if after is None:
        return query
    return query.where(or_(
        Delivery.created_at < after.created_at,
        and_(Delivery.created_at == after.created_at, Delivery.id < after.id),
    ))
