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


def _case_post(unit: str, action: str, data: dict[str, Any]) -> Visit:
    """A handling form of the case page sent (the first item of ``unit``)."""
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        case = "/cases/" + next(m.petition_id for m in items if m.unit_code == unit)
        return post_form(client, f"{case}/handling/{action}", data, form_on="/handling")
    return visit


def _judge(action: str) -> Callable[[Flask], str]:
    return lambda app: f"/admin/accounts/{account(app, 'demo-judge').id}/{action}"


def _clearance_case(app: Flask) -> str:
    """A 宛城区院 挂案 past its thresholds (flagged by the scan), for the clearance pages."""
    import datetime as _dt

    from services.review.cases.clearance import jobs
    from tests.support.clearance import add_case
    factory = app.extensions["huhang"].session_factory
    with factory() as session, session.begin():
        case_id = add_case(session, unit="NY-JCY-WC", filed_on=_dt.date(2024, 3, 1)).id
    jobs.run_once(factory, today=_dt.date(2026, 11, 27))
    return case_id


def _clearance_campaign(app: Flask) -> str:
    import datetime as _dt

    from services.review.cases.clearance.models import ClearanceCampaign, ClearanceCampaignUnit
    _clearance_case(app)
    with app.extensions["huhang"].session_factory() as session, session.begin():
        row = ClearanceCampaign(name="2026年涉企挂案专项清理", starts_on=_dt.date(2026, 11, 1), ends_on=_dt.date(2026, 12, 31),
                                owner_unit_code="NY-JCY", created_by="test")
        session.add(row)
        session.flush()
        session.add(ClearanceCampaignUnit(campaign_id=row.id, unit_code="NY-JCY-WC"))
        return row.id


def _clearance_post(suffix: str) -> Visit:
    """A form of the clearance panel sent empty (the form is shown again with its problems)."""
    return lambda client, app, items: post_form(client, f"/hanging-cases/{_clearance_case(app)}{suffix}", {},
                                                form_on="/hanging-cases")


def _supervised(client: FlaskClient, app: Flask, items: list[Made]) -> str:
    """Put a 宛城区院 item under 挂牌督办 through the panel's form (signed in as demo-leader); its id."""
    from sqlalchemy import select

    from services.review.supervision.models import Supervision

    petition_id = next(m.petition_id for m in items if m.unit_code == "NY-JCY-WC" and m.status != "closed")
    post_form(client, f"/cases/{petition_id}/supervision", {"amount": "5", "instructions": "请报告"},
              form_on="/supervision")
    with app.extensions["huhang"].session_factory() as session:
        return str(session.scalar(select(Supervision.id).where(Supervision.petition_id == petition_id)))


def _on_supervision(action: str, data: dict[str, Any]) -> Visit:
    return lambda client, app, items: post_form(client, f"/supervision/{_supervised(client, app, items)}/{action}",
                                                data, form_on="/supervision")


def _work_order(app: Flask, items: list[Made]) -> str:
    """An order of a 12368 contact of the queue, made by demo-12368 for demo-judge-ms2 (through the service)."""
    from services.review.identity.units.tree import descendants_or_self
    from services.review.work_orders import service
    from shared.actor import Actor
    from shared.auth.principal import make_principal

    clerk = account(app, "demo-12368")
    principal = make_principal(user_id=clerk.id, username=clerk.username, unit_code=clerk.unit_code, roles=clerk.roles,
                               visible_units=descendants_or_self(clerk.unit_code))
    petition_id = next(m.petition_id for m in items if m.unit_code == "NY-FY-SF" and m.status == "pending")
    with app.extensions["huhang"].session_factory() as s, s.begin():
        return service.create(s, petition_id=petition_id, actor=Actor.of(principal), order_in={
            "related_case_number": "（2026）豫13民初1234号", "request": "联系法官", "to_username": "demo-judge-ms2"}).id


def _order_page(suffix: str = "", data: dict[str, Any] | None = None) -> Visit:
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        path = f"/work-orders/{_work_order(app, items)}"
        return post_form(client, path + suffix, data, form_on=path) if suffix else client.get(path)
    return visit


def _sf_case(suffix: str, data: dict[str, Any] | None = None) -> Visit:
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        path = "/cases/" + next(m.petition_id for m in items if m.unit_code == "NY-FY-SF" and m.status == "pending")
        return post_form(client, path + suffix, data, form_on=path) if data is not None else client.get(path + suffix)
    return visit


def _feedback(action: str, data: dict[str, Any]) -> Visit:
    """A 考评反馈 form POSTed by demo-handler on a 宛城 item with a mistake: the form again (422)."""
    return lambda client, app, items: post_form(
        client, "/cases/" + next(m.petition_id for m in items if m.unit_code == "NY-JCY-WC") + action, data,
        form_on="/feedback/rates")


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


def _leniency_check(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
    """A 首违不罚 check of demo-penalty's unit (the repository's lists loaded first), and its result page."""
    import datetime as _dt

    from services.review.identity.units.tree import descendants_or_self
    from services.review.leniency import catalogue, service
    from services.review.leniency.schemas import CHECK_EXAMPLE, CheckCreate
    from shared.actor import Actor
    from shared.auth.principal import make_principal

    reviewer = account(app, "demo-penalty")
    principal = make_principal(user_id=reviewer.id, username=reviewer.username, unit_code=reviewer.unit_code,
                               roles=reviewer.roles, visible_units=descendants_or_self(reviewer.unit_code))
    with app.extensions["huhang"].session_factory() as s, s.begin():
        catalogue.seed(s)
        check = service.create(s, check_in=CheckCreate().load(CHECK_EXAMPLE), actor=Actor.of(principal),
                               today=_dt.date(2026, 11, 27))
        check_id = check.id
    return client.get(f"/leniency-checks/{check_id}")


def _dishonesty_listing(app: Flask) -> str:
    """A 失信 listing registered by demo-clerk-zx (中院执行局) through the service; its id."""
    from datetime import date

    from services.review.dishonesty import service
    from services.review.identity.units.tree import descendants_or_self
    from shared.actor import Actor
    from shared.auth.principal import make_principal
    from shared.calendar import beijing_today

    clerk = account(app, "demo-clerk-zx")
    principal = make_principal(user_id=clerk.id, username=clerk.username, unit_code=clerk.unit_code, roles=clerk.roles,
                               visible_units=descendants_or_self(clerk.unit_code))
    today = beijing_today()
    with app.extensions["huhang"].session_factory() as s, s.begin():
        return service.register(
            s, case_number=f"（{today.year}）豫13执{today.toordinal() % 9000 + 1}号",
            debtor=service.Debtor("enterprise", "南阳市示例建材有限公司", "91411302MA44TFGN0Q"),
            obligation="支付货款", ground=1, listed_on=min(today, date(today.year, 1, 2)), extension_years=0,
            extension_reason=None, on_application=True, consumption_scope="高消费", consumption_issued_on=None,
            contact_email=None, contact_phone=None, actor=Actor.of(principal)).id


def _listing_page(suffix: str = "", data: dict[str, Any] | None = None) -> Visit:
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        path = f"/dishonesty/{_dishonesty_listing(app)}"
        return post_form(client, path + suffix, data, form_on=path) if data is not None else client.get(path)
    return visit


# --- 羁押必要性审查 ---------------------------------------------------------------------------------------------

CUSTODY_FORM = {"trigger": "application", "unit_code": "NY-JCY-XS", "person_name": "王建国",
                "criminal_case_number": "宛公刑立字〔2026〕118号", "charge": "合同诈骗罪", "stage": "investigation",
                "handling_organ": "南阳市公安局", "applicant_kind": "close_relative", "applicant_name": "王小红",
                "applicant_phone": "13800138000", "reasons": "认罪认罚，企业急需其主持生产"}


def _custody_review(app: Flask, trigger: str = "ex_officio") -> str:
    """A review of 市院刑事检察部 opened by demo-prosecutor through the service; its id."""
    from services.review.cases.custody import service
    from services.review.identity.units.tree import descendants_or_self
    from shared.actor import Actor
    from shared.auth.principal import make_principal

    who = account(app, "demo-prosecutor")
    principal = make_principal(user_id=who.id, username=who.username, unit_code=who.unit_code, roles=who.roles,
                               visible_units=descendants_or_self(who.unit_code))
    with app.extensions["huhang"].session_factory() as s, s.begin():
        return service.open_review(s, data={**CUSTODY_FORM, "trigger": trigger, "measures": []},
                                   actor=Actor.of(principal)).id


def _custody(action: str | None = None, data: dict[str, Any] | None = None, trigger: str = "ex_officio") -> Visit:
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        path = f"/custody-reviews/{_custody_review(app, trigger)}"
        return post_form(client, f"{path}/{action}", data, form_on=path) if action else client.get(path)
    return visit


CUSTODY_PAGES = {
    "custody queue": Page("custody_pages.list_page", "demo-prosecutor", _get("/custody-reviews")),
    "custody queue, bad filter": Page("custody_pages.list_page", "demo-prosecutor", _get("/custody-reviews?state=x"),
                                      status=422),
    "custody form": Page("custody_pages.new", "demo-prosecutor", _get("/custody-reviews/new")),
    "custody form, problems": Page("custody_pages.create", "demo-prosecutor", _post(
        "/custody-reviews/new", {"trigger": "application"}, form_on="/custody-reviews/new"), status=422),
    "custody application registered by 控申": Page("custody_pages.create", "demo-triage", _post(
        "/custody-reviews/new", CUSTODY_FORM, form_on="/custody-reviews/new"), status=201),
    "custody case": Page("custody_pages.case_page", "demo-prosecutor", _custody()),
    "custody case, unit leader": Page("custody_pages.case_page", "demo-leader", _custody()),
    "custody decline refused": Page("custody_pages.decline", "demo-prosecutor",
                                    _custody("decline", {}, trigger="detention_centre"), status=422),
    "custody grounds refused": Page("custody_pages.grounds", "demo-prosecutor",
                                    _custody("grounds", {"tick-580.plea": "1"}), status=422),
    "custody extend refused": Page("custody_pages.extend", "demo-prosecutor", _custody("extend", {}), status=422),
    "custody suspend refused": Page("custody_pages.suspend", "demo-prosecutor", _custody("suspend", {}), status=422),
    "custody resume refused": Page("custody_pages.resume", "demo-prosecutor", _custody("resume", {}), status=422),
    "custody decision refused": Page("custody_pages.decide", "demo-prosecutor", _custody("decision", {}), status=422),
    "custody reply refused": Page("custody_pages.reply", "demo-prosecutor", _custody("reply", {}), status=422),
    "custody correction refused": Page("custody_pages.correction", "demo-prosecutor", _custody("correction", {}),
                                       status=422),
}


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
    "督办 list": Page("supervision_pages.list_page", "demo-leader", _get("/supervision")),
    "督办 list, bad filter": Page("supervision_pages.list_page", "demo-leader", _get("/supervision?state=x"), status=422),
    "督办": Page("supervision_pages.detail_page", "demo-leader",
               lambda client, app, items: client.get(f"/supervision/{_supervised(client, app, items)}")),
    "挂牌督办, form problems": Page("supervision_pages.open_submit", "demo-leader", lambda client, app, items: post_form(
        client, f"/cases/{next(m.petition_id for m in items if m.unit_code == 'NY-JCY-WC')}/supervision",
        {"amount": "0"}, form_on="/supervision"), status=422),
    "督办 report, form problems": Page("supervision_pages.report_submit", "demo-leader",
                                     _on_supervision("report", {"text": " "}), status=422),
    "督办 reject, form problems": Page("supervision_pages.reject_submit", "demo-leader",
                                     _on_supervision("reject", {}), status=422),
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
    "work orders": Page("work_orders_pages.list_page", "demo-judge-ms2", _get("/work-orders")),
    "work orders, bad filter": Page("work_orders_pages.list_page", "demo-judge-ms2", _get("/work-orders?scope=x"),
                                    status=422),
    "work order": Page("work_orders_pages.detail", "demo-judge-ms2", _order_page()),
    "work order, reply refused": Page("work_orders_pages.reply", "demo-judge-ms2", _order_page("/reply", {}),
                                      status=422),
    "work order, transfer refused": Page("work_orders_pages.transfer", "demo-judge-ms2", _order_page(
        "/transfer", {"to_unit_code": "NY-FY-MS2", "reasons": "本庭"}), status=422),
    "work order, reassign refused": Page("work_orders_pages.reassign", "demo-leader-ms2", _order_page(
        "/reassign", {"to_username": "demo-judge", "reasons": "x"}), status=422),
    "work order form": Page("work_orders_pages.new", "demo-12368", _sf_case("/work-orders/new")),
    "work order refused": Page("work_orders_pages.create", "demo-12368", _sf_case("/work-orders", {"request": "x"}),
                               status=422),
    "case, 12368 clerk": Page("triage_pages.case_page", "demo-12368", _sf_case("")),
    "audit log": Page("audit_pages.log", "demo-auditor", _get("/audit/review?outcome=failure")),
    "my cases": Page("handling_pages.mine", "demo-handler", _get("/handling")),
    "return refused": Page("handling_pages.return_", "demo-handler", _case_post("NY-JCY-WC", "return", {}), status=422),
    "progress refused": Page("handling_pages.progress", "demo-handler", _case_post("NY-JCY-WC", "progress", {}),
                             status=422),
    "reply refused": Page("handling_pages.replies", "demo-handler", _case_post("NY-JCY-WC", "replies",
                                                                             {"kind": "final"}), status=422),
    "audit log, bad filter": Page("audit_pages.log", "demo-auditor", _get("/audit/review?since=2026-02-30"),
                                  status=422),
    "feedback rates": Page("feedback_pages.rates_page", "demo-leader", _get("/feedback/rates")),
    "feedback rates, bad range": Page("feedback_pages.rates_page", "demo-leader",
                                      _get("/feedback/rates?from=2026-12-01&to=2026-11-01"), status=422),
    "feedback refused": Page("feedback_pages.record_feedback", "demo-handler",
                             _feedback("/feedback", {"rating": "dissatisfied", "method": "phone"}), status=422),
    "reopen refused": Page("feedback_pages.reopen", "demo-handler", _feedback("/feedback/reopen", {}), status=422),
    "close refused": Page("feedback_pages.close", "demo-handler", _feedback("/feedback/close", {}), status=422),
    "leniency checks": Page("leniency_pages.list_page", "demo-penalty", _get("/leniency-checks")),
    "leniency checks, bad filter": Page("leniency_pages.list_page", "demo-penalty",
                                    _get("/leniency-checks?credit_code=123"), status=422),
    "leniency form": Page("leniency_pages.new_page", "demo-penalty", _get("/leniency-checks/new")),
    "leniency form problems": Page("leniency_pages.new_submit", "demo-penalty", _post(
        "/leniency-checks/new", {"credit_code": "123"}, form_on="/leniency-checks/new"), status=422),
    "leniency result": Page("leniency_pages.detail_page", "demo-penalty", _leniency_check),
    # 失信被执行人 (services/review/dishonesty)
    "dishonesty list": Page("dishonesty_pages.list_page", "demo-clerk-zx", _get("/dishonesty?status=listed")),
    "dishonesty list, bad filter": Page("dishonesty_pages.list_page", "demo-judge-zx",
                                        _get("/dishonesty?due_by=2026-02-30"), status=422),
    "dishonesty form": Page("dishonesty_pages.new", "demo-clerk-zx", _get("/dishonesty/new")),
    "dishonesty refused": Page("dishonesty_pages.create", "demo-clerk-zx", _post(
        "/dishonesty", {"case_number": "（2026）豫13民初1号"}, form_on="/dishonesty/new"), status=422),
    "dishonesty listing": Page("dishonesty_pages.detail", "demo-clerk-zx", _listing_page()),
    "dishonesty ground refused": Page("dishonesty_pages.record_ground", "demo-clerk-zx",
                                      _listing_page("/removal-ground", {}), status=422),
    "dishonesty removal refused": Page("dishonesty_pages.remove", "demo-judge-zx", _listing_page("/removal", {}),
                                       status=409),
    "dishonesty correction refused": Page("dishonesty_pages.request_correction", "demo-clerk-zx",
                                          _listing_page("/corrections", {}), status=422),
    "dishonesty review refused": Page("dishonesty_pages.review_correction", "demo-judge-zx",
                                      _listing_page("/corrections/x/review", {}), status=422),
    "dishonesty corrected refused": Page("dishonesty_pages.corrected", "demo-clerk-zx",
                                         _listing_page("/corrections/x/corrected", {}), status=422),
    "dishonesty 复议 refused": Page("dishonesty_pages.reconsideration", "demo-clerk-zx",
                                   _listing_page("/corrections/x/reconsideration", {}), status=422),
    "dishonesty 复议 decision refused": Page("dishonesty_pages.decide", "demo-judge-zx",
                                          _listing_page("/reconsiderations/x/decision", {}), status=422),
    "dishonesty certificate refused": Page("dishonesty_pages.issue", "demo-judge-zx",
                                           _listing_page("/certificates", {}), status=409),
    "dishonesty revocation refused": Page("dishonesty_pages.revoke", "demo-judge-zx",
                                          _listing_page("/certificates/x/revocation", {}), status=422),
    "certificate check": Page("dishonesty_pages.public_check_form", None, _get("/public/certificates"), case_data=False),
    "certificate check, answer": Page("dishonesty_pages.public_check", None, _post(
        "/public/certificates", {"code": "ABCD-EFGH-JKMN-PQRS"}, form_on="/public/certificates"), case_data=False),
    "certificate check, from the QR code": Page("dishonesty_pages.public_check_form", None,
                                                _get("/public/certificates?code=ABCD-EFGH"), case_data=False),
    # 挂案清理 (services/review/cases/clearance)
    "挂案 queue": Page("clearance_pages.queue_page", "demo-prosecutor-wc", _get("/hanging-cases")),
    "挂案 queue, bad filter": Page("clearance_pages.queue_page", "demo-prosecutor-wc", _get("/hanging-cases?rule=x"),
                                 status=422),
    "campaigns": Page("clearance_pages.campaigns_page", "demo-leader", _get("/hanging-cases/campaigns")),
    "campaign refused": Page("clearance_pages.campaign_submit", "demo-leader",
                             _post("/hanging-cases/campaigns", {}, form_on="/hanging-cases/campaigns"), status=422),
    "campaign": Page("clearance_pages.campaign_page", "demo-leader", lambda c, app, items: c.get(
        f"/hanging-cases/campaigns/{_clearance_campaign(app)}")),
    "clearance action refused": Page("clearance_pages.action_submit", "demo-prosecutor-wc",
                                     _clearance_post("/clearance/actions"), status=422),
    "clearance outcome refused": Page("clearance_pages.outcome_submit", "demo-prosecutor-wc",
                                      _clearance_post("/clearance/outcome"), status=422),
    "clearance property refused": Page("clearance_pages.property_submit", "demo-prosecutor-wc",
                                       _clearance_post("/clearance/property/x/return"), status=422),
    "clearance reply, no such action": Page("clearance_pages.reply_submit", "demo-prosecutor-wc", _post(
        "/hanging-cases/clearance/actions/00000000-0000-4000-8000-000000000000/reply", {}, form_on="/hanging-cases"),
        status=404, case_data=False),
}


def _hanging_case(app: Flask) -> str:
    from tests.support.hanging import stored_case

    return stored_case(app.extensions["huhang"].session_factory)


def _hanging_upload(data: bytes, *, follow: bool = False) -> Visit:
    """An import file sent through the import page's form (as demo-prosecutor); the redirect followed if told."""
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        import io

        from tests.unit.portal.conftest import SAME_ORIGIN, csrf_of

        token = csrf_of(client, "/hanging-cases/import")
        answer = client.post("/hanging-cases/import", data={"csrf_token": token, "import-file": (io.BytesIO(data), "x.xlsx")},
                             content_type="multipart/form-data", headers=SAME_ORIGIN)
        return client.get(answer.headers["Location"]) if follow else answer
    return visit


def _hanging_good() -> bytes:
    from tests.support.hanging import row, xlsx

    return xlsx([row(1), row(2)])


def _hanging_bad() -> bytes:
    from tests.support.hanging import row, xlsx

    return xlsx([row(1), row(2, 立案日期="2024-02-30", 嫌疑人1企业职务="股东")])


def _hanging_post(suffix: str, data: dict[str, Any]) -> Visit:
    def visit(client: FlaskClient, app: Flask, items: list[Made]) -> TestResponse:
        case_id = _hanging_case(app)
        with app.extensions["huhang"].session_factory() as session:
            from services.review.cases.hanging.models import HangingCase

            case = session.get(HangingCase, case_id)
            assert case is not None
            part = case.measures[0].id if suffix == "measures" else case.property_items[0].id
        return post_form(client, f"/hanging-cases/{case_id}/{suffix}/{part}", data, form_on=f"/hanging-cases/{case_id}")
    return visit


HANGING_PAGES = {
    "挂案 import": Page("hanging_cases_pages.import_page", "demo-prosecutor", _get("/hanging-cases/import")),
    "挂案 import, leader reads": Page("hanging_cases_pages.import_page", "demo-leader", _get("/hanging-cases/import")),
    "挂案 import refused (row errors)": Page("hanging_cases_pages.import_upload", "demo-prosecutor",
                                         _hanging_upload(_hanging_bad()), status=422),
    "挂案 import done": Page("hanging_cases_pages.import_page", "demo-prosecutor",
                           _hanging_upload(_hanging_good(), follow=True)),
    "挂案 new": Page("hanging_cases_pages.new", "demo-prosecutor", _get("/hanging-cases/new")),
    "挂案 new refused": Page("hanging_cases_pages.create", "demo-prosecutor", _post(
        "/hanging-cases/new", {"case_number": "15号", "measures.0.kind": "bail"}, form_on="/hanging-cases/new"), status=422),
    "挂案 case": Page("hanging_cases_pages.case_page", "demo-prosecutor",
                    lambda client, app, items: client.get(f"/hanging-cases/{_hanging_case(app)}")),
    "挂案 case, lift refused": Page("hanging_cases_pages.change_measure", "demo-prosecutor",
                                 _hanging_post("measures", {"lifted_on": "2024-03-01"}), status=422),
    "挂案 case, return refused": Page("hanging_cases_pages.change_property", "demo-prosecutor",
                                   _hanging_post("property", {}), status=422),
}
PAGES.update(HANGING_PAGES)

PAGES |= CUSTODY_PAGES
# Page endpoints that answer with a redirect or a file, never a page of their own.
NOT_PAGES = {
    "custody_pages.receive": "303 to the case page (a refusal is the error page)",
    "custody_pages.file": "303 to the case page (a refusal is the error page)",
    "custody_pages.document": "the document's PDF or DOCX",
    "accounts_pages.signout": "303 to /signin",
    "portal_pages.session_refresh": "303 to next",
    "accounts_pages.accounts_unlock": "303 to /admin/accounts?unlocked=<username>",
    "portal_pages.asset": "the built stylesheet and script",
    "handling_pages.accept": "303 to the case page (a refusal is the error page)",
    "handling_pages.handler": "303 to the case page (a refusal is the error page)",
    "handling_pages.document": "the reply's PDF or DOCX",
    "supervision_pages.accept_submit": "303 to next (the case page or the 督办's page)",
    "leniency_pages.recommendation_submit": "303 to the check's page (a refusal is the error page)",
    "leniency_pages.recommendation_document": "the 检察建议's PDF or DOCX",
    "hanging_cases_pages.template_xlsx": "the import template (XLSX)",
    "hanging_cases_pages.template_csv": "the import template (CSV)",
    "dishonesty_pages.certificate_pdf": "the 诚信证明's PDF",
    "clearance_pages.document_page": "the action's PDF or DOCX",
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
