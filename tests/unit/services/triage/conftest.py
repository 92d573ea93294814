"""Fixtures of the triage tests: the review app on a migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture
def review_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.review import create_app

    app = create_app({"TESTING": True}, settings=settings_for("review"))
    yield app
    app.extensions["huhang"].engine.dispose()
