"""What notify consumes: topics and the handler of each event type."""

from __future__ import annotations

from services.notify.deliveries.handlers import HANDLERS as DELIVERIES

CONSUMER_NAME = "notify"
SOURCES = ["review"]
HANDLERS = {**DELIVERIES}
