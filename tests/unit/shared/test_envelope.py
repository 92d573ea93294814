"""The event envelope: validated on the way out and on the way in."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from shared.events import InvalidEvent, decode, encode, new_event
from shared.events.catalog import CATALOG, render_markdown


def _petition_data() -> dict[str, object]:
    return {
        "petition_id": "p-1", "case_number": "12309-2026-000001", "line": "12309", "channel": "网",
        "petition_type": "控告", "is_enterprise": True, "petitioner_masked": "张*", "enterprise_name": "某公司",
        "summary": "诉求", "received_at": datetime(2026, 9, 30, 15, 30, tzinfo=timezone.utc),
        "received_on": "2026-09-30",
    }


def test_round_trip_keeps_every_field() -> None:
    event = new_event("petition.received", subject="p-1", source="intake", data=_petition_data(), trace_id="t" * 16)
    back = decode(encode(event))
    assert back == event
    assert back.data["received_on"] == "2026-09-30"
    assert back.data["received_at"].startswith("2026-09-30T15:30:00")


def test_new_event_rejects_a_bad_payload_at_the_source() -> None:
    data = _petition_data() | {"channel": "传真"}
    with pytest.raises(InvalidEvent) as info:
        new_event("petition.received", subject="p-1", source="intake", data=data)
    assert "channel" in info.value.errors


def test_unknown_type_or_version_is_invalid() -> None:
    with pytest.raises(InvalidEvent, match="unknown event type"):
        new_event("petition.received", subject="p", source="intake", data=_petition_data(), version=9)


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"\xff\xfe", "not JSON"),
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (None, "tombstone"),
        (json.dumps({"id": "x"}).encode(), "envelope invalid"),
    ],
)
def test_decode_refuses_what_is_not_an_event(raw: bytes | None, reason: str) -> None:
    with pytest.raises(InvalidEvent, match=reason):
        decode(raw)


def test_decode_refuses_unknown_envelope_fields_and_bad_data() -> None:
    event = new_event("petition.received", subject="p-1", source="intake", data=_petition_data())
    body = json.loads(encode(event))
    with pytest.raises(InvalidEvent):
        decode(json.dumps(body | {"extra": 1}).encode())
    body["data"]["is_enterprise"] = "maybe"
    with pytest.raises(InvalidEvent, match="payload invalid"):
        decode(json.dumps(body).encode())


def test_catalogue_renders_every_type() -> None:
    text = render_markdown()
    for type_, version in CATALOG:
        assert f"`{type_}` v{version}" in text
