"""Fixtures of the 考评反馈 tests: the review app on a migrated database, and 事项 set up in a given state.

Until the handling step lands, an item waiting for its 评价 is written in ``replied`` directly
(the contract's note); its round-1 12309 clocks are attached as triage attaches them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from services.review.deadlines.attaching import attach_for_petition
from services.review.triage.models import TriageItem


@pytest.fixture
def review_app(settings_for) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from services.review import create_app

    app = create_app({"TESTING": True}, settings=settings_for("review"))
    yield app
    app.extensions["huhang"].engine.dispose()


def make_item(
    session: Session, *, status: str = "replied", handling_unit: str | None = "NY-JCY-WC",
    unit: str = "NY-JCY-KS", line: str = "12309", received_on: date = date(2026, 9, 1), clocks: bool = True,
) -> TriageItem:
    """A 事项 in ``status``, handled by ``handling_unit``, received by ``unit``."""
    pid = str(uuid.uuid4())
    item = TriageItem(
        petition_id=pid, case_number=f"宛检12309〔2026〕{uuid.uuid4().int % 100000}号", line=line, channel="信",
        petition_type="控告", is_enterprise=True, petitioner_masked="张*", enterprise_name="南阳某机械有限公司",
        summary="企业账户被冻结", received_on=received_on, status=status, source_event_id=str(uuid.uuid4()),
        unit_code=unit, handling_unit_code=handling_unit,
    )
    session.add(item)
    session.flush()
    if clocks:
        attach_for_petition(session, petition_id=pid, case_number=item.case_number, line=line,
                            received_on=received_on, unit_code=unit)
    return item


@pytest.fixture
def item_in(review_app: Flask) -> Callable[..., str]:
    """Write an item (make_item's arguments) and return its petition id."""

    def make(**kw: object) -> str:
        with review_app.extensions["huhang"].session_factory() as s, s.begin():
            return make_item(s, **kw).petition_id  # type: ignore[arg-type]

    return make
