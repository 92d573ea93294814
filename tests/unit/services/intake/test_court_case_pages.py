"""The court-case pages: /court-cases (the list), /court-cases/new (the flag), /court-cases/<id> and its forms.

Who may see each page, unit scoping (another court's case is the 404 page), each form's success
and its refusals beside the field that caused them (422, nothing stored), the CSRF check, the
查询码 shown once, masking, no-store, and no inline script or style.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.intake.court_cases.models import CourtCase, FeeReliefApplication, GreenChannelDecision
from services.intake.credentials import codes
from services.intake.credentials import service as credentials
from shared.calendar import beijing_today
from tests.unit.portal.conftest import assert_no_inline_code, soup, unlabelled_fields
from tests.unit.services.court_cases.conftest import ENTERPRISE_CODE, PERSON_ID, case_body
from tests.unit.services.intake.conftest import Browser, audit_rows, form_of

OTHER_CODE = "91410100MA4000002R"  # a second enterprise's 统一社会信用代码 (valid check character)


def _number() -> str:
    return str(case_body()["case_number"])


def flag_form(**changes: str) -> dict[str, str]:
    """The flag form as a clerk fills it in: a natural-person 原告 (row 0) and an enterprise 被告 (row 1)."""
    form = {
        "case_number": _number(), "case_type": "商事", "reason": "被告为辖区民营小微企业，案涉货款关系企业正常经营",
        "parties.0.role": "原告", "parties.0.kind": "natural", "parties.0.name": "李四", "parties.0.id_number": PERSON_ID,
        "parties.1.role": "被告", "parties.1.kind": "enterprise", "parties.1.name": "南阳市宛城区示例机械有限公司",
        "parties.1.credit_code": ENTERPRISE_CODE, "parties.1.enterprise_size": "小型", "parties.1.ownership": "民营",
        # The rows left empty are sent as a browser sends them: their selects still carry a value.
        **{f"parties.{i}.kind": "natural" for i in range(2, 6)},
    }
    form.update(changes)
    return form


def post_flag(client: FlaskClient, **changes: str) -> Any:
    hidden = form_of(client, "/court-cases/new")
    return client.post("/court-cases/new", data={**flag_form(**changes), **hidden})


def case_id_of(resp: Any) -> str:
    html = soup(resp.data)
    form = html.find("form", action=re.compile(r"^/court-cases/[^/]+/green-channel$"))
    assert form is not None, resp.data[:2000]
    return str(form["action"]).split("/")[2]


def _count(app: Flask, model: Any) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _errors(resp: Any) -> dict[str, str]:
    """Each field's error beside it: the `<p class=error id=<field>-error>` texts, by field."""
    return {str(p["id"])[: -len("-error")]: p.get_text() for p in soup(resp.data).find_all("p", class_="error")}


def _post(client: FlaskClient, path: str, form_action: str, data: dict[str, str]) -> Any:
    """POST one form of the case page, with the CSRF token of the page it sits on."""
    page = client.get(path)
    target = soup(page.data).find("form", action=form_action)
    assert target is not None, f"no form {form_action} on {path}"
    hidden = {str(i["name"]): str(i.get("value", "")) for i in target.find_all("input", attrs={"type": "hidden"})}
    return client.post(form_action, data={**hidden, **data})


@pytest.fixture
def clerk(browser: Browser) -> FlaskClient:
    """The 12368 court clerk of 中院诉讼服务中心 (NY-FY-SF)."""
    return browser("court_clerk")


@pytest.fixture
def flagged(clerk: FlaskClient) -> dict[str, Any]:
    """A case flagged through the form: its id, path and the enterprise's code as the answer showed it."""
    resp = post_flag(clerk)
    assert resp.status_code == 201, resp.data[:3000]
    court_case_id = case_id_of(resp)
    code = soup(resp.data).find(class_="query-code").get_text(strip=True)
    return {"id": court_case_id, "path": f"/court-cases/{court_case_id}", "code": code, "html": resp.data}


def _ids(app: Flask, court_case_id: str) -> dict[str, str]:
    with app.extensions["huhang"].session_factory() as session:
        case = session.get(CourtCase, court_case_id)
        assert case is not None
        return {p.kind: p.id for p in case.parties}


# -- who may see the pages ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["judge", "court_clerk"])
def test_the_court_roles_see_the_list_and_the_flag_form(browser: Browser, role: str) -> None:
    client = browser(role)
    for path in ("/court-cases", "/court-cases/new"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store", path
        html = page.get_data(as_text=True)
        assert_no_inline_code(html)
        assert unlabelled_fields(html) == []
        nav = soup(page.data).find("nav", class_="site-nav")
        assert nav is not None and nav.find("a", href="/court-cases", string="涉企案件") is not None


@pytest.mark.parametrize("role", ["intake_clerk", "triage_officer", "case_handler", "unit_leader", "auditor", "admin"])
def test_other_roles_get_the_403_page(browser: Browser, flagged: dict[str, Any], role: str) -> None:
    client = browser(role, "NY-FY" if role not in ("auditor", "admin") else None)
    for path in ("/court-cases", "/court-cases/new", flagged["path"]):
        page = client.get(path)
        assert page.status_code == 403 and "无权查看此页" in page.get_data(as_text=True), (role, path)
    if role == "intake_clerk":  # a page this role does see: no link to the court's pages in its navigation
        assert soup(client.get("/petitions/new").data).find("a", href="/court-cases") is None


def test_the_task_force_reads_but_gets_no_forms(browser: Browser, flagged: dict[str, Any]) -> None:
    client = browser("task_force")
    assert client.get("/court-cases/new").status_code == 403
    page = client.get(flagged["path"])
    assert page.status_code == 200
    assert soup(page.data).find("form", action=re.compile("^/court-cases/")) is None
    listed = client.get("/court-cases")
    assert soup(listed.data).find("a", href=flagged["path"]) is not None


def test_signed_out_is_sent_to_sign_in(browser: Browser) -> None:
    page = browser(None).get("/court-cases")
    assert page.status_code == 303 and page.headers["Location"].startswith("/signin?next=%2Fcourt-cases")


def test_another_courts_case_is_the_404_page(browser: Browser, flagged: dict[str, Any]) -> None:
    other = browser("court_clerk", "NY-FY-DZ")  # 邓州法院's clerk: not a unit below 中院诉服
    page = other.get(flagged["path"])
    assert page.status_code == 404
    assert soup(other.get("/court-cases").data).find("a", href=flagged["path"]) is None
    assert browser("court_clerk").get("/court-cases/no-such-id").status_code == 404
    assert browser("court_clerk").get("/court-cases/" + "x" * 80).status_code == 404
    # Its forms too: nothing is written for another court.
    hidden = form_of(other, "/court-cases/new")  # a valid CSRF pair for this browser
    refused = other.post(f"{flagged['path']}/green-channel", data={**hidden, "green-granted": "true"})
    assert refused.status_code == 404
    assert browser("judge", "NY-FY").get(flagged["path"]).status_code == 200  # the 中院 sees the units below it


# -- the list -----------------------------------------------------------------------------------


def test_the_list(intake_app: Flask, clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    second = post_flag(clerk, **{"parties.1.name": "南阳示例贸易有限公司", "parties.1.credit_code": OTHER_CODE,
                                 "case_type": "民事"})
    second_id = case_id_of(second)
    _post(clerk, flagged["path"], f"{flagged['path']}/green-channel", {"green-granted": "true"})
    enterprise = _ids(intake_app, flagged["id"])["enterprise"]
    _post(clerk, flagged["path"], f"{flagged['path']}/fee-relief-applications", {
        "fr-party_id": enterprise, "fr-kind": "减交", "fr-situation_code": "46.4", "fr-proof": "近三个月财务报表",
        "fr-stage": "起诉", "fr-requested_percent": "50"})
    page = clerk.get("/court-cases")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    rows = {tr.find("a")["href"]: {td["data-label"]: td.get_text(" ", strip=True) for td in tr.find_all("td")}
            for tr in soup(page.data).find("table").find("tbody").find_all("tr")}
    assert len(rows) == 2
    first = rows[flagged["path"]]
    assert first["状态"] == "已标记，待立案" and first["类型"] == "商事"
    assert first["企业当事人"] == "南阳市宛城区示例机械有限公司"
    assert first["立案绿色通道"].startswith("准予适用") and re.search("剩 ?\\d+ ?天", first["立案绿色通道"])
    assert first["待决定的司法救助申请"] == "1 减交"
    other = rows[f"/court-cases/{second_id}"]
    assert other["立案绿色通道"] == "未决定" and other["待决定的司法救助申请"] == "无"
    # Filters: the API's own arguments.
    only_civil = soup(clerk.get("/court-cases?case_type=民事").data).find("tbody").find_all("a")
    assert [a["href"] for a in only_civil] == [f"/court-cases/{second_id}"]
    bad = clerk.get("/court-cases?status=nonsense")
    assert bad.status_code == 422 and "请从选项中选择" in _errors(bad)["status"]


# -- the flag -----------------------------------------------------------------------------------


def test_the_flag_answers_with_the_code_once(intake_app: Flask, clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    html = flagged["html"].decode()
    assert_no_inline_code(html)
    assert "查询码只在本页显示这一次" in html
    button = soup(html).find("button", attrs={"data-print": True})
    assert button is not None and button.has_attr("hidden")
    # The code shown opens the enterprise party, and it is the real one.
    party_id = _ids(intake_app, flagged["id"])["enterprise"]
    with intake_app.extensions["huhang"].session_factory() as session:
        case_number = session.get(CourtCase, flagged["id"]).case_number
        assert credentials.check(session, kind="court_party", lookup_key=case_number,
                                 entered=codes.normalise(flagged["code"])) == party_id
    # Never again: the case page and the list do not show it.
    again = clerk.get(flagged["path"])
    assert again.status_code == 200 and again.headers["Cache-Control"] == "no-store"
    for text in (again.get_data(as_text=True), clerk.get("/court-cases").get_data(as_text=True)):
        assert flagged["code"] not in text and codes.normalise(flagged["code"]) not in text
        assert "查询码只在本页显示这一次" not in text


def test_the_case_page_masks_the_natural_person(clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    for text in (flagged["html"].decode(), clerk.get(flagged["path"]).get_data(as_text=True)):
        assert "李四" not in text and PERSON_ID not in text
        assert "李*" in text and "4113**********1236" in text
        assert "南阳市宛城区示例机械有限公司" in text and ENTERPRISE_CODE in text


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"case_number": "（2022）豫13民X1234号"}, "case_number", "类型代字"),
    ({"case_number": "2022豫13民初号"}, "case_number", ""),
    ({"case_type": "执行"}, "case_type", "类型代字"),
    ({"parties.1.credit_code": "91411302MA44TFGN0X"}, "parties.1.credit_code", "统一社会信用代码"),
    ({"parties.1.credit_code": ""}, "parties.1.credit_code", "企业当事人须填写统一社会信用代码"),
    ({"parties.0.id_number": "411302199001011237"}, "parties.0.id_number", "身份证"),
    ({"parties.1.kind": "natural", "parties.1.credit_code": "", "parties.1.enterprise_size": "",
      "parties.1.ownership": ""}, "parties", "至少应有一方当事人是企业"),
    ({"parties.0.name": "", "parties.0.id_number": "", "parties.1.name": "", "parties.1.credit_code": ""},
     "parties", "请至少填写一方当事人"),
    ({"reason": ""}, "reason", "此项必填"),
])
def test_a_refused_flag_shows_the_message_beside_its_field(intake_app: Flask, clerk: FlaskClient,
                                                          changes: dict[str, str], field: str, message: str) -> None:
    resp = post_flag(clerk, **changes)
    assert resp.status_code == 422, resp.data[:2000]
    errors = _errors(resp)
    assert field in errors and message in errors[field], errors
    html = soup(resp.data)
    target = html.find(id=field)
    assert target is not None
    if target.name in ("input", "select", "textarea"):
        assert target.get("aria-invalid") == "true"
    # The summary links to the field, and nothing typed is lost.
    assert html.find("div", id="form-errors").find("a", href=f"#{field}") is not None
    kept = html.find("input", id="parties.1.name")
    assert kept is not None and kept.get("value", "") == changes.get("parties.1.name", "南阳市宛城区示例机械有限公司")
    assert _count(intake_app, CourtCase) == 0


def test_a_refusal_lands_on_the_row_it_was_typed_in(clerk: FlaskClient) -> None:
    # Row 0 left empty, the enterprise typed in row 3: its bad code is reported on row 3, not row 0.
    resp = post_flag(clerk, **{"parties.0.name": "", "parties.0.id_number": "", "parties.1.name": "",
                               "parties.1.credit_code": "", "parties.1.kind": "natural",
                               "parties.1.enterprise_size": "", "parties.1.ownership": "",
                               "parties.3.role": "被告", "parties.3.kind": "enterprise", "parties.3.name": "某公司",
                               "parties.3.credit_code": "91411302MA44TFGN0X"})
    assert resp.status_code == 422
    assert set(_errors(resp)) == {"parties.3.credit_code"}


def test_a_second_flag_of_the_same_case_is_409_with_a_link(clerk: FlaskClient, flagged: dict[str, Any],
                                                          intake_app: Flask) -> None:
    with intake_app.extensions["huhang"].session_factory() as session:
        number = session.get(CourtCase, flagged["id"]).case_number
    # The same 案号, written with half-width parentheses.
    resp = post_flag(clerk, case_number=number.replace("（", "(").replace("）", ")"))
    assert resp.status_code == 409
    assert "该案号已标记为涉企案件" in _errors(resp)["case_number"]
    assert soup(resp.data).find("a", href=flagged["path"]) is not None
    assert _count(intake_app, CourtCase) == 1


def test_the_flag_form_needs_its_csrf_token(intake_app: Flask, clerk: FlaskClient) -> None:
    clerk.get("/court-cases/new")
    assert clerk.post("/court-cases/new", data=flag_form()).status_code == 400
    hidden = form_of(clerk, "/court-cases/new")
    forged = clerk.post("/court-cases/new", data={**flag_form(), **hidden}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 400
    assert _count(intake_app, CourtCase) == 0


def test_the_flag_is_audited_as_the_api_audits_it(intake_app: Flask, flagged: dict[str, Any]) -> None:
    (row,) = audit_rows(intake_app, "court_case.flag")
    assert row.actor == "t-court_clerk" and row.subject_id == flagged["id"]
    assert PERSON_ID not in str(row.after)
    assert [r.subject_id for r in audit_rows(intake_app, "credential.issue")] != []


# -- 立案绿色通道 and 立案 -------------------------------------------------------------------------


def test_the_green_channel_granted_sets_the_due_date(intake_app: Flask, clerk: FlaskClient,
                                                     flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    done = _post(clerk, path, f"{path}/green-channel", {"green-granted": "true"})
    assert done.status_code == 303 and done.headers["Location"] == f"{path}?done=green"
    page = clerk.get(done.headers["Location"])
    assert "已记录立案绿色通道的决定" in page.get_data(as_text=True)
    with intake_app.extensions["huhang"].session_factory() as session:
        green = session.scalars(select(GreenChannelDecision)).one()
        due = green.due_on
    assert due is not None and due > beijing_today()
    section = soup(page.data).find("section", attrs={"aria-labelledby": "green-title"})
    text = section.get_text(" ", strip=True)
    assert "准予适用" in text and "3个工作日" in text and f"{due.year}年{due.month}月{due.day}日" in text
    assert section.find("form") is None  # decided once
    again = clerk.post(f"{path}/green-channel", data={**form_of(clerk, path), "green-granted": "false",
                                                      "green-reasons": "x"})
    assert again.status_code == 409 and "已作出决定" in again.get_data(as_text=True)


def test_a_green_channel_refusal_needs_reasons_beside_the_field(intake_app: Flask, clerk: FlaskClient,
                                                                 flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    refused = _post(clerk, path, f"{path}/green-channel", {"green-granted": "false"})
    assert refused.status_code == 422
    assert "应当写明理由" in _errors(refused)["green-reasons"]
    assert soup(refused.data).find("textarea", id="green-reasons")["aria-invalid"] == "true"
    missing = _post(clerk, path, f"{path}/green-channel", {})
    assert missing.status_code == 422 and "此项必填" in _errors(missing)["green-granted"]
    assert _count(intake_app, GreenChannelDecision) == 0
    ok = _post(clerk, path, f"{path}/green-channel", {"green-granted": "false", "green-reasons": "不属于涉企重点案件"})
    assert ok.status_code == 303
    text = clerk.get(path).get_data(as_text=True)
    assert "不予适用" in text and "不属于涉企重点案件" in text


def test_filing_closes_the_clock_and_a_future_date_is_refused(intake_app: Flask, clerk: FlaskClient,
                                                               flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    _post(clerk, path, f"{path}/green-channel", {"green-granted": "true"})
    tomorrow = (beijing_today() + _dt.timedelta(days=1)).isoformat()
    future = _post(clerk, path, f"{path}/filing", {"filing-filed_on": tomorrow})
    assert future.status_code == 422 and "日期不能晚于今天" in _errors(future)["filing-filed_on"]
    bad = _post(clerk, path, f"{path}/filing", {"filing-filed_on": "2026-02-30"})
    assert bad.status_code == 422 and "有效的日期" in _errors(bad)["filing-filed_on"]
    done = _post(clerk, path, f"{path}/filing", {"filing-filed_on": beijing_today().isoformat()})
    assert done.status_code == 303
    page = soup(clerk.get(path).data)
    assert "按期立案" in page.find("section", attrs={"aria-labelledby": "green-title"}).get_text()
    assert page.find("form", action=f"{path}/filing") is None
    assert "已立案" in page.find("section", attrs={"aria-labelledby": "facts-title"}).get_text()


# -- 诉讼费 缓交/减交/免交 -----------------------------------------------------------------------


def _apply(client: FlaskClient, path: str, party: str, **changes: str) -> Any:
    data = {"fr-party_id": party, "fr-kind": "减交", "fr-situation_code": "46.4", "fr-proof": "企业近三个月财务报表、银行流水",
            "fr-stage": "起诉", "fr-requested_percent": "50", **changes}
    return _post(client, path, f"{path}/fee-relief-applications", {k: v for k, v in data.items() if v})


def test_the_application_form_offers_the_situations_with_their_text(clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    select_ = soup(clerk.get(flagged["path"]).data).find("select", id="fr-situation_code")
    groups = {g["label"]: [o.get_text() for o in g.find_all("option")] for g in select_.find_all("optgroup")}
    assert set(groups) == {"缓交（诉讼费用交纳办法第四十七条）", "减交（诉讼费用交纳办法第四十六条）",
                           "免交（诉讼费用交纳办法第四十五条）"}
    assert "46.4 确实需要减交的其他情形" in groups["减交（诉讼费用交纳办法第四十六条）"]
    assert "45.1 残疾人无固定生活来源的" in groups["免交（诉讼费用交纳办法第四十五条）"]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"fr-kind": "免交", "fr-situation_code": "45.5", "fr-requested_percent": ""}, "fr-party_id", "只适用于自然人"),
    ({"fr-situation_code": "47.4"}, "fr-situation_code", "所引情形不属于该类司法救助"),
    ({"fr-kind": "缓交", "fr-situation_code": "47.4"}, "fr-requested_percent", "只有减交需要写明比例"),
    ({"fr-proof": ""}, "fr-proof", "此项必填"),
    ({"fr-stage": "审理"}, "fr-stage", "请从选项中选择"),
    ({"fr-applied_on": "2999-01-01"}, "fr-applied_on", "日期不能晚于今天"),
])
def test_a_refused_application_shows_the_rule_beside_its_field(intake_app: Flask, clerk: FlaskClient,
                                                              flagged: dict[str, Any], changes: dict[str, str],
                                                              field: str, message: str) -> None:
    enterprise = _ids(intake_app, flagged["id"])["enterprise"]
    resp = _apply(clerk, flagged["path"], enterprise, **changes)
    assert resp.status_code == 422, resp.data[:1500]
    errors = _errors(resp)
    assert field in errors and message in errors[field], errors
    assert _count(intake_app, FeeReliefApplication) == 0


def test_a_reduction_is_applied_for_and_decided(intake_app: Flask, clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    enterprise = _ids(intake_app, flagged["id"])["enterprise"]
    done = _apply(clerk, path, enterprise)
    assert done.status_code == 303 and done.headers["Location"] == f"{path}?done=application"
    with intake_app.extensions["huhang"].session_factory() as session:
        application_id = session.scalars(select(FeeReliefApplication.id)).one()
    action = f"{path}/fee-relief-applications/{application_id}/decision"
    pre = f"d-{application_id}-"
    # Below art. 46's 30%, and a refusal without reasons: each beside its field, nothing decided.
    low = _post(clerk, path, action, {f"{pre}granted": "true", f"{pre}granted_percent": "20"})
    assert low.status_code == 422 and "不得低于30%" in _errors(low)[f"{pre}granted_percent"]
    bare = _post(clerk, path, action, {f"{pre}granted": "false"})
    assert bare.status_code == 422 and "书面说明理由" in _errors(bare)[f"{pre}reasons"]
    assert soup(bare.data).find("textarea", id=f"{pre}reasons")["aria-invalid"] == "true"
    with intake_app.extensions["huhang"].session_factory() as session:
        assert session.get(FeeReliefApplication, application_id).granted is None
    ok = _post(clerk, path, action, {f"{pre}granted": "true", f"{pre}granted_percent": "50"})
    assert ok.status_code == 303 and ok.headers["Location"] == f"{path}?done=decision"
    page = soup(clerk.get(path).data)
    relief = page.find("section", attrs={"aria-labelledby": "relief-title"}).get_text(" ", strip=True)
    assert "准予减交 50%" in relief and "应当在法律文书中载明" in relief
    assert page.find("form", action=action) is None
    # The public timeline, as the enterprise sees it, carries its own relief step.
    public = page.find("section", attrs={"aria-labelledby": "public-title"}).get_text(" ", strip=True)
    assert "诉讼费减交申请" in public and "诉讼费减交：准予（减交50%）" in public
    assert "财务报表" not in public  # no content, only steps
    (row,) = audit_rows(intake_app, "court_case.fee_relief_decide")
    assert row.after["granted_percent"] == 50


def test_a_pending_deferral_holds_filing_and_the_refusal_is_shown(intake_app: Flask, clerk: FlaskClient,
                                                                  flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    enterprise = _ids(intake_app, flagged["id"])["enterprise"]
    assert _apply(clerk, path, enterprise, **{"fr-kind": "缓交", "fr-situation_code": "47.4",
                                            "fr-requested_percent": ""}).status_code == 303
    held = _post(clerk, path, f"{path}/filing", {"filing-filed_on": beijing_today().isoformat()})
    assert held.status_code == 409 and "第四十九条" in _errors(held)["filing-form"]
    assert soup(held.data).find("form", id="filing-form") is not None


def test_the_step_forms_need_the_csrf_token(intake_app: Flask, clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    party = _ids(intake_app, flagged["id"])["enterprise"]
    for action, data in [(f"{path}/green-channel", {"green-granted": "true"}),
                         (f"{path}/filing", {}),
                         (f"{path}/fee-relief-applications", {"fr-party_id": party}),
                         (f"{path}/parties/{party}/query-code", {f"q-{party}-reason": "遗失"})]:
        assert clerk.post(action, data=data).status_code == 400, action
    assert _count(intake_app, GreenChannelDecision) == 0
    assert clerk.get(path).status_code == 200 and "立案日期" in clerk.get(path).get_data(as_text=True)


# -- 重新签发查询码 ---------------------------------------------------------------------------


def test_reissuing_a_code_shows_the_new_one_once_and_the_old_one_stops(intake_app: Flask, clerk: FlaskClient,
                                                                       flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    ids = _ids(intake_app, flagged["id"])
    action = f"{path}/parties/{ids['enterprise']}/query-code"
    pre = f"q-{ids['enterprise']}-"
    short = _post(clerk, path, action, {f"{pre}reason": ""})
    assert short.status_code == 422 and f"{pre}reason" in _errors(short)
    assert soup(short.data).find("details", class_="reveal").has_attr("open")
    resp = _post(clerk, path, action, {f"{pre}reason": "企业遗失查询码"})
    assert resp.status_code == 201 and resp.headers["Cache-Control"] == "no-store"
    new_code = soup(resp.data).find(class_="query-code").get_text(strip=True)
    assert new_code != flagged["code"] and "查询码只在本页显示这一次" in resp.get_data(as_text=True)
    assert_no_inline_code(resp.get_data(as_text=True))
    with intake_app.extensions["huhang"].session_factory() as session:
        number = session.get(CourtCase, flagged["id"]).case_number
        check = lambda code: credentials.check(session, kind="court_party", lookup_key=number,  # noqa: E731
                                               entered=codes.normalise(code))
        assert check(new_code) == ids["enterprise"] and check(flagged["code"]) is None
    assert new_code not in clerk.get(path).get_data(as_text=True)
    (row,) = audit_rows(intake_app, "credential.reissue")
    assert "企业遗失查询码" in str(row.detail)
    # A natural person has no code: no form for them.
    assert soup(clerk.get(path).data).find("form", action=f"{path}/parties/{ids['natural']}/query-code") is None


def test_a_natural_person_gets_no_code(intake_app: Flask, clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    path = flagged["path"]
    natural = _ids(intake_app, flagged["id"])["natural"]
    hidden = form_of(clerk, path)
    resp = clerk.post(f"{path}/parties/{natural}/query-code", data={**hidden, f"q-{natural}-reason": "遗失查询码"})
    assert resp.status_code == 422 and "查询码只签发给企业当事人" in resp.get_data(as_text=True)
    assert audit_rows(intake_app, "credential.reissue") == []


def test_every_court_case_page_is_clean_html(intake_app: Flask, clerk: FlaskClient, flagged: dict[str, Any]) -> None:
    enterprise = _ids(intake_app, flagged["id"])["enterprise"]
    _apply(clerk, flagged["path"], enterprise)
    for path in ("/court-cases", "/court-cases/new", flagged["path"]):
        html = clerk.get(path).get_data(as_text=True)
        assert_no_inline_code(html)
        assert unlabelled_fields(html) == [], path
        ids = [t["id"] for t in BeautifulSoup(html, "html.parser").find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids on {path}"
