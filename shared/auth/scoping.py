"""Unit scoping in queries: a user reads the records of their unit and the units below it.

Used in service-layer queries, so that a record of another unit is never loaded: `get` of such a
record is a 404, exactly as for a record that does not exist (existence is not revealed).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, false

from shared.auth.principal import Principal

Q = TypeVar("Q", bound=Select[Any])


def scope(query: Q, column: Any, principal: Principal | None) -> Q:
    """`query` narrowed to the rows whose `column` (a unit code) the principal may see.

    `principal=None` means a system caller (an event handler), which sees everything; web views
    always pass the request's principal.
    """
    if principal is None or principal.visible_units is None:
        return query
    if not principal.visible_units:
        return query.where(false())
    return query.where(column.in_(sorted(principal.visible_units)))


def can_see(principal: Principal | None, unit_code: str | None) -> bool:
    """Whether one record of `unit_code` is visible (for rows already loaded by key)."""
    if principal is None or principal.visible_units is None:
        return True
    return unit_code is not None and unit_code in principal.visible_units
