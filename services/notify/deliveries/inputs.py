"""Typed inputs of the delivery handlers: an envelope's payload as a frozen value.

The envelope keeps its payload in wire form (ISO strings, see `shared/events/envelope.py`); the
service should not re-parse strings or guess keys, so each handler first turns the envelope into
one of these (`TriageItemCreated.from_envelope(event)`) and hands that to `service.py`.  Dates are
`date`, instants are `datetime`.  A payload that cannot be parsed raises `InvalidEvent`, which the
consumer dead-letters (the catalogue schema already validated it, so this means a code bug).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from shared.events import Envelope
from shared.events.envelope import InvalidEvent


@dataclass(frozen=True)
class EventSource:
    """Which event a notice comes from: ties the delivery to it (dedup key, trace, audit)."""

    event_id: str
    event_type: str
    trace_id: str
    occurred_at: datetime

    @classmethod
    def of(cls, event: Envelope) -> "EventSource":
        return cls(event_id=event.id, event_type=event.type, trace_id=event.trace_id, occurred_at=event.occurred_at)


class NoticeInput(Protocol):
    """What the renderer and the start-up template check need from any typed input."""

    @property
    def source(self) -> EventSource: ...

    def template_context(self) -> dict[str, Any]: ...


def _date(data: dict[str, Any], key: str, event: Envelope) -> date:
    value = _optional_date(data, key, event)
    if value is None:
        raise InvalidEvent(f"{event.type}: {key} is required")
    return value


def _optional_date(data: dict[str, Any], key: str, event: Envelope) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, datetime):  # a datetime is a date too: refuse it rather than drop its time
        raise InvalidEvent(f"{event.type}: {key} is an instant, not a date")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidEvent(f"{event.type}: {key} is not an ISO date: {value!r}") from exc


def _require_type(event: Envelope, *types: str) -> None:
    if event.type not in types:
        raise InvalidEvent(f"expected one of {types}, got {event.type}")


def _context(value: Any) -> dict[str, Any]:
    """The template variables: every field but `source`, plus the event type."""
    ctx = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "source"}
    ctx["event_type"] = value.source.event_type
    return ctx


@dataclass(frozen=True)
class TriageItemCreated:
    """`triage.item_created` v1: a petition entered the 受理分流 queue."""

    source: EventSource
    triage_item_id: str
    petition_id: str
    case_number: str
    line: str
    channel: str  # how the petition arrived (信、访、网、电), not a notify channel
    is_enterprise: bool
    received_on: date
    summary: str
    unit_code: str | None

    @classmethod
    def from_envelope(cls, event: Envelope) -> "TriageItemCreated":
        _require_type(event, "triage.item_created")
        data = event.data
        try:
            return cls(
                source=EventSource.of(event),
                triage_item_id=str(data["triage_item_id"]),
                petition_id=str(data["petition_id"]),
                case_number=str(data["case_number"]),
                line=str(data["line"]),
                channel=str(data["channel"]),
                is_enterprise=bool(data["is_enterprise"]),
                received_on=_date(data, "received_on", event),
                summary=str(data["summary"]),
                unit_code=data.get("unit_code"),
            )
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is missing") from exc

    def template_context(self) -> dict[str, Any]:
        return _context(self)


@dataclass(frozen=True)
class DeadlineNotice:
    """`deadline.due_soon` / `deadline.overdue` v1: a deadline is near, or past (督办)."""

    source: EventSource
    deadline_id: str
    subject: str
    case_number: str | None
    unit_code: str | None
    rule_code: str
    title: str
    start_on: date
    due_on: date
    warn_on: date | None
    # 暂定: the holiday arrangement of the due date's year is not published yet.
    provisional: bool

    @classmethod
    def from_envelope(cls, event: Envelope) -> "DeadlineNotice":
        _require_type(event, "deadline.due_soon", "deadline.overdue")
        data = event.data
        try:
            return cls(
                source=EventSource.of(event),
                deadline_id=str(data["deadline_id"]),
                subject=str(data["subject"]),
                case_number=data.get("case_number"),
                unit_code=data.get("unit_code"),
                rule_code=str(data["rule_code"]),
                title=str(data["title"]),
                start_on=_date(data, "start_on", event),
                due_on=_date(data, "due_on", event),
                warn_on=_optional_date(data, "warn_on", event),
                provisional=bool(data["provisional"]),
            )
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is missing") from exc

    @property
    def overdue(self) -> bool:
        return self.source.event_type == "deadline.overdue"

    def template_context(self) -> dict[str, Any]:
        return _context(self)


# -- 涉企 court cases (intake's court_case.* v1) ------------------------------------------------
# The events carry no ID number; a person's name comes masked, an enterprise's whole.  The notices
# name parties by role and name only (no 统一社会信用代码 either: the 案号 finds the case).

COURT_CASE_TYPES = ("court_case.flagged", "court_case.green_channel_decided", "court_case.filed",
                    "court_case.fee_relief_applied", "court_case.fee_relief_decided")


@dataclass(frozen=True)
class CourtParty:
    """A party as a notice names it."""

    role: str
    kind: str
    name: str

    @classmethod
    def of(cls, data: Any, event: Envelope) -> "CourtParty":
        if not isinstance(data, dict):
            raise InvalidEvent(f"{event.type}: a party is not an object")
        return cls(role=str(data["role"]), kind=str(data["kind"]), name=str(data["name"]))


def _period_label(amount: Any, unit: Any) -> str | None:
    """"3个工作日", "7日", "1个月": the green channel's limit in words (None when refused)."""
    if amount is None or unit is None:
        return None
    words = {"day": "日", "working_day": "个工作日", "month": "个月"}
    # An unknown unit is shown as sent rather than dead-lettering the notice.
    return f"{amount}{words.get(str(unit), str(unit))}"


@dataclass(frozen=True)
class CourtCaseStep:
    """What every `court_case.*` notice has: the case (id, 案号) and the court unit it is filed under."""

    source: EventSource
    court_case_id: str
    case_number: str
    unit_code: str

    @classmethod
    def from_envelope(cls, event: Envelope) -> "CourtCaseStep":
        """The typed input of any `court_case.*` v1 event (the subclass for its type)."""
        _require_type(event, *COURT_CASE_TYPES)
        data = event.data
        try:
            common = {"source": EventSource.of(event), "court_case_id": str(data["court_case_id"]),
                      "case_number": str(data["case_number"]), "unit_code": str(data["unit_code"])}
            return _COURT_STEPS[event.type].fields_of(event, common)
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is missing") from exc

    @classmethod
    def fields_of(cls, event: Envelope, common: dict[str, Any]) -> "CourtCaseStep":
        raise NotImplementedError

    def template_context(self) -> dict[str, Any]:
        return _context(self)


@dataclass(frozen=True)
class CourtCaseFlagged(CourtCaseStep):
    """`court_case.flagged`: a judge or clerk flagged the case as 涉企."""

    case_type: str
    reason: str
    flagged_on: date
    enterprise_parties: tuple[CourtParty, ...]

    @classmethod
    def fields_of(cls, event: Envelope, common: dict[str, Any]) -> "CourtCaseFlagged":
        data = event.data
        parties = [CourtParty.of(p, event) for p in data["parties"]]
        return cls(**common, case_type=str(data["case_type"]), reason=str(data["reason"]),
                   flagged_on=_date(data, "flagged_on", event),
                   enterprise_parties=tuple(p for p in parties if p.kind == "enterprise"))


@dataclass(frozen=True)
class GreenChannelDecided(CourtCaseStep):
    """`court_case.green_channel_decided`: 立案绿色通道 granted (立案 due by `due_on`) or refused."""

    granted: bool
    decided_on: date
    due_on: date | None
    due_provisional: bool
    limit: str | None  # "3个工作日"

    @classmethod
    def fields_of(cls, event: Envelope, common: dict[str, Any]) -> "GreenChannelDecided":
        data = event.data
        return cls(**common, granted=bool(data["granted"]), decided_on=_date(data, "decided_on", event),
                   due_on=_optional_date(data, "due_on", event), due_provisional=bool(data["due_provisional"]),
                   limit=_period_label(data.get("limit_amount"), data.get("limit_unit")))


@dataclass(frozen=True)
class CourtCaseFiled(CourtCaseStep):
    """`court_case.filed`: 立案 recorded; a granted green channel's limit met or missed."""

    filed_on: date
    green_channel_due_on: date | None
    green_channel_met: bool | None

    @classmethod
    def fields_of(cls, event: Envelope, common: dict[str, Any]) -> "CourtCaseFiled":
        data = event.data
        met = data.get("green_channel_met")
        return cls(**common, filed_on=_date(data, "filed_on", event),
                   green_channel_due_on=_optional_date(data, "green_channel_due_on", event),
                   green_channel_met=None if met is None else bool(met))


@dataclass(frozen=True)
class FeeReliefApplied(CourtCaseStep):
    """`court_case.fee_relief_applied`: a party applied for 缓交/减交/免交 of 诉讼费用; someone must decide it."""

    kind: str  # 缓交, 减交 or 免交
    situation_code: str
    article: str
    stage: str
    applied_on: date
    requested_percent: int | None
    applicant: CourtParty

    @classmethod
    def fields_of(cls, event: Envelope, common: dict[str, Any]) -> "FeeReliefApplied":
        return cls(**common, **cls._application(event))

    @staticmethod
    def _application(event: Envelope) -> dict[str, Any]:
        data = event.data
        percent = data.get("requested_percent")
        return {"kind": str(data["kind"]), "situation_code": str(data["situation_code"]),
                "article": str(data["article"]), "stage": str(data["stage"]),
                "applied_on": _date(data, "applied_on", event),
                "requested_percent": None if percent is None else int(percent),
                "applicant": CourtParty.of(data["applicant"], event)}


@dataclass(frozen=True)
class FeeReliefDecided(FeeReliefApplied):
    """`court_case.fee_relief_decided`: the application granted or refused."""

    granted: bool
    granted_percent: int | None
    decided_on: date
    state_in_judgment: bool

    @classmethod
    def fields_of(cls, event: Envelope, common: dict[str, Any]) -> "FeeReliefDecided":
        data = event.data
        percent = data.get("granted_percent")
        return cls(**common, **cls._application(event), granted=bool(data["granted"]),
                   granted_percent=None if percent is None else int(percent),
                   decided_on=_date(data, "decided_on", event), state_in_judgment=bool(data["state_in_judgment"]))


_COURT_STEPS: dict[str, type[CourtCaseStep]] = {
    "court_case.flagged": CourtCaseFlagged,
    "court_case.green_channel_decided": GreenChannelDecided,
    "court_case.filed": CourtCaseFiled,
    "court_case.fee_relief_applied": FeeReliefApplied,
    "court_case.fee_relief_decided": FeeReliefDecided,
}
