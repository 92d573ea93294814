"""/petitions/<id> and its /panel fragment: masked for every case role; the reveal audited, on its answer only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.intake.petitions import personal
from services.intake.petitions.models import Petition
from shared.auth.principal import CASE_ROLES
from tests.unit.portal.conftest import assert_no_inline_code, soup
from tests.unit.services.intake.conftest import ID, PHONE, Browser, audit_rows, form_of

_PLAIN = re.compile(rf"{ID}|{PHONE}")
# A unit from which each case role sees 市院控告申诉检察部's petitions.
SEES_KS = {"intake_clerk": "NY-JCY-KS", "triage_officer": "NY-JCY-KS", "case_handler": "NY-JCY-KS",
           "unit_leader": "NY-JCY", "task_force": "NY-JCY-ZB", "judge": "NY-JCY", "court_clerk": "NY-JCY",
           "prosecutor": "NY-JCY", "penalty_reviewer": "NY-JCY"}


def _urls(resp: Any) -> list[str]:
    """Every URL the answer names: its Location, and each href, action and src in its HTML."""
    urls = [resp.headers.get("Location", "")]
    html = soup(resp.data)
    for attr in ("href", "action", "src", "data-include"):
        urls += [str(tag[attr]) for tag in html.find_all(attrs={attr: True})]
    return urls


@pytest.mark.parametrize("role", ["intake_clerk", "triage_officer", "case_handler", "unit_leader", "task_force"])
def test_the_page_and_the_panel_render_masked_for_case_roles(browser: Browser, registered: dict[str, Any], role: str) -> None:
    client = browser(role, SEES_KS[role])
    page = client.get(f"/petitions/{registered['id']}")
    panel = client.get(f"/petitions/{registered['id']}/panel", headers={"X-Huhang-Fragment": "1"})
    for resp in (page, panel):
        text = resp.get_data(as_text=True)
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
        assert registered["case_number"] in text
        assert "4113**********1236" in text and "138****8000" in text and "张*" in text
        assert not _PLAIN.search(text) and "张三" not in text
        assert registered["query_code"] not in text
        assert_no_inline_code(text)
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in panel.get_data(as_text=True) and panel.headers["Vary"] == "X-Huhang-Fragment"
    # The panel sits under review's "受理登记" heading: its own headings are one level down.
    assert soup(panel.data).find("h3") and not soup(panel.data).find("h2")


def test_free_text_is_masked_too(browser: Browser, intake_client: FlaskClient) -> None:
    from services.intake.petitions.schemas import PETITION_EXAMPLE

    created = intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE | {"facts": f"本人电话 {PHONE}，身份证 {ID}"}).json
    text = browser("intake_clerk").get(f"/petitions/{created['id']}").get_data(as_text=True)
    assert not _PLAIN.search(text) and "本人电话 138****8000" in text


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_roles_without_case_data_get_the_403_page(browser: Browser, registered: dict[str, Any], role: str) -> None:
    for path in (f"/petitions/{registered['id']}", f"/petitions/{registered['id']}/panel"):
        resp = browser(role).get(path)
        assert resp.status_code == 403
        assert not _PLAIN.search(resp.get_data(as_text=True)) and "张*" not in resp.get_data(as_text=True)


def test_a_fragment_refused_answers_json_not_a_page(browser: Browser, registered: dict[str, Any]) -> None:
    resp = browser("auditor").get(f"/petitions/{registered['id']}/panel", headers={"X-Huhang-Fragment": "1"})
    assert resp.status_code == 403 and resp.is_json and resp.json["code"] == "forbidden"


def test_without_a_session_the_page_sends_to_sign_in(browser: Browser, registered: dict[str, Any]) -> None:
    resp = browser(None).get(f"/petitions/{registered['id']}")
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/signin?next=")


def test_another_units_petition_is_404(browser: Browser, registered: dict[str, Any]) -> None:
    resp = browser("case_handler", "NY-JCY-WC").get(f"/petitions/{registered['id']}")
    assert resp.status_code == 404 and registered["case_number"] not in resp.get_data(as_text=True)


def test_the_reveal_form_is_offered_only_to_roles_that_may_reveal(browser: Browser, registered: dict[str, Any]) -> None:
    for role in CASE_ROLES:
        html = soup(browser(role, SEES_KS[role]).get(f"/petitions/{registered['id']}").data)
        form = html.find("form", attrs={"action": f"/petitions/{registered['id']}/reveal"})
        assert (form is not None) == (role in personal.REVEAL_ROLES), role
        if form is not None:
            assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})
            assert form.find("input", attrs={"name": "reason"}).has_attr("required")


def _reveal(client: FlaskClient, petition_id: str, **data: Any) -> Any:
    hidden = form_of(client, f"/petitions/{petition_id}")
    return client.post(f"/petitions/{petition_id}/reveal", data={**hidden, **data})


def test_the_reveal_shows_the_numbers_on_its_answer_only_and_is_audited(
    intake_app: Flask, browser: Browser, registered: dict[str, Any],
) -> None:
    clerk = browser("intake_clerk")
    answer = _reveal(clerk, registered["id"], fields=["id_number", "phone"], reason="电话回访信访人")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    shown = [dd.get_text() for dd in soup(answer.data).find_all("dd", class_="revealed__value")]
    assert shown == [ID, PHONE]
    assert "电话回访信访人" in text
    # Never in any URL: not the answer's, not a link, form or include on it.
    assert not [u for u in _urls(answer) if _PLAIN.search(u)]
    assert_no_inline_code(text)
    (row,) = audit_rows(intake_app, "pii.reveal")
    assert (row.outcome, row.subject_id, row.actor) == ("success", registered["id"], "t-intake_clerk")
    assert row.detail["fields"] == ["id_number", "phone"] and row.detail["reason"] == "电话回访信访人"
    assert not _PLAIN.search(str(row.detail))
    # The next page is masked again: nothing of the reveal stayed.
    after = clerk.get(f"/petitions/{registered['id']}").get_data(as_text=True)
    assert not _PLAIN.search(after)


def test_revealing_one_field_shows_that_one(browser: Browser, registered: dict[str, Any]) -> None:
    answer = _reveal(browser("intake_clerk"), registered["id"], fields=["phone"], reason="回访")
    text = answer.get_data(as_text=True)
    assert PHONE in text and ID not in text


def test_the_reveal_needs_a_reason_and_a_field(intake_app: Flask, browser: Browser, registered: dict[str, Any]) -> None:
    clerk = browser("intake_clerk")
    no_reason = _reveal(clerk, registered["id"], fields=["phone"])
    no_field = _reveal(clerk, registered["id"], reason="回访")
    for resp, field in ((no_reason, "reveal-reason"), (no_field, "reveal-fields")):
        html = soup(resp.data)
        assert resp.status_code == 422 and not _PLAIN.search(resp.get_data(as_text=True))
        assert html.find(id=f"{field}-error") is not None
        assert html.find("details", class_="reveal").has_attr("open")
    assert soup(no_field.data).find(id="reveal-reason")["value"] == "回访"  # kept
    assert audit_rows(intake_app, "pii.reveal") == []


@pytest.mark.parametrize("role", ["triage_officer", "unit_leader", "task_force", "auditor"])
def test_other_roles_posting_the_reveal_get_the_403_page(intake_app: Flask, browser: Browser,
                                                         registered: dict[str, Any], role: str) -> None:
    client = browser(role, SEES_KS.get(role))
    hidden = form_of(client, "/public/status")  # any page's CSRF token: this browser's own
    resp = client.post(f"/petitions/{registered['id']}/reveal", data={**hidden, "fields": ["id_number"], "reason": "想看"})
    assert resp.status_code == 403 and resp.mimetype == "text/html"
    assert "无权查看此页" in resp.get_data(as_text=True) and not _PLAIN.search(resp.get_data(as_text=True))
    assert [r.outcome for r in audit_rows(intake_app, "authz.denied")] == ["denied"]


def test_revealing_another_units_petition_is_404_and_audited_as_denied(
    intake_app: Flask, browser: Browser, registered: dict[str, Any],
) -> None:
    handler = browser("case_handler", "NY-JCY-WC")
    hidden = form_of(handler, "/public/status")
    resp = handler.post(f"/petitions/{registered['id']}/reveal", data={**hidden, "fields": ["id_number"], "reason": "核实"})
    assert resp.status_code == 404 and not _PLAIN.search(resp.get_data(as_text=True))
    (row,) = audit_rows(intake_app, "pii.reveal")
    assert row.outcome == "denied" and row.subject_id == registered["id"]


def test_the_reveal_without_a_csrf_token_reveals_nothing(intake_app: Flask, browser: Browser, registered: dict[str, Any]) -> None:
    resp = browser("intake_clerk").post(f"/petitions/{registered['id']}/reveal", data={"fields": ["id_number"], "reason": "回访"})
    assert resp.status_code == 400 and not _PLAIN.search(resp.get_data(as_text=True))
    assert audit_rows(intake_app, "pii.reveal") == []


def test_the_templates_never_get_the_row(intake_app: Flask, browser: Browser, registered: dict[str, Any]) -> None:
    """The pages render a plain view of the petition; a template cannot print what it is not given."""
    from flask import template_rendered

    seen: list[dict[str, Any]] = []

    def remember(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
        seen.append(context)

    template_rendered.connect(remember, intake_app)
    try:
        browser("intake_clerk").get(f"/petitions/{registered['id']}")
        browser("intake_clerk").get(f"/petitions/{registered['id']}/panel")
    finally:
        template_rendered.disconnect(remember, intake_app)
    assert seen and not [v for ctx in seen for v in ctx.values() if isinstance(v, Petition)]
    assert not _PLAIN.search(str([ctx.get("p") for ctx in seen]))
