"""What the triage service is given, as typed values; its handlers build them from envelopes.

The service never parses wire strings: a date is a ``date`` by the time it gets there. Parsing is
the payload schema's (``shared.events.intake.PetitionReceivedV1``), run once at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.events import Envelope
from shared.events.intake import PetitionDuplicateSplitV1, PetitionReceivedV1

_PETITION_RECEIVED = PetitionReceivedV1()
_DUPLICATE_SPLIT = PetitionDuplicateSplitV1()


@dataclass(frozen=True)
class PetitionReceived:
    """A petition intake registered (``petition.received`` v1): what triage needs to route it."""

    petition_id: str
    case_number: str
    line: str
    channel: str
    petition_type: str
    is_enterprise: bool
    petitioner_masked: str
    summary: str
    received_at: datetime
    # The Beijing date it was received: the start day (not counted) of its 期限.
    received_on: date
    enterprise_name: str | None = None
    unit_code: str | None = None
    # A 重复件: the original case (its root) it was linked to in intake; None for a new matter.
    duplicate_of: str | None = None
    duplicate_of_case_number: str | None = None
    # The enterprise's 县区 (GB/T 2260) from its credit code: the routing suggestions' key.
    enterprise_division: str | None = None

    @classmethod
    def from_envelope(cls, event: Envelope) -> PetitionReceived:
        """The typed payload of a ``petition.received`` v1 envelope (already validated on decode)."""
        return cls.from_data(_PETITION_RECEIVED.load(event.data))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PetitionReceived:
        """From a loaded `petition.received` (or `petition.duplicate_split`) payload."""
        # Field by field: a field the schema gains later is ignored here until triage needs it.
        return cls(
            petition_id=data["petition_id"],
            case_number=data["case_number"],
            line=data["line"],
            channel=data["channel"],
            petition_type=data["petition_type"],
            is_enterprise=data["is_enterprise"],
            petitioner_masked=data["petitioner_masked"],
            summary=data["summary"],
            received_at=data["received_at"],
            received_on=data["received_on"],
            enterprise_name=data["enterprise_name"],
            unit_code=data["unit_code"],
            duplicate_of=data.get("duplicate_of"),
            duplicate_of_case_number=data.get("duplicate_of_case_number"),
            enterprise_division=data.get("enterprise_division"),
        )


@dataclass(frozen=True)
class DuplicateSplit:
    """A 重复件 split from its original in intake (``petition.duplicate_split`` v1): it needs its own item."""

    petition: PetitionReceived  # as it was received, without duplicate_of
    original_petition_id: str
    original_case_number: str
    split_at: datetime

    @classmethod
    def from_envelope(cls, event: Envelope) -> DuplicateSplit:
        data: dict[str, Any] = _DUPLICATE_SPLIT.load(event.data)
        petition = PetitionReceived.from_data({**data, "duplicate_of": None, "duplicate_of_case_number": None})
        return cls(petition, data["original_petition_id"], data["original_case_number"], data["split_at"])
