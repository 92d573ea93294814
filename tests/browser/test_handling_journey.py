"""The 承办人 of 宛城区院 (demo-handler) finds a 交办 item in 我的案件, accepts it on the case page, gives the
final 答复, and the page ends showing 已答复 with the reply document's links (the PDF opens)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from services.review.handling import service
from services.review.triage import states
from services.review.triage.models import TriageItem
from shared.db.engine import make_engine, make_session_factory
from tests.browser.conftest import REPO, Checked, Portal, nav_link, sign_in
from tests.support.stack import wait_for

pytestmark = pytest.mark.browser
SCREENSHOT = REPO / "docs" / "screenshots" / "handling-case-desktop.png"


def _route_a_demo_item(portal: Portal, unit: str) -> tuple[str, str]:
    """交办 one pending demo petition of 控申 to ``unit`` straight in review's database, as triage's route will
    (status routed, the handling unit, the acceptance 期限 through handling's on_routed)."""
    engine = make_engine(f"sqlite:///{Path(portal.var) / 'review.db'}")
    sessions = make_session_factory(engine)
    try:
        def pending() -> TriageItem | None:
            with sessions() as session:
                return session.scalars(select(TriageItem).where(TriageItem.status == states.PENDING,
                                                                TriageItem.line == "12309")
                                       .order_by(TriageItem.received_on.desc()).limit(1)).first()
        wait_for(lambda: pending() is not None, timeout=60, what="a demo petition in review's queue")
        with sessions() as session, session.begin():
            item = session.scalars(select(TriageItem).where(TriageItem.status == states.PENDING,
                                                            TriageItem.line == "12309")
                                   .order_by(TriageItem.received_on.desc()).limit(1).with_for_update()).one()
            item.status = states.ROUTED
            item.handling_unit_code = unit
            service.on_routed(session, item, actor="user:demo-triage")
            return item.petition_id, item.case_number
    finally:
        engine.dispose()


def test_handler_accepts_a_routed_item_and_gives_the_final_reply(make_page: Any, portal: Portal) -> None:
    petition_id, case_number = _route_a_demo_item(portal, "NY-JCY-WC")
    checked: Checked = make_page()
    page = checked.page
    sign_in(checked, "demo-handler")
    nav_link(checked, "我的案件").click()
    page.wait_for_url(re.compile(r"/handling$"))
    row = page.locator("table tbody tr", has_text=case_number)
    assert "已交办" in row.inner_text()
    checked.check("handling-mine")
    row.get_by_role("link", name=case_number).click()
    page.wait_for_url(re.compile(rf"/cases/{petition_id}"))

    panel = page.locator("#handling")
    with page.expect_navigation():
        panel.get_by_role("button", name="受理").click()
    assert "办理中" in panel.inner_text() and "宛城区人民检察院" in panel.inner_text()
    checked.check("handling-case-accepted")
    panel.get_by_label("答复内容").fill("经审查，你反映的企业账户冻结问题，本院已督促有关机关依法处理，冻结已解除。")
    panel.get_by_label("处理结果").select_option("resolved")
    panel.get_by_label("送达方式").select_option("post")
    with page.expect_navigation():
        panel.get_by_role("button", name="答复并生成答复书").click()

    text = panel.inner_text()
    assert "已答复" in text and re.search(r"宛检信复〔\d{4}〕\d+号", text), text
    link = panel.get_by_role("link", name=re.compile(r"^PDF"))
    assert link.is_visible()
    pdf = page.request.get(portal.url(link.get_attribute("href") or ""))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    checked.check("handling-case-replied")
    panel.screenshot(path=str(SCREENSHOT))
