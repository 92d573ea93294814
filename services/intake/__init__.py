"""受理 intake: petitions from 12309 and 12368 through 信、访、网、电."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings
from shared.web import create_service_app


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    from services.intake.petitions.views import blp as petitions
    from shared.keyring import check_configured

    check_configured(("pii", "pii_index"))  # production: petitioners' numbers need explicit keys

    return create_service_app(
        "intake", title="huhang intake 受理", blueprints=[petitions], config=config, settings=settings
    )
