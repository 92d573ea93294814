"""/petitions/new: the API's registration as a form — roles, validation with values kept, CSRF, one petition per form."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from services.intake.domains import MANIFEST
from services.intake.credentials import service as credentials
from services.intake.petitions import service
from services.intake.petitions.models import Petition
from shared.outbox import OutboxMessage
from tests.unit.portal.conftest import assert_no_inline_code, soup
from tests.unit.services.intake.conftest import FORM, ID, PHONE, Browser, count, form_of, petition_id_of, register_by_form


@pytest.mark.parametrize("role", service.REGISTER_ROLES)
def test_the_form_renders_for_the_registering_roles(browser: Browser, role: str) -> None:
    page = browser(role).get("/petitions/new")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = soup(page.data)
    form = html.find("form", attrs={"action": "/petitions/new"})
    assert form is not None and form["method"] == "post"
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    # Every visible field has a label.
    for field in form.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "radio", "checkbox"):
            continue
        assert html.find("label", attrs={"for": field["id"]}), field["name"]
    assert_no_inline_code(page.get_data(as_text=True))


def test_the_form_offers_only_the_line_of_the_clerks_unit(browser: Browser) -> None:
    court = soup(browser("court_clerk").get("/petitions/new").data)
    assert [o["value"] for o in court.find("select", id="line").find_all("option")] == ["12368"]
    types = [o["value"] for o in court.find("select", id="petition_type").find_all("option") if o["value"]]
    assert "联系法官" in types and "控告" not in types


@pytest.mark.parametrize("role", ["triage_officer", "case_handler", "unit_leader", "task_force", "auditor", "admin"])
def test_other_roles_get_the_403_page(browser: Browser, role: str) -> None:
    page = browser(role).get("/petitions/new")
    assert page.status_code == 403 and page.mimetype == "text/html"
    assert "无权查看此页" in page.get_data(as_text=True)


def test_without_a_session_the_browser_is_sent_to_sign_in(browser: Browser) -> None:
    page = browser(None).get("/petitions/new")
    assert page.status_code == 303
    assert page.headers["Location"].startswith("/signin?next=%2Fpetitions%2Fnew")


def test_an_expired_access_cookie_is_sent_to_be_refreshed(browser: Browser) -> None:
    page = browser("intake_clerk", ttl=-60).get("/petitions/new")
    assert page.status_code == 303 and page.headers["Location"].startswith("/session/refresh?next=")


def test_registering_through_the_form_creates_the_petition_and_shows_its_receipt(intake_app: Flask, browser: Browser) -> None:
    clerk = browser("intake_clerk")
    answer = register_by_form(clerk)
    petition_id = petition_id_of(answer)
    with intake_app.extensions["huhang"].session_factory() as session:
        petition = session.get(Petition, petition_id)
        assert petition is not None
        assert (petition.channel, petition.petitioner_id_number, petition.petitioner_phone) == ("访", ID, PHONE)
        assert petition.is_enterprise and petition.enterprise_credit_code == FORM["enterprise.credit_code"]
        assert petition.unit_code == "NY-JCY-KS" and petition.registered_by == "t-intake_clerk"
    assert count(intake_app, OutboxMessage) == 1  # petition.received, as for the API

    # The receipt comes with the answer itself: the code exists nowhere else (only its hash is kept).
    text = answer.get_data(as_text=True)
    assert answer.status_code == 201 and answer.headers["Cache-Control"] == "no-store"
    assert "张*" in text and "张三" not in text
    assert ID not in text and PHONE not in text
    code = soup(answer.data).find(class_="query-code").get_text()
    with intake_app.extensions["huhang"].session_factory() as session:
        assert credentials.check(session, kind="petition", lookup_key=petition.case_number, entered=code) == petition_id


def test_received_at_is_read_as_beijing_time(intake_app: Flask, browser: Browser) -> None:
    answer = register_by_form(browser("intake_clerk"), **{"received_at": "2026-10-08T07:30"})
    with intake_app.extensions["huhang"].session_factory() as session:
        petition = session.get(Petition, petition_id_of(answer))
        assert petition is not None
        assert petition.received_at.isoformat() == "2026-10-07T23:30:00+00:00"
        assert str(petition.received_on) == "2026-10-08"


def test_an_invalid_form_is_422_with_each_error_beside_its_field_and_what_was_typed_kept(
    intake_app: Flask, browser: Browser,
) -> None:
    answer = register_by_form(browser("intake_clerk"), **{
        "petitioner.id_number": "411302199001011237",  # wrong check digit
        "petitioner.phone": "12345", "claim": "", "enterprise.credit_code": "91411302MA44TFGN0A",
    })
    assert answer.status_code == 422
    assert count(intake_app) == 0 and count(intake_app, OutboxMessage) == 0
    html = soup(answer.data)
    summary = html.find(id="form-errors")
    assert summary is not None and summary.get("role") == "alert"
    linked = {a["href"] for a in summary.find_all("a")}
    assert {"#petitioner.id_number", "#petitioner.phone", "#claim", "#enterprise.credit_code"} <= linked
    for name, words in [("petitioner.id_number", "身份证号码校验位不符"), ("petitioner.phone", "不能作为联系电话"),
                        ("claim", "此项必填"), ("enterprise.credit_code", "统一社会信用代码校验位不符")]:
        field = html.find(id=name)
        assert field.get("aria-invalid") == "true", name
        error = html.find(id=f"{name}-error")
        assert error is not None and words in error.get_text(), name
        assert f"{name}-error" in field["aria-describedby"]
        assert " / " not in error.get_text()  # the Chinese half only
    # What was typed is still there (the wrong numbers too: the clerk corrects them, not retypes all).
    assert html.find(id="petitioner.name")["value"] == "张三"
    assert html.find(id="petitioner.id_number")["value"] == "411302199001011237"
    assert html.find(id="facts").get_text() == FORM["facts"]
    assert html.find("input", attrs={"name": "channel", "value": "访"}).has_attr("checked")
    assert html.find("option", attrs={"value": "控告"}).has_attr("selected")
    assert html.find(id="is_enterprise").has_attr("checked")
    assert_no_inline_code(answer.get_data(as_text=True))


def test_a_type_of_the_other_line_is_refused(browser: Browser) -> None:
    answer = register_by_form(browser("intake_clerk"), petition_type="联系法官")
    assert answer.status_code == 422
    assert "类型须为" in soup(answer.data).find(id="petition_type-error").get_text()


def test_ticking_enterprise_requires_its_fields(browser: Browser) -> None:
    answer = register_by_form(browser("intake_clerk"), **{"enterprise.name": "", "enterprise.credit_code": ""})
    html = soup(answer.data)
    assert answer.status_code == 422
    assert html.find(id="enterprise.name-error") and html.find(id="enterprise.credit_code-error")


def test_enterprise_fields_without_the_box_are_not_registered(intake_app: Flask, browser: Browser) -> None:
    answer = register_by_form(browser("intake_clerk"), is_enterprise="", **{"petitioner.kind": "natural"})
    with intake_app.extensions["huhang"].session_factory() as session:
        petition = session.get(Petition, petition_id_of(answer))
        assert petition is not None and not petition.is_enterprise and petition.enterprise_name is None


def test_a_future_receipt_time_is_an_error_on_that_field(intake_app: Flask, browser: Browser) -> None:
    answer = register_by_form(browser("intake_clerk"), received_at="2999-01-01T09:00")
    assert answer.status_code == 422 and count(intake_app) == 0
    assert "收到时间不能晚于当前时间" in soup(answer.data).find(id="received_at-error").get_text()


def test_a_line_the_unit_does_not_serve_is_an_error_on_the_line(intake_app: Flask, browser: Browser) -> None:
    answer = register_by_form(browser("court_clerk"), line="12309")
    assert answer.status_code == 422 and count(intake_app) == 0
    assert "12309 属检察院" in soup(answer.data).find(id="line-error").get_text()


def test_sending_the_same_form_twice_registers_once(intake_app: Flask, browser: Browser) -> None:
    clerk = browser("intake_clerk")
    hidden = form_of(clerk, "/petitions/new")
    first = clerk.post("/petitions/new", data={**FORM, **hidden})
    second = clerk.post("/petitions/new", data={**FORM, **hidden})  # a double click, or the browser resending
    assert first.status_code == 201 and second.status_code == 303  # the replay: a reprint, without the code
    assert petition_id_of(first) == petition_id_of(second)
    assert count(intake_app) == 1


def test_the_same_form_changed_and_sent_again_is_not_silently_a_second_case(intake_app: Flask, browser: Browser) -> None:
    clerk = browser("intake_clerk")
    hidden = form_of(clerk, "/petitions/new")
    assert clerk.post("/petitions/new", data={**FORM, **hidden}).status_code == 201
    again = clerk.post("/petitions/new", data={**FORM, **hidden, "claim": "另一诉求"})
    assert again.status_code == 409 and count(intake_app) == 1
    html = soup(again.data)
    assert "已经登记过一次" in html.find(id="form-errors").get_text()
    fresh = html.find("input", attrs={"name": "idempotency_key"})["value"]
    assert fresh != hidden["idempotency_key"]  # sending it now registers the new matter
    assert clerk.post("/petitions/new", data={**FORM, **hidden, "idempotency_key": fresh, "claim": "另一诉求"}).status_code == 201
    assert count(intake_app) == 2


@pytest.mark.parametrize("csrf", ["missing", "wrong", "forged", "other origin"])
def test_without_a_valid_csrf_token_nothing_is_stored(intake_app: Flask, browser: Browser, csrf: str) -> None:
    clerk = browser("intake_clerk")
    hidden = form_of(clerk, "/petitions/new")
    headers = {}
    if csrf == "missing":
        del hidden["csrf_token"]
    elif csrf == "wrong":
        hidden["csrf_token"] = hidden["csrf_token"][:-4] + "0000"
    elif csrf == "forged":  # a well-formed token of another secret, in both cookie and field
        clerk.set_cookie("__Host-huhang_csrf", "nonce.abc")
        hidden["csrf_token"] = "nonce.abc"
    else:
        headers["Origin"] = "https://evil.example"
    answer = clerk.post("/petitions/new", data={**FORM, **hidden}, headers=headers)
    assert answer.status_code == 400 and answer.mimetype == "text/html"
    assert "表单已失效" in answer.get_data(as_text=True)
    assert count(intake_app) == 0 and count(intake_app, OutboxMessage) == 0


def test_the_api_still_registers_with_a_bearer_token_and_no_csrf(intake_client) -> None:  # type: ignore[no-untyped-def]
    from services.intake.petitions.schemas import PETITION_EXAMPLE

    assert intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE).status_code == 201


def test_a_bearer_token_opens_the_page_too(intake_client) -> None:  # type: ignore[no-untyped-def]
    assert intake_client.get("/petitions/new").status_code == 200


def test_the_nav_link_is_shown_to_the_registering_roles_only(browser: Browser) -> None:
    (item,) = [i for i in MANIFEST.nav if i.href == "/petitions/new"]
    assert set(item.roles or ()) == set(service.REGISTER_ROLES)
    clerk_nav = soup(browser("intake_clerk").get("/petitions/new").data).find("nav", attrs={"aria-label": "主导航"})
    assert clerk_nav.find("a", attrs={"href": "/petitions/new"})


def test_registered_rows_are_the_same_as_the_apis(intake_app: Flask, browser: Browser, intake_client) -> None:  # type: ignore[no-untyped-def]
    """The form and the API build the same petition from the same input (one schema, one service)."""
    from services.intake.petitions.schemas import PETITION_EXAMPLE

    register_by_form(browser("intake_clerk"), channel="网", **{"petitioner.address": "", "visit.visitor_count": "",
                                                              "facts": PETITION_EXAMPLE["facts"]})
    intake_client.post("/api/v1/petitions", json=PETITION_EXAMPLE)
    columns = ("line", "channel", "petition_type", "subject", "petitioner_kind", "petitioner_relation", "petitioner_name",
               "petitioner_id_number", "petitioner_phone", "is_enterprise", "enterprise_name", "enterprise_credit_code",
               "enterprise_size", "enterprise_industry", "enterprise_ownership", "claim", "facts", "reasons", "unit_code")
    with intake_app.extensions["huhang"].session_factory() as session:
        form_row, api_row = session.scalars(select(Petition).order_by(Petition.case_number)).all()
        assert [getattr(form_row, c) for c in columns] == [getattr(api_row, c) for c in columns]
