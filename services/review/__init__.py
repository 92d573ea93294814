"""审查 review: triage and routing, deadlines and 督办, custody review, 挂案, 首违不罚, 失信, reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """The review API, built from its domain manifest (services/review/domains.py)."""
    from services.review.domains import MANIFEST
    from shared.web.app import create_app_from

    return create_app_from(MANIFEST, config=config, settings=settings)
