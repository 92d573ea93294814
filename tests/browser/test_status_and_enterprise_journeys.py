"""The public follows a matter as review works it, and an enterprise sees all of its matters.

A 12309 clerk registers a visit; once review's triage and deadline events have reached intake's
read model (over the real broker), a visitor on a phone sees the timeline: 受理 done, 分流 in
progress, the 7-day and 3-month deadlines.  The clerk then checks the enterprise in person and
issues its access code; the enterprise opens /public/enterprise and finds the matter, with its
timeline, in its list.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

import requests

from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.browser.conftest import DEMO_PASSWORD, Checked, Portal, nav_link, sign_in
from tests.support.stack import wait_for

pytestmark = pytest.mark.browser

# An enterprise of its own, so the matter is no 重复件 of the demo data's (services/intake/duplicates).
CREDIT_CODE = "91411300MA4000000A"
ENTERPRISE = "南阳市示例精密仪器有限公司"
PETITION = {
    **PETITION_EXAMPLE,
    "petitioner": {**PETITION_EXAMPLE["petitioner"], "name": "赵明", "id_number": "411302198505051237",
                   "phone": "13903770456"},
    "enterprise": {**PETITION_EXAMPLE["enterprise"], "name": ENTERPRISE, "credit_code": CREDIT_CODE},
    "subject": "仪器厂厂房被查封后迟迟未作处理决定",
    "claim": "请求检察机关监督查封措施的合法性并督促尽快作出处理决定",
    "facts": "2023年5月厂房被查封，至今没有任何书面决定。",
}


def _register(portal: Portal) -> tuple[str, str]:
    """The 12309 clerk registers a petition through the API (the form's journey: test_intake_and_public_journeys)."""
    token = requests.post(portal.url("/api/v1/auth/token"), timeout=10,
                          json={"username": "demo-12309", "password": DEMO_PASSWORD}).json()["access_token"]
    created = requests.post(portal.url("/api/v1/petitions"), json=PETITION, timeout=10,
                            headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201, created.text
    return created.json()["case_number"], created.json()["query_code"]


def _triaged(portal: Portal, case_number: str) -> bool:
    """Whether review's events for the case are in intake's read model (the stack's SQLite file)."""
    with sqlite3.connect(portal.var / "intake.db") as db:
        steps = db.execute("SELECT count(*) FROM status_steps WHERE case_number = ?", (case_number,)).fetchone()[0]
        deadlines = db.execute("SELECT count(*) FROM status_deadlines WHERE case_number = ?", (case_number,)).fetchone()[0]
    return bool(steps and deadlines >= 2)


def _steps(page: Any) -> list[tuple[str, str]]:
    items = page.locator("section.matter ol.case-steps > li")
    return [(items.nth(i).locator(".case-step__name").inner_text(), items.nth(i).locator(".badge").first.inner_text())
            for i in range(items.count())]


def test_the_public_sees_the_timeline_and_the_enterprise_all_its_matters(make_page: Any, portal: Portal) -> None:
    case_number, code = _register(portal)
    wait_for(lambda: _triaged(portal, case_number), timeout=60, interval=0.5,
             what="triage.item_created and deadline.opened in intake's read model")

    visitor: Checked = make_page(width=360, height=740)
    page = visitor.page
    visitor.goto("/public/status")
    page.fill("#case_number", case_number)
    page.fill("#query_code", code)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    assert page.locator("h1").inner_text() == "查询结果"
    assert _steps(page) == [("受理", "已完成"), ("分流", "进行中"), ("承办单位", "尚未进行"),
                            ("程序性回复", "尚未进行"), ("答复/办结", "尚未进行"), ("评价", "尚未进行")]
    deadlines = page.locator("table.deadlines tbody tr")
    assert deadlines.count() == 2 and "告知受理情况（7日内）" in deadlines.nth(0).inner_text()
    assert "进行中" in deadlines.nth(0).inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    visitor.check("public-status-timeline-phone")

    # The clerk checks the enterprise in person and issues its access code.
    clerk: Checked = make_page()
    sign_in(clerk, "demo-12309")
    nav_link(clerk, "企业核验").click()
    clerk.page.wait_for_url(re.compile(r"/petitions/enterprises/verify"))
    clerk.check("enterprise-verify")
    form = clerk.page
    form.fill("#credit_code", CREDIT_CODE)
    form.fill("#enterprise_name", ENTERPRISE)
    form.locator('[id="licence.number"]').fill(CREDIT_CODE)
    form.locator('[id="licence.issued_on"]').fill("2019-05-20")
    form.locator('[id="representative.name"]').fill("王建国")
    form.locator('[id="representative.id_number"]').fill("411302198505051237")
    for box in form.locator("input[name=checks]").all():
        box.check()
    form.fill("#reason", "企业申请查询本企业全部事项的办理进度")
    with form.expect_navigation():
        form.get_by_role("button", name="核验并发放企业查询码").click()
    access_code = form.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{2}", access_code), access_code
    assert "411302198505051237" not in form.locator("main").inner_text()  # masked
    clerk.check("enterprise-verified")

    # The enterprise opens its view.
    enterprise: Checked = make_page()
    enterprise.goto("/public/")
    enterprise.page.get_by_role("navigation", name="公众服务导航").get_by_role("link", name="企业查询").click()
    enterprise.page.wait_for_url(re.compile(r"/public/enterprise"))
    enterprise.page.fill("#credit_code", CREDIT_CODE)
    enterprise.page.fill("#access_code", access_code)
    with enterprise.page.expect_navigation():
        enterprise.page.get_by_role("button", name="查询").click()
    main = enterprise.page.locator("main")
    assert enterprise.page.locator("h1").inner_text() == "企业查询结果"
    matter = enterprise.page.locator("section.matter", has=enterprise.page.locator(f"h2:text-is('{case_number}')"))
    assert matter.count() == 1 and "分流" in matter.inner_text() and "进行中" in matter.inner_text()
    assert access_code not in enterprise.page.url and "王建国" not in main.inner_text()
    enterprise.check("public-enterprise-answer")
