"""A 涉企 court case over the real stack: intake's steps become review's deadline and notify's notices.

Every service is a real process on the real broker and PostgreSQL: a judge of 南阳中院 flags a case
and grants the 立案绿色通道 through intake's API; review's consumer opens the `court.green_channel`
deadline, due where intake says; notify's consumer files the notices in the court staff's inbox;
立案 closes the deadline as met.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import requests
from bs4 import BeautifulSoup

from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE
from shared.calendar import Unit, period_end
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, wait_for


def _deadlines(review: str, case_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = requests.get(f"{review}/api/v1/deadlines", params={"subject": case_id}, headers=headers, timeout=5)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_a_green_channel_case_gets_its_deadline_and_the_court_its_notices(stack: Stack, test_keys: AuthKeys) -> None:
    judge = test_keys.headers("judge")  # NY-FY
    clerk = test_keys.headers("court_clerk", "NY-FY")  # a clerk of the same court
    other_court = test_keys.headers("court_clerk", "NY-FY-SF")  # a unit below: not the 中院's cases
    intake = stack.start_api("intake")
    review = stack.start_api("review")
    notify = stack.start_api("notify")
    for service in ("intake", "review", "notify"):
        stack.start_workers(service)

    flagged = requests.post(f"{intake}/api/v1/court-cases", json=copy.deepcopy(COURT_CASE_EXAMPLE), headers=judge,
                            timeout=10)
    assert flagged.status_code == 201, flagged.text
    case = flagged.json()
    base = f"{intake}/api/v1/court-cases/{case['id']}"
    granted = requests.post(f"{base}/green-channel", json={"granted": True}, headers=judge, timeout=10)
    assert granted.status_code == 201, granted.text
    due_on = date.fromisoformat(granted.json()["due_on"])
    # Three working days after the flag day (the default, unconfirmed local practice).
    assert due_on == period_end(date.fromisoformat(case["flagged_on"]), 3, Unit.WORKING_DAY).date

    [deadline] = wait_for(lambda: _deadlines(review, case["id"], clerk) or None, what="the green-channel deadline")
    assert deadline["rule_code"] == "court.green_channel" and deadline["status"] == "open"
    assert date.fromisoformat(deadline["due_on"]) == due_on
    assert (deadline["unit_code"], deadline["case_number"], deadline["start_on"]) == (
        "NY-FY", case["case_number"], case["flagged_on"])
    assert _deadlines(review, case["id"], other_court) == []  # scoped by the court unit

    def inbox_titles(headers: dict[str, str]) -> list[str]:
        page = requests.get(f"{notify}/inbox", headers=headers, timeout=5)
        assert page.status_code == 200, page.text
        assert page.headers["Content-Type"].startswith("text/html")
        parsed = BeautifulSoup(page.text, "html.parser")
        return [h.get_text(" ", strip=True) for h in parsed.select(".inbox-item__title")]

    def at_least(n: int) -> list[str] | None:
        titles = inbox_titles(clerk)
        return titles if len(titles) >= n else None

    titles = wait_for(lambda: at_least(2), what="the court's notices")
    assert any("新标记涉企案件" in t and case["case_number"] in t for t in titles), titles
    assert any("立案绿色通道】准予适用" in t for t in titles), titles
    assert inbox_titles(other_court) == []

    filed = requests.post(f"{base}/filing", json={}, headers=judge, timeout=10)
    assert filed.status_code == 200, filed.text
    def closed_deadline() -> dict[str, Any] | None:
        [found] = _deadlines(review, case["id"], clerk)
        return found if found["status"] != "open" else None

    closed = wait_for(closed_deadline, what="the deadline closed by 立案")
    assert closed["status"] == "met" and closed["met_on_time"] is True
    wait_for(lambda: any("已立案" in t for t in inbox_titles(clerk)) or None, what="the 立案 notice")
