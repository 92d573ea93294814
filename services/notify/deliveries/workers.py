"""Background loops of the notify workers process: the delivery dispatcher."""

from __future__ import annotations

from services.notify.deliveries.dispatcher import build_dispatcher
from shared.config import Settings
from shared.manifest import Loop


def build(settings: Settings) -> list[Loop]:
    """One dispatcher per workers process; several processes claim different rows (SKIP LOCKED)."""
    return [build_dispatcher(settings)]
