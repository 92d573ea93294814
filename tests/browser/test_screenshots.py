"""`make screenshots`: a PNG of every main page at desktop and phone width, into docs/screenshots/.

Not a test of behaviour (the journeys are); marked `screenshots` and left out of the default run.
Each shot still waits for the page's heading, so a broken page is not photographed silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Checked, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]
OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 860), "phone": (360, 740)}


def _shoot(checked: Checked, name: str, width: str) -> None:
    checked.page.locator("h1").first.wait_for()
    checked.page.wait_for_load_state("networkidle")
    OUT.mkdir(parents=True, exist_ok=True)
    checked.page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=True)


def _first_case(checked: Checked) -> str:
    checked.goto("/triage")
    href = checked.page.locator("table tbody tr a").first.get_attribute("href")
    assert href and href.startswith("/cases/")
    return href


@pytest.mark.parametrize("width", list(WIDTHS))
def test_public_pages(make_page: Any, width: str) -> None:
    checked: Checked = make_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    for name, path in [("public-home", "/public/"), ("public-status", "/public/status"), ("signin", "/signin")]:
        checked.goto(path)
        _shoot(checked, name, width)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_staff_pages(make_page: Any, width: str) -> None:
    checked: Checked = make_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    sign_in(checked, "demo-triage")
    _shoot(checked, "home", width)
    case = _first_case(checked)
    _shoot(checked, "triage-queue", width)
    checked.goto(case)
    checked.page.locator("[data-include^='/petitions/'] dl").first.wait_for()
    _shoot(checked, "case", width)
    checked.goto("/inbox")
    _shoot(checked, "inbox", width)

    clerk: Checked = make_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    sign_in(clerk, "demo-12309")
    clerk.goto("/petitions/new")
    _shoot(clerk, "petition-new", width)

    auditor: Checked = make_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    sign_in(auditor, "demo-auditor")
    auditor.goto("/audit/review")
    _shoot(auditor, "audit-log", width)

    admin: Checked = make_page(width=WIDTHS[width][0], height=WIDTHS[width][1])
    sign_in(admin, "demo-admin")
    admin.goto("/admin/accounts")
    _shoot(admin, "admin-accounts", width)
    admin.goto("/admin/units")
    _shoot(admin, "admin-units", width)
    assert re.search(r"单位", admin.page.locator("h1").inner_text())
