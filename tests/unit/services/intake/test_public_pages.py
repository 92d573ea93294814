"""The public pages: the home page of both lines, and the status query (one answer for every mismatch, rate-limited, audited)."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.intake import config
from services.intake.numbering import service as numbering
from services.intake.public.models import StatusQueryAttempt
from tests.unit.portal.conftest import assert_no_inline_code, soup
from tests.unit.services.intake.conftest import ID, PHONE, audit_rows, count, form_of


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 2, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def visitor(intake_app: Flask) -> FlaskClient:
    """Someone on the internet: no account, no token."""
    return intake_app.test_client()


@pytest.fixture
def clock(intake_app: Flask) -> Clock:
    moved = Clock()
    intake_app.extensions["huhang"].extras["clock"] = moved
    return moved


def _ask(client: FlaskClient, case_number: str, code: str, *, addr: str = "203.0.113.7") -> Any:
    hidden = form_of(client, "/public/status")
    return client.post("/public/status", data={**hidden, "case_number": case_number, "query_code": code},
                       environ_base={"REMOTE_ADDR": addr})


def _main(resp: Any) -> str:
    return str(soup(resp.data).find("main"))


def _answered(resp: Any) -> bool:
    """The answer page (its heading), not the form page again."""
    return resp.status_code == 200 and soup(resp.data).find("h1").get_text() == "查询结果"


# --- the home page -----------------------------------------------------------------------------


def test_the_home_page_shows_both_lines_with_their_commitments_and_channels(visitor: FlaskClient) -> None:
    page = visitor.get("/public/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-cache"  # nothing personal on it
    html = soup(page.data)
    cards = {card.find("h2").get_text(): card for card in html.find_all("section", class_="line-card")}
    assert set(cards) == {"12309 检察服务", "12368 诉讼服务"}
    procuratorate, court = cards["12309 检察服务"].get_text(), cards["12368 诉讼服务"].get_text()
    assert "7日内告知受理情况" in procuratorate and "3个月内答复办理过程或结果" in procuratorate
    assert "控告" in procuratorate and "刑事申诉" in procuratorate and "国家赔偿" in procuratorate
    assert "联系法官" in court and "当场答复" in court and "2个工作日内回复" in court
    for card in cards.values():
        assert [dt.get_text()[:2] for dt in card.find("dl", class_="channels").find_all("dt")] == ["来信", "来访", "网上", "来电"]
    assert html.find("a", attrs={"href": "/public/status"})
    assert_no_inline_code(page.get_data(as_text=True))


def test_every_link_of_the_public_pages_leads_somewhere(intake_app: Flask, visitor: FlaskClient) -> None:
    for path in ("/public/", "/public/status"):
        for link in soup(visitor.get(path).data).find_all("a", href=True):
            href = str(link["href"])
            if href.startswith("https://"):
                assert href == "https://www.12309.gov.cn", href  # the one external site, the national one
            elif href.startswith("#"):
                continue
            else:
                assert visitor.get(href).status_code == 200, href


def test_the_public_pages_need_no_account_and_show_no_staff_navigation(visitor: FlaskClient) -> None:
    for path in ("/public/", "/public/status"):
        html = soup(visitor.get(path).data)
        assert html.find("nav", attrs={"aria-label": "公众服务导航"})
        assert not html.find("nav", attrs={"aria-label": "主导航"}) and "退出登录" not in html.get_text()


# --- the status query --------------------------------------------------------------------------


def test_the_query_form_posts_and_puts_nothing_in_the_url(visitor: FlaskClient) -> None:
    page = visitor.get("/public/status")
    form = soup(page.data).find("form", attrs={"action": "/public/status"})
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})
    assert page.headers["Cache-Control"] == "no-store"
    assert_no_inline_code(page.get_data(as_text=True))


def test_the_right_code_shows_the_public_status(intake_app: Flask, visitor: FlaskClient, registered: dict[str, Any]) -> None:
    answer = _ask(visitor, registered["case_number"], registered["query_code"].lower().replace("-", " "))
    assert _answered(answer) and answer.headers["Cache-Control"] == "no-store"
    html = soup(answer.data)
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in html.find("dl").find_all("dt")}
    assert facts["案件编号"] == registered["case_number"]
    assert facts["服务线路"] == "12309 检察服务"
    assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日 星期.", facts["受理时间"])
    assert facts["事项类别"] == "控告" and facts["企业"] == "南阳市宛城区示例机械有限公司"
    assert facts["办理状态"] == "已登记，待受理分流"  # review has announced nothing yet
    assert facts["受理单位"].startswith("南阳市人民检察院") and facts["承办单位"] == "尚未确定"
    steps = [(li.find(class_="case-step__name").get_text(), li.find(class_="badge").get_text())
             for li in html.find("ol", class_="case-steps").find_all("li", recursive=False)]
    assert steps == [("受理", "已完成"), ("分流", "尚未进行"), ("承办单位", "尚未进行"), ("程序性回复", "尚未进行"),
                     ("答复/办结", "尚未进行"), ("评价", "尚未进行")]
    assert "3个月内答复办理过程或结果" in html.find("ol", class_="commitments").get_text()
    # Only what the public may see: no petitioner, no claim, no numbers.
    text = answer.get_data(as_text=True)
    assert "张" not in _main(answer) and "冻结" not in text and ID not in text and PHONE not in text
    assert registered["query_code"] not in text
    assert_no_inline_code(text)


def _unknown(number: str) -> str:
    """Another number of the same organ, line and year, that nobody was given."""
    parsed = numbering.parse(number)
    assert parsed is not None, number
    return str(dataclasses.replace(parsed, serial=999999))


def test_a_full_width_case_number_is_understood(visitor: FlaskClient, registered: dict[str, Any]) -> None:
    typed = registered["case_number"].translate(str.maketrans("0123456789〔〕", "０１２３４５６７８９（）"))
    assert typed != registered["case_number"]
    assert _answered(_ask(visitor, typed, registered["query_code"]))


def test_round_brackets_and_a_missing_hao_are_understood(visitor: FlaskClient, registered: dict[str, Any]) -> None:
    typed = registered["case_number"].replace("〔", " (").replace("〕", ") ").removesuffix("号")
    assert _answered(_ask(visitor, typed, registered["query_code"]))


def test_a_number_of_the_earlier_form_is_still_looked_up(intake_app: Flask, visitor: FlaskClient) -> None:
    answer = _ask(visitor, "12309-2026-000001", "ZZZZZZZZ")
    assert answer.status_code == 200 and "没有查到" in _main(answer)
    assert [r.detail["case_number"] for r in audit_rows(intake_app, "public.status_query")] == ["12309-2026-000001"]


def test_a_wrong_code_and_an_unknown_case_give_the_same_page(visitor: FlaskClient, registered: dict[str, Any]) -> None:
    number = registered["case_number"]
    unknown = _unknown(number)
    wrong = _ask(visitor, number, "ZZZZZZZZ")
    missing = _ask(visitor, unknown, registered["query_code"])
    assert wrong.status_code == missing.status_code == 200
    assert _main(wrong).replace(number, "N") == _main(missing).replace(unknown, "N")
    assert "没有查到" in _main(wrong) and not _answered(wrong) and not _answered(missing)
    # The typed case number is kept for correcting; the code is never echoed.
    assert soup(wrong.data).find(id="case_number")["value"] == number
    assert not soup(wrong.data).find(id="query_code").get("value")


def test_an_invalid_form_is_422_and_looks_nothing_up(intake_app: Flask, visitor: FlaskClient) -> None:
    answer = _ask(visitor, "不是编号", "")
    html = soup(answer.data)
    assert answer.status_code == 422
    assert html.find(id="case_number-error") and html.find(id="query_code-error")
    assert audit_rows(intake_app, "public.status_query") == [] and count(intake_app, StatusQueryAttempt) == 0


def test_without_a_csrf_token_the_query_is_refused(intake_app: Flask, visitor: FlaskClient, registered: dict[str, Any]) -> None:
    resp = visitor.post("/public/status", data={"case_number": registered["case_number"], "query_code": registered["query_code"]})
    assert resp.status_code == 400 and "已登记，待受理分流" not in resp.get_data(as_text=True)
    assert "公众服务导航" in resp.get_data(as_text=True)  # the error page in the public frame
    assert audit_rows(intake_app, "public.status_query") == []


def test_every_query_is_audited_with_its_outcome_and_address_and_never_the_code(
    intake_app: Flask, visitor: FlaskClient, registered: dict[str, Any],
) -> None:
    number, code = registered["case_number"], registered["query_code"]
    _ask(visitor, number, code)
    _ask(visitor, number, "ZZZZZZZZ")
    _ask(visitor, _unknown(number), code)
    rows = audit_rows(intake_app, "public.status_query")
    assert [(r.outcome, r.subject_id, r.detail.get("reason")) for r in rows] == [
        ("success", registered["id"], None),
        ("failure", registered["id"], "wrong_code"),
        ("failure", None, "unknown_case"),
    ]
    assert {r.client_addr for r in rows} == {"203.0.113.7"} and {r.actor for r in rows} == {"anonymous"}
    for row in rows:
        dumped = f"{row.detail} {row.before} {row.after}"
        assert code not in dumped and code.replace("-", "") not in dumped and "ZZZZZZZZ" not in dumped


def test_the_rate_limit_kicks_in_per_address(intake_app: Flask, visitor: FlaskClient, registered: dict[str, Any],
                                             clock: Clock) -> None:
    intake_app.extensions["huhang"].extras["intake_settings"] = config.IntakeSettings(status_query_limit=3,
                                                                                       status_query_window_s=600)
    number, code = registered["case_number"], registered["query_code"]
    for _ in range(3):
        assert _ask(visitor, number, "ZZZZZZZZ").status_code == 200
    limited = _ask(visitor, number, code)  # even the right code: the window is spent
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 601
    assert "查询过于频繁" in _main(limited) and not _answered(limited)
    assert limited.headers["Cache-Control"] == "no-store"
    denied = [r for r in audit_rows(intake_app, "public.status_query") if r.outcome == "denied"]
    assert len(denied) == 1 and denied[0].detail["reason"] == "rate_limited" and denied[0].client_addr == "203.0.113.7"
    # Another address has its own window.
    assert _answered(_ask(visitor, number, code, addr="198.51.100.20"))
    # A refused query is not counted; once the window has passed, the address may ask again.
    clock.now += timedelta(seconds=601)
    assert _answered(_ask(visitor, number, code))


def test_the_window_keeps_no_address_in_clear_and_forgets_old_rows(intake_app: Flask, visitor: FlaskClient,
                                                                   registered: dict[str, Any], clock: Clock) -> None:
    _ask(visitor, registered["case_number"], "ZZZZZZZZ")
    clock.now += timedelta(days=1)
    _ask(visitor, registered["case_number"], "ZZZZZZZZ", addr="198.51.100.20")
    with intake_app.extensions["huhang"].session_factory() as session:
        rows = list(session.scalars(select(StatusQueryAttempt)))
        assert session.scalar(select(func.count()).select_from(StatusQueryAttempt)) == 1  # yesterday's is gone
    assert "198.51.100.20" not in rows[0].client_key and len(rows[0].client_key) == 64


def test_the_public_pages_work_without_javascript(visitor: FlaskClient, registered: dict[str, Any]) -> None:
    """Nothing depends on the script: the query is a plain form, and no element waits for JavaScript."""
    for resp in (visitor.get("/public/"), visitor.get("/public/status"),
                 _ask(visitor, registered["case_number"], registered["query_code"])):
        html = soup(resp.data)
        assert not html.find(attrs={"data-include": True}) and not html.find(attrs={"hidden": True})
        assert [s["src"] for s in html.find_all("script")] == [s["src"] for s in html.find_all("script", src=True)]
