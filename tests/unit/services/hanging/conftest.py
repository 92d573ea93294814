"""Fixtures of the 挂案 tests: the review app over a migrated database, on a frozen day (2026-12-04 Beijing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.support.auth import AuthKeys

#: Friday 2026-12-04, 10:00 in Beijing.
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def review_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.review import create_app

    app = create_app({"TESTING": True}, settings=settings_for("review"))
    yield app
    app.extensions["huhang"].engine.dispose()


Call = Callable[..., Any]


@pytest.fixture
def api(review_app: Flask, test_keys: AuthKeys) -> Call:
    client: FlaskClient = review_app.test_client()

    def call(method: str, path: str, role: str = "prosecutor", unit: str | None = None,
             body: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return client.open(path, method=method, json=body, headers=test_keys.headers(role, unit), **kwargs)

    return call


@pytest.fixture
def upload(review_app: Flask, test_keys: AuthKeys) -> Call:
    client: FlaskClient = review_app.test_client()

    def send(data: bytes, name: str = "cases.xlsx", role: str = "prosecutor", unit: str | None = None) -> Any:
        import io

        return client.post("/api/v1/hanging-cases/imports", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data", headers=test_keys.headers(role, unit))

    return send
