"""Fixtures of notify's page tests: the app, its database, and browsers signed in as anyone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from tests.support.auth import AuthKeys
from tests.support.pages import csrf_token, soup


@pytest.fixture
def notify_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.notify import create_app

    app = create_app({"TESTING": True}, settings=settings_for("notify"))
    yield app
    app.extensions["huhang"].engine.dispose()


@pytest.fixture
def notify_db(notify_app: Flask) -> sessionmaker[Session]:
    """Sessions on the app's own database (what the pages read)."""
    factory: sessionmaker[Session] = notify_app.extensions["huhang"].session_factory
    return factory


@dataclass
class Browser:
    """A test client signed in as one person (a bearer token), that knows how to send a page's form."""

    client: FlaskClient

    def get(self, path: str, **kw: Any) -> TestResponse:
        return self.client.get(path, **kw)

    def post_form(self, page: str, action: str, data: dict[str, str] | None = None, *, csrf: bool = True) -> TestResponse:
        """GET `page` (which sets the CSRF cookie), then POST `data` to `action` with the page's token."""
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = csrf_token(soup(self.get(page)))
        return self.client.post(action, data=form)


@pytest.fixture
def browser(notify_app: Flask, test_keys: AuthKeys) -> Callable[..., Browser]:
    """`browser("triage_officer", unit=None, username=None)`: a new client signed in as that person."""

    def make(role: str | None, unit: str | None = None, *, username: str | None = None) -> Browser:
        client = notify_app.test_client()
        if role is not None:
            claims: dict[str, Any] = {"username": username} if username else {}
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {test_keys.token(role, unit, **claims)}"
        return Browser(client)

    return make
