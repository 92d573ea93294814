"""Every page review serves, in each state a person meets it, holds to the same rules (assert_page):
Chinese, under the CSP, no inline code, every field labelled, and no-store where it shows case or
personal data.  A new page endpoint fails `test_every_page_endpoint_is_listed` until it is listed here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.unit.auth.conftest import Clock
from tests.unit.portal.conftest import account, assert_page, post_form, sign_in, totp
from tests.unit.portal.factories import Made

Visit = Callable[[FlaskClient, Flask, list[Made]], TestResponse]


@dataclass(frozen=True)
class Page:
    endpoint: str
    who: str | None  # the demo account signed in, or nobody
    visit: Visit
    status: int = 200
    case_data: bool = True  # shows case or personal data (or a secret): no cache may keep it


def _get(path: str) -> Visit:
    return lambda client, app, items: client.get(path)


def _case(unit: str) -> Visit:
    return lambda client, app, items: client.get(
        "/cases/" + next(m.petition_id for m in items if m.unit_code == unit))


def _post(path: str | Callable[[Flask], str], data: dict[str, Any] | None = None, form_on: str = "/") -> Visit:
    return lambda client, app, items: post_form(client, path(app) if callable(path) else path, data,
                                                form_on=form_on)


def _judge(action: str) -> Callable[[Flask], str]:
    return lambda app: f"/admin/accounts/{account(app, 'demo-judge').id}/{action}"


def _triage(action: str, data: dict[str, Any], *, status: str = "pending") -> Visit:
    """POST one of the 分流 forms of a 控申 case in ``status``, from its case page."""
    def visit(client: Any, app: Flask, items: list[Made]) -> Any:
        case = "/cases/" + next(m.petition_id for m in items if m.unit_code == "NY-JCY-KS" and m.status == status)
        return post_form(client, f"{case}/triage/{action}", data, form_on=case)
    return visit


def _bulk(client: Any, app: Flask, items: list[Made]) -> Any:
    ids = [m.petition_id for m in items if m.unit_code == "NY-JCY-KS" and m.status == "pending"][:2]
    return post_form(client, "/triage/bulk", {"action": "classify", "petition_ids": ids, "is_enterprise": "true",
                                              "enterprise_reason": "企业账户冻结"}, form_on="/triage")


NEW = {"username": "new.officer", "display_name": "新 分流员", "unit_code": "NY-JCY-KS", "roles": ["triage_officer"],
       "password": "Officer#2026-first"}
PAGES = {
    "sign-in": Page("accounts_pages.signin_form", None, _get("/signin?next=/triage"), case_data=False),
    "sign-in, session ended": Page("accounts_pages.signin_form", None, _get("/signin?reason=ended"), case_data=False),
    "sign-in refused": Page("accounts_pages.signin_submit", None, _post(
        "/signin", {"username": "demo-triage", "password": "Wrong!2026password"}, form_on="/signin"),
        status=401, case_data=False),
    "sign-in asks for the code": Page("accounts_pages.signin_submit", None, _post(
        "/signin", {"username": "demo-admin", "password": "Demo!2026huhang"}, form_on="/signin"),
        status=401, case_data=False),
    "sign-in form invalid": Page("accounts_pages.signin_submit", None, _post("/signin", {"username": "x"},
                                                                               form_on="/signin"),
                                 status=422, case_data=False),
    "CSRF refused": Page("accounts_pages.signin_submit", None,
                         lambda client, app, items: client.post("/signin", data={"username": "x", "password": "y"}),
                         status=400, case_data=False),
    "password, not signed in": Page("accounts_pages.password_form", None, _get("/password?username=demo-handler"),
                                    case_data=False),
    "password, signed in": Page("accounts_pages.password_form", "demo-triage", _get("/password"), case_data=False),
    "password refused": Page("accounts_pages.password_submit", None, _post("/password", {
        "username": "demo-handler", "current_password": "Demo!2026huhang", "new_password": "weak",
        "confirm_password": "weak"}, form_on="/password"), status=422, case_data=False),
    "session ended": Page("portal_pages.session_ended", None, _get("/session-ended"), case_data=False),
    "home, officer": Page("portal_pages.index", "demo-triage", _get("/")),
    "home, admin": Page("portal_pages.index", "demo-admin", _get("/")),
    "home, auditor": Page("portal_pages.index", "demo-auditor", _get("/")),
    "queue": Page("triage_pages.queue_page", "demo-triage", _get("/triage")),
    "queue filtered": Page("triage_pages.queue_page", "demo-taskforce", _get("/triage?overdue=1&enterprise=yes")),
    "queue, bad cursor": Page("triage_pages.queue_page", "demo-triage", _get("/triage?after=not-a-cursor-at-all"),
                              status=422),
    "case": Page("triage_pages.case_page", "demo-triage", _case("NY-JCY-KS")),
    "classify refused": Page("triage_pages.classify_form", "demo-triage", _triage("classify", {}), status=422),
    "route refused": Page("triage_pages.route_form", "demo-triage", _triage("route", {"route": "assigned"}),
                          status=422),
    "materials refused": Page("triage_pages.materials_form", "demo-triage", _triage("materials", {}), status=422),
    "materials received, wrong state": Page("triage_pages.materials_received_form", "demo-triage",
                                            _triage("materials/received", {}), status=409),
    "decline refused": Page("triage_pages.decline_form", "demo-triage", _triage("decline", {"reasons": "x"}),
                            status=422),
    "objection refused": Page("triage_pages.objection_form", "demo-triage",
                              _triage("objection", {"reasons": "不属于本院职责"}), status=409),
    "bulk result": Page("triage_pages.bulk_form", "demo-triage", _bulk),
    "case of another unit": Page("triage_pages.case_page", "demo-triage", _case("NY-JCY-WC"), status=404,
                                 case_data=False),
    "accounts": Page("accounts_pages.accounts_list", "demo-admin", _get("/admin/accounts")),
    "account created": Page("accounts_pages.accounts_create", "demo-admin", _post("/admin/accounts", NEW,
                                                                                  form_on="/admin/accounts")),
    "account refused": Page("accounts_pages.accounts_create", "demo-admin", _post(
        "/admin/accounts", {**NEW, "username": "demo-triage"}, form_on="/admin/accounts"), status=409),
    "account unlocked": Page("accounts_pages.accounts_list", "demo-admin", _get("/admin/accounts?unlocked=demo-judge")),
    "password reset": Page("accounts_pages.accounts_reset", "demo-admin", _post(_judge("reset"),
                                                                               form_on="/admin/accounts")),
    "accounts refused": Page("accounts_pages.accounts_list", "demo-triage", _get("/admin/accounts"), status=403,
                             case_data=False),
    "units": Page("units_pages.units_list", "demo-admin", _get("/admin/units"), case_data=False),
    "units, task force": Page("units_pages.units_list", "demo-taskforce", _get("/admin/units"), case_data=False),
    "audit log": Page("audit_pages.log", "demo-auditor", _get("/audit/review?outcome=failure")),
    "audit log, bad filter": Page("audit_pages.log", "demo-auditor", _get("/audit/review?since=2026-02-30"),
                                  status=422),
}
# Page endpoints that answer with a redirect or a file, never a page of their own.
NOT_PAGES = {
    "accounts_pages.signout": "303 to /signin",
    "portal_pages.session_refresh": "303 to next",
    "accounts_pages.accounts_unlock": "303 to /admin/accounts?unlocked=<username>",
    "portal_pages.asset": "the built stylesheet and script",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_holds_to_the_rules(name: str, review_app: Flask, queue_items: list[Made], clock: Clock) -> None:
    page = PAGES[name]
    client = review_app.test_client()
    if page.who is not None:
        sign_in(client, page.who, totp=totp(page.who, clock) if page.who in ("demo-admin", "demo-taskforce") else None)
    response = page.visit(client, review_app, queue_items)
    html = assert_page(response, status=page.status, case_data=page.case_data)
    if not page.case_data:
        assert response.headers["Cache-Control"] in ("no-cache", "no-store")
    assert html.find("title").get_text().endswith("护航 涉企案件平台")
    assert html.find("main", id="main") is not None and html.find("a", class_="skip-link")["href"] == "#main"


def test_every_page_endpoint_is_listed(review_app: Flask) -> None:
    page_blueprints = review_app.extensions["huhang_pages"]
    endpoints = {r.endpoint for r in review_app.url_map.iter_rules() if r.endpoint.split(".")[0] in page_blueprints}
    assert endpoints == {p.endpoint for p in PAGES.values()} | set(NOT_PAGES)


def test_the_built_assets_are_served_and_cached_by_version(review_client: FlaskClient) -> None:
    page = review_client.get("/signin").data.decode()
    css = re.search(r'href="(/assets/portal\.css\?v=[0-9a-f]{12})"', page)
    assert css is not None
    versioned = review_client.get(css.group(1))
    assert versioned.status_code == 200 and versioned.mimetype == "text/css"
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert review_client.get("/assets/portal.js").headers["Cache-Control"].startswith("no-cache")
    for path in ("/assets/.hidden", "/assets/a/.b", "/assets/../pyproject.toml", "/assets/%2e%2e/pyproject.toml",
                 "/assets/nothing.css"):
        assert review_client.get(path).status_code == 404, path


def test_an_unknown_path_is_a_page_for_a_browser_and_json_for_the_api(review_client: FlaskClient) -> None:
    browser = review_client.get("/no-such-page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert_page(browser, status=404, case_data=False)
    api = review_client.get("/api/v1/no-such-thing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.is_json
    fragment = review_client.get("/triage", headers={"X-Huhang-Fragment": "1"})
    assert fragment.status_code == 401 and fragment.is_json  # a fragment is never a redirect
