"""Settings of intake's pages: the public status query's rate limit, and the reply commitments it promises.

The commitments read the same variables as review's deadline rules (`HUHANG_RULE_<CODE>_<FIELD>`,
services/review/deadlines/rules.toml), so what the receipt and the public pages promise is what
review counts; intake does not import review, it reads the environment both share.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from services.intake.duplicates.similarity import THRESHOLD

UNITS = ("day", "working_day", "month")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


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

    # 重复件 (services/intake/duplicates): how far back an earlier petition of the same person or
    # enterprise is looked for, and the similarity at and above which it is the same matter.
    duplicate_window_days: int = field(default_factory=lambda: _int("HUHANG_DUPLICATE_WINDOW_DAYS", 90))
    duplicate_threshold: float = field(default_factory=lambda: _float("HUHANG_DUPLICATE_THRESHOLD", THRESHOLD))

    def __post_init__(self) -> None:
        if self.duplicate_window_days < 0 or not 0 < self.duplicate_threshold <= 1:
            raise ValueError("HUHANG_DUPLICATE_WINDOW_DAYS must be ≥ 0 and HUHANG_DUPLICATE_THRESHOLD in (0, 1]")
        if self.status_query_limit < 1 or self.status_query_window_s < 1:
            raise ValueError("HUHANG_PUBLIC_STATUS_QUERY_LIMIT and _WINDOW must be positive")
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
