"""通知 notify: turns events into messages (staff inbox, SMS, email, webhooks) and logs deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings
from shared.web import create_service_app


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    from services.notify.deliveries.views import blp as deliveries

    return create_service_app(
        "notify", title="huhang notify 通知", blueprints=[deliveries], config=config, settings=settings
    )
