"""Fixtures of the page tests: review's seeded app and its clock (tests/unit/auth/conftest.py), and a browser-like client."""

from __future__ import annotations

import datetime as _dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from services.review.identity.accounts.models import StaffAccount
from services.review.identity.accounts.totp import code_at
from shared.audit.models import AuditEntry
from shared.calendar import beijing_date
from shared.db.engine import make_engine, make_session_factory
from tests.unit.auth.conftest import Clock, clock, review_app_on, review_client, seeded_review_db  # noqa: F401

DEMO_PASSWORD = "Demo!2026huhang"
# The demo accounts' TOTP secrets (services/review/identity/accounts/demo.py; public, demo only).
TOTP_SECRETS = {"demo-admin": "HUHANGDEMOADMINSECRETONLYFORDEMO", "demo-taskforce": "HUHANGDEMOTASKFORCEONLYFORDEMOXX"}
SAME_ORIGIN = {"Origin": "http://localhost"}


def soup(html: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def csrf_of(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on `path` (GET it first, as a browser would; the cookie is kept)."""
    page = client.get(path)
    field = soup(page.data).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF field on {path}"
    return str(field["value"])


def totp(username: str, clock: Clock) -> str:
    """The demo account's TOTP code now (a code is usable once: move the clock 30 s for the next)."""
    return code_at(TOTP_SECRETS[username], clock())


def sign_in(client: FlaskClient, username: str, *, password: str = DEMO_PASSWORD, totp: str | None = None,
            next_path: str = "/") -> None:
    token = csrf_of(client, "/signin")
    form = {"csrf_token": token, "username": username, "password": password, "next": next_path}
    if totp:
        form["totp"] = totp
    answer = client.post("/signin", data=form, headers=SAME_ORIGIN)
    assert answer.status_code == 303, answer.data.decode()[:2000]


def post_form(client: FlaskClient, path: str, data: dict[str, Any] | None = None, *, form_on: str | None = None,
              headers: dict[str, str] | None = None) -> TestResponse:
    """POST as the browser does: the token of the page holding the form (`form_on`, else `path`), same origin."""
    token = csrf_of(client, form_on or path)
    return client.post(path, data={"csrf_token": token, **(data or {})}, headers={**SAME_ORIGIN, **(headers or {})})


def account(app: Flask, username: str) -> StaffAccount:
    with app.extensions["huhang"].session_factory() as session:
        row = session.scalars(select(StaffAccount).where(StaffAccount.username == username)).one()
        session.expunge(row)
        return row


def audit_rows(app: Flask, action: str | None = None) -> list[AuditEntry]:
    with app.extensions["huhang"].session_factory() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


@pytest.fixture
def today(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> _dt.date:
    """Freeze "today" (every `beijing_today()`) at the test clock's Beijing date: 2026-11-27, a Friday."""
    monkeypatch.setattr("shared.calendar.clock.utcnow", clock)
    return beijing_date(clock())


def assert_no_inline_code(html: str) -> None:
    """The CSP allows no inline script or style: the HTML must not need any."""
    page = soup(html)
    assert not [s for s in page.find_all("script") if not s.get("src")], "inline <script>"
    assert not page.find_all("style"), "<style> element"
    assert not page.find_all(attrs={"style": True}), "style= attribute"
    handlers = [f"<{t.name} {a}>" for t in page.find_all(True) for a in t.attrs if a.lower().startswith("on")]
    assert not handlers, f"inline event handler: {handlers}"
    urls = [str(t) for t in page.find_all(True) for a in ("href", "src", "action", "formaction")
            if str(t.get(a, "")).strip().lower().startswith("javascript:")]
    assert not urls, f"javascript: URL: {urls}"


def unlabelled_fields(html: str) -> list[str]:
    """Every input, select and textarea a person cannot tell the purpose of: not hidden, and neither a
    `<label for>` naming its id nor a `<label>` around it."""
    page = soup(html)
    targets = {str(label["for"]) for label in page.find_all("label") if label.get("for")}
    missing = []
    for field in page.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type") in ("hidden", "submit", "button", "reset", "image"):
            continue
        if field.get("id") in targets or field.find_parent("label") is not None:
            continue
        missing.append(str(field)[:120])
    return missing


def assert_page(response: TestResponse, *, status: int = 200, case_data: bool = False) -> BeautifulSoup:
    """What every page must be: HTML in Chinese, under the CSP, no inline code, every field labelled;
    a page with case or personal data is never stored by a cache."""
    assert response.status_code == status, response.data.decode()[:1500]
    assert response.mimetype == "text/html"
    html = response.data.decode()
    assert re.search(r"<html lang=\"zh-CN\">", html), "no <html lang=zh-CN>"
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
    assert "unsafe-inline" not in csp
    assert_no_inline_code(html)
    assert unlabelled_fields(html) == []
    if case_data:
        assert response.headers.get("Cache-Control") == "no-store"
    return soup(html)


QUEUE_UNITS = ("NY-JCY-KS", "NY-JCY-WC", "NY-FY-SF")  # 控申 and 宛城区院 take 12309, 中院诉服 12368
CHANNELS = ("信", "访", "网", "电")
PAUSED = (9, 40, 100)  # every clock of these is suspended (中止): no due date
MET = (12,)  # every 期限 of these met: no open deadline


@pytest.fixture(scope="session")
def queued_review_db(seeded_review_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded database plus 120 triaged petitions over three units, received over the 46 days
    before the clock's day (so due dates run from weeks overdue to next week), every channel, both
    kinds, three statuses; some paused, one met.  Built once: the clock's day is fixed."""
    from tests.unit.portal import factories

    path = tmp_path_factory.mktemp("queued") / "review.db"
    shutil.copy(seeded_review_db, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = make_session_factory(engine)
    day = beijing_date(Clock()())
    petitions, statuses = [], {}
    for i in range(120):
        unit = QUEUE_UNITS[i % 3]
        p = factories.petition(number=i, unit_code=unit, line="12368" if unit == "NY-FY-SF" else "12309",
                               channel=CHANNELS[i % 4], is_enterprise=i % 5 != 0,
                               received_on=day - _dt.timedelta(days=(i * 7) % 46))
        petitions.append(p)
        if i % 10 in (3, 7):
            statuses[p.petition_id] = "routed" if i % 10 == 3 else "closed"
    factories.add(sessions, petitions, statuses=statuses)
    for i in PAUSED:
        factories.pause(sessions, petitions[i].petition_id)
    for i in MET:
        factories.meet(sessions, petitions[i].petition_id, at=Clock()())
    engine.dispose()
    return path


@pytest.fixture
def review_app(request: pytest.FixtureRequest, seeded_review_db: Path, tmp_path: Path,
               clock: Clock) -> Iterator[Flask]:
    """review's app (tests/unit/auth/conftest.py); over the queued database when the test asks for `queue_items`."""
    source = request.getfixturevalue("queued_review_db") if "queue_items" in request.fixturenames else seeded_review_db
    with review_app_on(source, tmp_path, clock) as app:
        yield app


@pytest.fixture
def queue_items(review_app: Flask, today: _dt.date) -> list[Any]:
    """The triage items of `queued_review_db`, with their nearest open due dates; "today" is frozen."""
    from tests.unit.portal import factories

    assert today == beijing_date(Clock()())
    return factories.made(review_app.extensions["huhang"].session_factory)
