"""The pages of the public timeline, the enterprise view and the staff's enterprise check."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.intake.enterprises.schemas import CHECKS, VERIFICATION_EXAMPLE
from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.unit.portal.conftest import assert_no_inline_code, soup
from tests.unit.services.intake.conftest import Browser, audit_rows, form_of
from tests.unit.services.intake.status_events import ReviewOf, at, deliver

RECEIVED = date(2026, 11, 2)
CREDIT = VERIFICATION_EXAMPLE["credit_code"]


@pytest.fixture
def petition(intake_client: FlaskClient, intake_app: Flask) -> dict[str, Any]:
    intake_app.extensions["huhang"].extras["clock"] = lambda: at(date(2026, 11, 5))
    body = {**copy.deepcopy(PETITION_EXAMPLE), "received_at": "2026-11-02T09:00:00+08:00"}
    return dict(intake_client.post("/api/v1/petitions", json=body).json)


def _post(client: FlaskClient, path: str, **fields: str) -> Any:
    return client.post(path, data={**form_of(client, path), **fields}, environ_base={"REMOTE_ADDR": "203.0.113.9"})


def _steps(html: Any) -> list[tuple[str, str, str]]:
    out = []
    for li in html.find("ol", class_="case-steps").find_all("li", recursive=False):
        badges = [b.get_text() for b in li.find_all(class_="badge")]
        out.append((li.find(class_="case-step__name").get_text(), badges[0], " ".join(badges[1:])))
    return out


def test_the_status_page_shows_the_timeline_as_an_ordered_list_with_badges(
    intake_app: Flask, petition: dict[str, Any],
) -> None:
    review = ReviewOf(petition)
    deliver(intake_app, review.opened("12309.procedural_reply", RECEIVED, date(2026, 11, 9)),
            review.opened("12309.result_reply", RECEIVED, date(2027, 2, 2), provisional=True),
            review.triaged(RECEIVED), review.closed("12309.procedural_reply", date(2026, 11, 4), date(2026, 11, 9)))
    visitor = intake_app.test_client()
    page = _post(visitor, "/public/status", case_number=petition["case_number"], query_code=petition["query_code"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = soup(page.data)
    assert _steps(html) == [("受理", "已完成", ""), ("分流", "进行中", ""), ("承办单位", "尚未进行", ""),
                            ("程序性回复", "已完成", "已按期"), ("答复/办结", "尚未进行", "进行中"), ("评价", "尚未进行", "")]
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in html.find("table", class_="deadlines").tbody.find_all("tr")]
    assert rows[0][0] == "告知受理情况（7日内）" and rows[0][3].startswith("已按期")
    assert "（暂定）" in rows[1][2]
    assert all(li.find("time")["datetime"] for li in html.find("ol", class_="case-steps").find_all("li") if li.find("time"))
    assert_no_inline_code(page.get_data(as_text=True))


def test_the_status_page_tells_a_locked_number_apart_from_a_busy_address(
    intake_app: Flask, petition: dict[str, Any],
) -> None:
    visitor = intake_app.test_client()
    for n in range(5):
        visitor.post("/public/status", data={**form_of(visitor, "/public/status"), "case_number": petition["case_number"],
                                             "query_code": "ZZZZZZZZ"}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
    page = _post(visitor, "/public/status", case_number=petition["case_number"], query_code=petition["query_code"])
    assert page.status_code == 429 and "暂时锁定 60 分钟" in page.get_data(as_text=True)
    assert int(page.headers["Retry-After"]) > 3000


def test_the_enterprise_page_lists_every_matter_with_its_timeline(
    intake_app: Flask, intake_client: FlaskClient, petition: dict[str, Any], browser: Browser,
) -> None:
    code = intake_client.post("/api/v1/enterprises/verifications", json=VERIFICATION_EXAMPLE).json["access_code"]
    court = browser("court_clerk")
    body = {**copy.deepcopy(PETITION_EXAMPLE), "line": "12368", "petition_type": "联系法官",
            "related_case_number": "（2022）豫13民初1234号"}
    second = court.post("/api/v1/petitions", json=body).json
    visitor = intake_app.test_client()
    form = visitor.get("/public/enterprise")
    assert form.status_code == 200 and soup(form.data).find("form", attrs={"action": "/public/enterprise"})["method"] == "post"
    page = _post(visitor, "/public/enterprise", credit_code=CREDIT, access_code=code)
    assert page.status_code == 200, page.data[:500]
    html = soup(page.data)
    assert html.find("h2", id="enterprise-title").get_text() == "南阳市宛城区示例机械有限公司"
    matters = html.find("ol", class_="matters").find_all("section", class_="matter")
    assert [m.find("h2").get_text() for m in matters] == [petition["case_number"], second["case_number"]]
    assert all(m.find("ol", class_="case-steps") for m in matters)
    assert_no_inline_code(page.get_data(as_text=True))
    wrong = _post(visitor, "/public/enterprise", credit_code=CREDIT, access_code="ZZZZZZZZZZ")
    assert wrong.status_code == 200 and "没有查到" in wrong.get_data(as_text=True)
    assert not soup(wrong.data).find(id="access_code").get("value")


def test_the_staff_page_verifies_and_shows_the_code_once(intake_app: Flask, browser: Browser) -> None:
    clerk = browser("intake_clerk")
    page = clerk.get("/petitions/enterprises/verify")
    assert page.status_code == 200
    boxes = soup(page.data).find_all("input", attrs={"name": "checks"})
    assert [b["value"] for b in boxes] == list(CHECKS)
    fields = {"credit_code": CREDIT, "enterprise_name": "南阳市宛城区示例机械有限公司",
              "licence.number": CREDIT, "licence.issued_on": "2019-05-20",
              "representative.name": "李四", "representative.id_number": VERIFICATION_EXAMPLE["representative"]["id_number"],
              "reason": "企业申请查询"}
    partial = clerk.post("/petitions/enterprises/verify", data={**form_of(clerk, "/petitions/enterprises/verify"),
                                                                 **fields, "checks": ["licence_original"]})
    assert partial.status_code == 422 and "未核验" in partial.get_data(as_text=True)
    assert VERIFICATION_EXAMPLE["representative"]["id_number"] not in partial.get_data(as_text=True)
    assert audit_rows(intake_app, "enterprise.verify") == []
    done = clerk.post("/petitions/enterprises/verify", data={**form_of(clerk, "/petitions/enterprises/verify"),
                                                              **fields, "checks": list(CHECKS)})
    assert done.status_code == 201 and done.headers["Cache-Control"] == "no-store"
    code = soup(done.data).find(id="access-code").get_text()
    assert len(code.replace("-", "")) == 10
    assert VERIFICATION_EXAMPLE["representative"]["id_number"] not in done.get_data(as_text=True)
    assert_no_inline_code(done.get_data(as_text=True))
    # The code works on the public enterprise page.
    visitor = intake_app.test_client()
    assert "企业查询结果" in _post(visitor, "/public/enterprise", credit_code=CREDIT, access_code=code).get_data(as_text=True)


@pytest.mark.parametrize("role", ["judge", "triage_officer", "task_force"])
def test_the_staff_page_is_for_the_desks_only(browser: Browser, role: str) -> None:
    assert browser(role).get("/petitions/enterprises/verify").status_code == 403
