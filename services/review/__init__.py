"""审查 review: triage and routing, deadlines and 督办, custody review, 挂案, 首违不罚, 失信, reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from shared.config import Settings
from shared.web import create_service_app


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    from services.review.identity.accounts.views import blp as auth
    from services.review.identity.accounts.views import resolve_cookie
    from services.review.deadlines.views import blp as deadlines
    from services.review.triage.views import blp as triage
    from services.review.identity.units.views import blp as units

    app = create_service_app(
        "review", title="huhang review 审查", blueprints=[triage, auth, units, deadlines], config=config, settings=settings
    )
    app.extensions["huhang_auth"].session_resolver = resolve_cookie  # web sessions live in review
    return app
