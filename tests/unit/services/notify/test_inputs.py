"""Typed handler inputs: the envelope's wire strings become dates, datetimes and flags."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from services.notify.deliveries.inputs import DeadlineNotice, TriageItemCreated
from shared.events import Envelope, new_event
from shared.events.envelope import InvalidEvent


def _triage_event() -> Envelope:
    return new_event("triage.item_created", subject="pid-1", source="review", data={
        "triage_item_id": "t1", "petition_id": "pid-1", "case_number": "12309-2027-000001", "line": "12309",
        "channel": "网", "is_enterprise": True, "received_on": date(2027, 1, 4), "summary": "摘要",
    })


def test_triage_item_created_from_envelope() -> None:
    event = _triage_event()
    assert isinstance(event.data["received_on"], str)  # the wire form the consumer hands over
    notice = TriageItemCreated.from_envelope(event)
    assert notice.received_on == date(2027, 1, 4)
    assert notice.is_enterprise is True and notice.unit_code is None
    assert notice.source.event_id == event.id and notice.source.trace_id == event.trace_id
    assert isinstance(notice.source.occurred_at, datetime) and notice.source.occurred_at.tzinfo is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        notice.case_number = "x"  # type: ignore[misc]
    assert notice.template_context()["event_type"] == "triage.item_created"
    assert "source" not in notice.template_context()


@pytest.mark.parametrize("event_type, overdue", [("deadline.due_soon", False), ("deadline.overdue", True)])
def test_deadline_notice_from_envelope(event_type: str, overdue: bool) -> None:
    event = new_event(event_type, subject="pid-1", source="review", data={
        "deadline_id": "d1", "subject": "pid-1", "rule_code": "r", "title": "期限", "start_on": "2026-11-20",
        "due_on": "2027-02-22", "provisional": False,
    })
    notice = DeadlineNotice.from_envelope(event)
    assert (notice.start_on, notice.due_on, notice.warn_on) == (date(2026, 11, 20), date(2027, 2, 22), None)
    assert notice.case_number is None and notice.provisional is False and notice.overdue is overdue


def test_the_wrong_event_type_is_refused() -> None:
    with pytest.raises(InvalidEvent):
        DeadlineNotice.from_envelope(_triage_event())


def test_an_unparseable_date_is_an_invalid_event() -> None:
    event = _triage_event()
    broken = dataclasses.replace(event, data={**event.data, "received_on": "4 January"})
    with pytest.raises(InvalidEvent, match="received_on"):
        TriageItemCreated.from_envelope(broken)


def test_a_missing_field_is_an_invalid_event() -> None:
    event = _triage_event()
    broken = dataclasses.replace(event, data={k: v for k, v in event.data.items() if k != "summary"})
    with pytest.raises(InvalidEvent, match="summary"):
        TriageItemCreated.from_envelope(broken)
