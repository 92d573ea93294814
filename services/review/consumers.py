"""What review consumes: topics and the handler of each event type."""

from __future__ import annotations

from services.review.triage.handlers import HANDLERS as TRIAGE

CONSUMER_NAME = "review"
SOURCES = ["intake"]
HANDLERS = {**TRIAGE}
