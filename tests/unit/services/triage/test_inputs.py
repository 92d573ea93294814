"""The typed edge of triage's handler: a petition.received envelope becomes a PetitionReceived."""

from __future__ import annotations

from datetime import date, datetime, timezone

from services.review.triage.inputs import PetitionReceived
from shared.events import decode, encode, new_event


def test_the_envelope_becomes_typed_dates_and_defaults() -> None:
    event = decode(encode(new_event("petition.received", subject="pid-t", source="intake", data={
        "petition_id": "pid-t", "case_number": "12309-2026-000011", "line": "12309", "channel": "网",
        "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "王*", "summary": "s",
        "received_at": datetime(2026, 9, 30, 15, 30, tzinfo=timezone.utc), "received_on": "2026-09-30",
    })))
    petition = PetitionReceived.from_envelope(event)
    assert petition.received_on == date(2026, 9, 30)
    assert petition.received_at == datetime(2026, 9, 30, 15, 30, tzinfo=timezone.utc)
    assert (petition.enterprise_name, petition.unit_code) == (None, None)
