"""Settings of intake's pages: the public queries' rate limit and lock, and the reply commitments they promise.

The commitments read the same variables as review's deadline rules (`HUHANG_RULE_<CODE>_<FIELD>`,
services/review/deadlines/rules.toml), so what the receipt and the public pages promise is what
review counts; intake does not import review, it reads the environment both share.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

UNITS = ("day", "working_day", "month")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _unit(name: str, default: str) -> str:
    value = os.environ.get(name) or default
    if value not in UNITS:
        raise ValueError(f"{name} must be one of {', '.join(UNITS)}, not {value!r}")
    return value


@dataclass(frozen=True)
class IntakeSettings:
    """What intake's pages need to know beyond `shared.config.Settings`."""

    # Public queries (status and enterprise) one client address may make per window
    # (HUHANG_PUBLIC_STATUS_QUERY_*): 10 a minute (issue 9 point 8).
    status_query_limit: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_LIMIT", 10))
    status_query_window_s: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_WINDOW", 60))
    # Wrong codes for one case number (or credit code) within the lock period that lock its public
    # query for that period, whoever typed them (HUHANG_PUBLIC_STATUS_QUERY_MAX_WRONG, _LOCK).
    status_query_max_wrong: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_MAX_WRONG", 5))
    status_query_lock_s: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_LOCK", 3600))
    # Where the public reaches the status query, as printed on the receipt; empty: this site.
    public_url: str = field(default_factory=lambda: os.environ.get("HUHANG_PUBLIC_URL", ""))
    # RULES §1: "7日" or "7个工作日" is unsettled (review's rule 12309.procedural_reply).
    procedural_reply_unit: str = field(
        default_factory=lambda: _unit("HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT", "day"))
    # RULES §2: no national limit for a 12368 work order (review's rule court_12368.work_order).
    work_order_amount: int = field(default_factory=lambda: _int("HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT", 2))
    work_order_unit: str = field(
        default_factory=lambda: _unit("HUHANG_RULE_COURT_12368_WORK_ORDER_UNIT", "working_day"))

    def __post_init__(self) -> None:
        if min(self.status_query_limit, self.status_query_window_s, self.status_query_max_wrong,
               self.status_query_lock_s) < 1:
            raise ValueError("HUHANG_PUBLIC_STATUS_QUERY_LIMIT, _WINDOW, _MAX_WRONG and _LOCK must be positive")
        if self.work_order_amount < 1:
            raise ValueError("HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT must be positive")


def current() -> IntakeSettings:
    """The running app's settings (built once per app; a test may put its own in the context's extras)."""
    from shared.context import get_context

    extras = get_context().extras
    settings = extras.get("intake_settings")
    if not isinstance(settings, IntakeSettings):
        settings = extras["intake_settings"] = IntakeSettings()
    return settings


def now() -> datetime:
    """The request's current time: a test may put its own clock (a callable) in the context's extras."""
    from shared.context import get_context
    from shared.db.base import utcnow

    clock = get_context().extras.get("clock", utcnow)
    moment: datetime = clock()
    return moment
