"""docs/deadlines.md is generated from rules.toml; notify turns deadline notices into inbox items."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.docs import with_generated
from services.review.deadlines.rules import render_markdown
from shared.events import new_event

DOC = Path(__file__).resolve().parents[4] / "docs" / "deadlines.md"


def test_docs_deadlines_is_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert with_generated(text) == text, "run `huhang docs deadlines`"
    assert "HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT" in render_markdown()


def test_a_due_soon_notice_becomes_a_staff_inbox_delivery(engine_for) -> None:  # type: ignore[no-untyped-def]
    from services.notify.deliveries.handlers import HANDLERS
    from services.notify.deliveries.models import Delivery

    _, sessions = engine_for("notify")
    event = new_event("deadline.overdue", subject="pid-1", source="review", data={
        "deadline_id": "d1", "subject": "pid-1", "case_number": "12309-2027-000001", "rule_code": "12309.result_reply",
        "title": "12309 群众信访 办理过程或结果答复（3个月内）", "start_on": date(2026, 11, 20),
        "due_on": date(2027, 2, 22), "warn_on": date(2027, 2, 18), "provisional": True,
    })
    with sessions() as s, s.begin():
        HANDLERS[event.type](s, event)
    with sessions() as s:
        delivery = s.scalars(select(Delivery)).one()
    assert delivery.title.startswith("【已逾期】") and "暂定" in delivery.body
    assert delivery.recipient == "unit:deadline-supervisors"
