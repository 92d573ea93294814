"""What intake consumes (nothing yet: it is where petitions enter)."""

from __future__ import annotations

from typing import Any

CONSUMER_NAME = "intake"
SOURCES: list[str] = []
HANDLERS: dict[str, Any] = {}
