"""Fixtures of the page tests: review's seeded app and its clock (tests/unit/auth/conftest.py), and a browser-like client."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.unit.auth.conftest import Clock, clock, review_app, review_client, seeded_review_db  # noqa: F401

DEMO_PASSWORD = "Demo!2026huhang"


def soup(html: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def csrf_of(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on `path` (GET it first, as a browser would; the cookie is kept)."""
    page = client.get(path)
    field = soup(page.data).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF field on {path}"
    return str(field["value"])


def sign_in(client: FlaskClient, username: str, *, password: str = DEMO_PASSWORD, totp: str | None = None,
            next_path: str = "/") -> None:
    token = csrf_of(client, "/signin")
    form = {"csrf_token": token, "username": username, "password": password, "next": next_path}
    if totp:
        form["totp"] = totp
    answer = client.post("/signin", data=form, headers={"Origin": "http://localhost"})
    assert answer.status_code == 303, answer.data.decode()[:2000]


def assert_no_inline_code(html: str) -> None:
    """The CSP allows no inline script or style: the HTML must not need any."""
    page = soup(html)
    assert not [s for s in page.find_all("script") if not s.get("src")], "inline <script>"
    assert not page.find_all(attrs={"style": True}), "style= attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
