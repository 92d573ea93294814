"""审查 review: triage and routing, deadlines and 督办, custody review, 挂案, 首违不罚, 失信, reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings
from shared.web import create_service_app


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    from services.review.triage.views import blp as triage

    return create_service_app(
        "review", title="huhang review 审查", blueprints=[triage], config=config, settings=settings
    )
