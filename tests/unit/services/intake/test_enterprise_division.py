"""petition.received carries the enterprise's 县区 (characters 3–8 of its credit code) for review's routing rules."""

from __future__ import annotations

from datetime import datetime, timezone

from services.intake.petitions.events import enterprise_division
from services.review.triage.inputs import PetitionReceived
from shared.events import decode, encode, new_event
from shared.identifiers.credit_code import check_character


def _code(body17: str) -> str:
    return body17 + check_character(body17)


def test_the_division_is_the_registrations_and_none_without_a_valid_code() -> None:
    assert enterprise_division("91411302MA44TFGN0Q") == "411302"  # 宛城区
    assert enterprise_division(_code("91411381" + "MA44TFGN0")) == "411381"  # 邓州市
    assert enterprise_division(_code("91100000" + "MA44TFGN0")) is None  # national registration: no 县区
    assert enterprise_division("91411302MA44TFGN0X") is None  # wrong check character
    assert enterprise_division(None) is None and enterprise_division("") is None


def test_review_reads_it_from_the_event() -> None:
    data = {"petition_id": "p", "case_number": "宛检12309〔2026〕1号", "line": "12309", "channel": "网",
            "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "王*", "summary": "s",
            "received_at": datetime(2026, 3, 2, 1, tzinfo=timezone.utc), "received_on": "2026-03-02",
            "unit_code": "NY-JCY-KS", "enterprise_division": "411302"}
    event = decode(encode(new_event("petition.received", subject="p", source="intake", data=data)))
    assert PetitionReceived.from_envelope(event).enterprise_division == "411302"
    older = decode(encode(new_event("petition.received", subject="p", source="intake",
                                    data={k: v for k, v in data.items() if k != "enterprise_division"})))
    assert PetitionReceived.from_envelope(older).enterprise_division is None
