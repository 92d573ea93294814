"""Settings of intake's pages: the public status query's rate limit, and the reply commitments it promises.

The commitments read the same variables as review's deadline rules (`HUHANG_RULE_<CODE>_<FIELD>`,
services/review/deadlines/rules.toml), so what the receipt and the public pages promise is what
review counts; intake does not import review, it reads the environment both share.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

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

    # Status queries one client address may make per window (HUHANG_PUBLIC_STATUS_QUERY_*).
    status_query_limit: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_LIMIT", 10))
    status_query_window_s: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_WINDOW", 900))
    # Where the public reaches the status query, as printed on the receipt; empty: this site.
    public_url: str = field(default_factory=lambda: os.environ.get("HUHANG_PUBLIC_URL", ""))
    # RULES §1: "7日" or "7个工作日" is unsettled (review's rule 12309.procedural_reply).
    procedural_reply_unit: str = field(
        default_factory=lambda: _unit("HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT", "day"))
    # RULES §2: no national limit for a 12368 work order (review's rule court_12368.work_order).
    work_order_amount: int = field(default_factory=lambda: _int("HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT", 2))
    work_order_unit: str = field(
        default_factory=lambda: _unit("HUHANG_RULE_COURT_12368_WORK_ORDER_UNIT", "working_day"))
    # RULES §2: 涉企立案绿色通道 is local practice (许昌 快立快分快审), not a national rule, so the
    # time from the flag to 立案 under a granted green channel is a setting (unconfirmed default).
    green_channel_amount: int = field(default_factory=lambda: _int("HUHANG_RULE_COURT_GREEN_CHANNEL_AMOUNT", 3))
    green_channel_unit: str = field(
        default_factory=lambda: _unit("HUHANG_RULE_COURT_GREEN_CHANNEL_UNIT", "working_day"))

    def __post_init__(self) -> None:
        if self.status_query_limit < 1 or self.status_query_window_s < 1:
            raise ValueError("HUHANG_PUBLIC_STATUS_QUERY_LIMIT and _WINDOW must be positive")
        if self.work_order_amount < 1:
            raise ValueError("HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT must be positive")
        if self.green_channel_amount < 1:
            raise ValueError("HUHANG_RULE_COURT_GREEN_CHANNEL_AMOUNT must be positive")


def current() -> IntakeSettings:
    """The running app's settings (built once per app; a test may put its own in the context's extras)."""
    from shared.context import get_context

    extras = get_context().extras
    settings = extras.get("intake_settings")
    if not isinstance(settings, IntakeSettings):
        settings = extras["intake_settings"] = IntakeSettings()
    return settings
