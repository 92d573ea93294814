"""What the court-case service is given, as typed values built from intake's ``court_case.*`` events.

Parsing is the catalogue schema's (``shared.events.intake``), run once at the edge: the service
sees dates as ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.calendar import Unit
from shared.events import Envelope
from shared.events.intake import CourtCaseFiledV1, CourtCaseGreenChannelDecidedV1

_DECIDED = CourtCaseGreenChannelDecidedV1()
_FILED = CourtCaseFiledV1()


@dataclass(frozen=True)
class GreenChannelDecided:
    """``court_case.green_channel_decided`` v1: the 立案绿色通道 granted (立案 due by ``due_on``) or refused."""

    court_case_id: str
    case_number: str
    unit_code: str
    granted: bool
    decided_on: date
    # The start day (not counted) intake counted from; None in events from before the field.
    flagged_on: date | None
    due_on: date | None
    due_provisional: bool
    # The limit the court applied (kept with its decision); None when refused.
    limit: tuple[int, Unit] | None

    @property
    def start_on(self) -> date:
        """The day the limit runs from: the flag's date; the decision's for an event without it."""
        return self.flagged_on or self.decided_on

    @classmethod
    def from_envelope(cls, event: Envelope) -> GreenChannelDecided:
        data = _DECIDED.load(event.data)
        amount, unit = data["limit_amount"], data["limit_unit"]
        return cls(
            court_case_id=data["court_case_id"], case_number=data["case_number"], unit_code=data["unit_code"],
            granted=data["granted"], decided_on=data["decided_on"], flagged_on=data["flagged_on"],
            due_on=data["due_on"], due_provisional=data["due_provisional"],
            limit=(amount, Unit(unit)) if amount is not None and unit is not None else None,
        )


@dataclass(frozen=True)
class CourtCaseFiled:
    """``court_case.filed`` v1: 立案 recorded on ``filed_on``; intake's verdict on the green channel."""

    court_case_id: str
    case_number: str
    unit_code: str
    filed_on: date
    green_channel_due_on: date | None
    green_channel_met: bool | None

    @classmethod
    def from_envelope(cls, event: Envelope) -> CourtCaseFiled:
        data = _FILED.load(event.data)
        return cls(
            court_case_id=data["court_case_id"], case_number=data["case_number"], unit_code=data["unit_code"],
            filed_on=data["filed_on"], green_channel_due_on=data["green_channel_due_on"],
            green_channel_met=data["green_channel_met"],
        )
