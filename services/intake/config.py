"""Settings of intake's pages: the public queries' rate limit and lock, the reply commitments they
promise, and the limits on 信访材料 (attachments).

The commitments read the same variables as review's deadline rules (`HUHANG_RULE_<CODE>_<FIELD>`,
services/review/deadlines/rules.toml), so what the receipt and the public pages promise is what
review counts; intake does not import review, it reads the environment both share.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from dataclasses import dataclass, field
from datetime import datetime

from services.intake.duplicates.similarity import THRESHOLD
from shared.routing import UPLOAD_BODY_BYTES
from shared.storage.port import BlobStore

if TYPE_CHECKING:
    from flask import Flask

# Room for the multipart envelope (boundaries, part headers, the petition id) around one file.
MULTIPART_SLACK_BYTES = 64 * 1024
MIB = 1024 * 1024

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

    # Public queries (status and enterprise) one client address may make per window
    # (HUHANG_PUBLIC_STATUS_QUERY_*): 10 a minute (issue 9 point 8).
    status_query_limit: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_LIMIT", 10))
    status_query_window_s: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_WINDOW", 60))
    # Wrong codes for one case number (or credit code) within the lock period that lock its public
    # query for that period, whoever typed them (HUHANG_PUBLIC_STATUS_QUERY_MAX_WRONG, _LOCK).
    status_query_max_wrong: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_MAX_WRONG", 5))
    status_query_lock_s: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_STATUS_QUERY_LOCK", 3600))
    # 网上信访: online petitions one client address may send per window, and the largest body.
    online_petition_limit: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_PETITION_LIMIT", 5))
    online_petition_window_s: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_PETITION_WINDOW", 3600))
    online_petition_max_bytes: int = field(default_factory=lambda: _int("HUHANG_PUBLIC_PETITION_MAX_BYTES", 32 * 1024))
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

    # 信访材料: the largest file, the most bytes and files one petition may hold (HUHANG_ATTACHMENT_*).
    attachment_max_bytes: int = field(default_factory=lambda: _int("HUHANG_ATTACHMENT_MAX_BYTES", 20 * MIB))
    attachment_max_total_bytes: int = field(
        default_factory=lambda: _int("HUHANG_ATTACHMENT_MAX_TOTAL_BYTES", 200 * MIB))
    attachment_max_count: int = field(default_factory=lambda: _int("HUHANG_ATTACHMENT_MAX_COUNT", 50))
    # 重复件 (services/intake/duplicates): how far back an earlier petition of the same person or
    # enterprise is looked for, and the similarity at and above which it is the same matter.
    duplicate_window_days: int = field(default_factory=lambda: _int("HUHANG_DUPLICATE_WINDOW_DAYS", 90))
    duplicate_threshold: float = field(default_factory=lambda: _float("HUHANG_DUPLICATE_THRESHOLD", THRESHOLD))

    @property
    def upload_body_bytes(self) -> int:
        """The request body an upload may send: one file at the limit and its envelope."""
        return self.attachment_max_bytes + MULTIPART_SLACK_BYTES

    def __post_init__(self) -> None:
        if min(self.attachment_max_bytes, self.attachment_max_total_bytes, self.attachment_max_count) < 1:
            raise ValueError("HUHANG_ATTACHMENT_MAX_BYTES, _MAX_TOTAL_BYTES and _MAX_COUNT must be positive")
        if self.upload_body_bytes > UPLOAD_BODY_BYTES:
            raise ValueError(
                f"HUHANG_ATTACHMENT_MAX_BYTES={self.attachment_max_bytes} would not pass the front door's "
                f"{UPLOAD_BODY_BYTES}-byte limit on uploads (shared/routing.py UPLOAD_BODY_BYTES)"
            )
        if self.duplicate_window_days < 0 or not 0 < self.duplicate_threshold <= 1:
            raise ValueError("HUHANG_DUPLICATE_WINDOW_DAYS must be ≥ 0 and HUHANG_DUPLICATE_THRESHOLD in (0, 1]")
        if min(self.online_petition_limit, self.online_petition_window_s, self.online_petition_max_bytes) < 1:
            raise ValueError("HUHANG_PUBLIC_PETITION_LIMIT, _WINDOW and _MAX_BYTES must be positive")
        if min(self.status_query_limit, self.status_query_window_s, self.status_query_max_wrong,
               self.status_query_lock_s) < 1:
            raise ValueError("HUHANG_PUBLIC_STATUS_QUERY_LIMIT, _WINDOW, _MAX_WRONG and _LOCK must be positive")
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


def now() -> datetime:
    """The request's current time: a test may put its own clock (a callable) in the context's extras."""
    from shared.context import get_context
    from shared.db.base import utcnow

    clock = get_context().extras.get("clock", utcnow)
    moment: datetime = clock()
    return moment


def blob_store() -> BlobStore:
    """Where the running app keeps files (built from HUHANG_BLOB_* at start; a test may put its own)."""
    from shared.context import get_context

    store = get_context().extras.get("blob_store")
    if not isinstance(store, BlobStore):
        raise RuntimeError("intake has no blob store: create_app installs one (install_blob_store)")
    return store


def install_blob_store(app: Flask) -> None:
    """The app's blob store from the environment (shared/storage/config.py); production must name one."""
    from shared.storage import build_store, check_configured

    app.extensions["huhang"].extras["blob_store"] = build_store(check_configured("intake"))
