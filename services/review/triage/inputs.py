"""What the triage service is given, as typed values; its handlers build them from envelopes.

The service never parses wire strings: a date is a ``date`` by the time it gets there. Parsing is
the payload schema's (``shared.events.intake.PetitionReceivedV1``), run once at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.events import Envelope
from shared.events.intake import PetitionReceivedV1

_PETITION_RECEIVED = PetitionReceivedV1()


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

    @classmethod
    def from_envelope(cls, event: Envelope) -> PetitionReceived:
        """The typed payload of a ``petition.received`` v1 envelope (already validated on decode)."""
        data: dict[str, Any] = _PETITION_RECEIVED.load(event.data)
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
        )
