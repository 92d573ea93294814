"""通知 notify: turns events into messages (staff inbox, SMS, email, webhooks) and logs deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """The notify API, built from its domain manifest (services/notify/domains.py)."""
    from services.notify.domains import MANIFEST
    from shared.web.app import create_app_from

    return create_app_from(MANIFEST, config=config, settings=settings)
