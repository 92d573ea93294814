"""考评反馈 pages: the panel on the case page with its forms (record, reopen, close), and /feedback/rates."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from services.review.feedback.models import Feedback
from services.review.triage.models import TriageItem
from tests.unit.portal.conftest import assert_page, post_form, sign_in, soup, unlabelled_fields
from tests.unit.services.feedback.conftest import make_item


def _item(app: Flask, **kw: object) -> str:
    with app.extensions["huhang"].session_factory() as s, s.begin():
        return make_item(s, **kw).petition_id  # type: ignore[arg-type]


def _status(app: Flask, pid: str) -> tuple[str, int]:
    with app.extensions["huhang"].session_factory() as s:
        item = s.scalar(select(TriageItem).where(TriageItem.petition_id == pid))
        assert item is not None
        return item.status, item.round


def test_the_panel_records_a_dissatisfied_rating_then_reopens(review_app: Flask) -> None:
    pid = _item(review_app)
    handler = review_app.test_client()
    sign_in(handler, "demo-handler")  # 承办人, 宛城区院 (the handling unit)
    page = assert_page(handler.get(f"/cases/{pid}"), case_data=True)
    panel = page.find("section", id="feedback")
    assert panel is not None and "已答复，尚未记录评价" in panel.get_text()
    assert panel.find("form", attrs={"aria-label": "记录评价"}) is not None
    assert unlabelled_fields(str(panel)) == []

    # 不满意 without reasons: the form again, with what was chosen and what is missing; nothing stored.
    refused = post_form(handler, f"/cases/{pid}/feedback", {"rating": "dissatisfied", "method": "phone"},
                        form_on=f"/cases/{pid}")
    html = assert_page(refused, status=422, case_data=True)
    assert "不满意的理由" in html.get_text()
    assert html.find("input", attrs={"name": "rating", "value": "dissatisfied"}).has_attr("checked")
    with review_app.extensions["huhang"].session_factory() as s:
        assert s.scalars(select(Feedback)).all() == []

    done = post_form(handler, f"/cases/{pid}/feedback", {"rating": "dissatisfied", "method": "phone",
                                                         "reasons": "答复未涉及账户冻结"}, form_on=f"/cases/{pid}")
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/cases/{pid}#feedback")
    panel = soup(handler.get(f"/cases/{pid}").data).find("section", id="feedback")
    assert "不满意" in panel.get_text() and "答复未涉及账户冻结" in panel.get_text()
    assert panel.find("form", attrs={"aria-label": "重新办理"}) is not None
    assert panel.find("form", attrs={"aria-label": "记录评价"}) is None

    reopened = post_form(handler, f"/cases/{pid}/feedback/reopen", {"reason": "重新核查冻结情况"},
                         form_on=f"/cases/{pid}")
    assert reopened.status_code == 303
    assert _status(review_app, pid) == ("handling", 2)
    page = soup(handler.get(f"/cases/{pid}").data)
    badge = page.find("section", id="feedback").find("h2").get_text(" ", strip=True)
    assert "第2轮 办理中" in badge
    assert "第2轮" in page.find("ol", class_="rounds").get_text()


def test_a_unit_above_sees_the_panel_without_its_forms(review_app: Flask) -> None:
    pid = _item(review_app)
    leader = review_app.test_client()
    sign_in(leader, "demo-leader")  # 市院负责人: sees the 宛城 item, does not answer for it
    panel = soup(leader.get(f"/cases/{pid}").data).find("section", id="feedback")
    assert panel is not None and panel.find("form") is None
    refused = post_form(leader, f"/cases/{pid}/feedback", {"rating": "satisfied", "method": "phone"},
                        form_on=f"/cases/{pid}")
    assert refused.status_code == 403


def test_the_rates_page_counts_per_unit_and_checks_its_range(review_app: Flask) -> None:
    pid = _item(review_app)
    handler = review_app.test_client()
    sign_in(handler, "demo-handler")
    post_form(handler, f"/cases/{pid}/feedback", {"rating": "satisfied", "method": "phone"}, form_on=f"/cases/{pid}")
    page = assert_page(handler.get("/feedback/rates"), case_data=True)
    row = page.find("tr", attrs={"data-unit": "NY-JCY-WC"})
    assert row is not None
    cells = {td["data-label"]: td.get_text(strip=True) for td in row.find_all("td")}
    assert (cells["评价"], cells["满意"], cells["满意率"]) == ("1", "1", "100.0%")
    assert unlabelled_fields(page.decode()) == []
    bad = assert_page(handler.get("/feedback/rates?from=2026-12-01&to=2026-11-01"), status=422, case_data=True)
    assert "结束日期不能早于开始日期" in bad.get_text()
