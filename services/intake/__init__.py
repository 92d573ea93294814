"""受理 intake: petitions from 12309 and 12368 through 信、访、网、电."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """The intake API, built from its domain manifest (services/intake/domains.py)."""
    from services.intake.domains import MANIFEST
    from shared.web.app import create_app_from

    return create_app_from(MANIFEST, config=config, settings=settings)
