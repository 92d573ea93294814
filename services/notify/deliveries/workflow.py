"""Notices of review's workflow (交办, 退回, 督办, 工单, 不满意): who each step is for.

Every step of a 事项 is an event on review's topic (docs/review/); the ones that ask someone to
act become a staff-inbox notice for the people of the unit that must act, filed under that unit
(so only it, and the units above it, read it).  `ADDRESSES` is the table: per event type, the
group and the payload field that names the unit, or a function for the steps whose addressee
depends on the payload (a 交办 goes to the unit below, a 移送 to the other organ's triage officers).
A step that asks nobody to act (本单位办理, a 满意 评价) has no notice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.notify.deliveries.inputs import EventSource, _require_type
from shared.events import Envelope
from shared.events.envelope import InvalidEvent

TRIAGE_INBOX = "unit:triage-officers"
DEADLINE_INBOX = "unit:deadline-supervisors"  # 督办: who chases deadlines
COURT_INBOX = "unit:court-staff"  # the judges and court clerks
HANDLER_INBOX = "unit:case-handlers"  # 承办: the handlers and the leader of the unit that handles
PROSECUTOR_INBOX = "unit:prosecutors"  # 捕诉: 羁押必要性审查 and 涉企挂案 of the unit


@dataclass(frozen=True)
class Address:
    recipient: str  # a group address (notify/inbox/addresses.py)
    unit_code: str  # the unit the notice is filed under


Addressing = Callable[[Mapping[str, Any]], "Address | None"]


def _to(recipient: str, field: str) -> Addressing:
    def address(data: Mapping[str, Any]) -> Address | None:
        unit = data.get(field)
        return Address(recipient, str(unit)) if unit else None
    return address


def _routed(data: Mapping[str, Any]) -> Address | None:
    if data.get("route") == "assigned":  # 交办: the unit below must accept or return it
        return _to(HANDLER_INBOX, "handling_unit_code")(data)
    if data.get("route") == "transferred_in_tree":  # 移送: the other organ's triage officers, who may object
        return _to(TRIAGE_INBOX, "unit_code")(data)
    return None  # 本单位办理 or 移送 outside the tree: nobody else acts here


def _dissatisfied(data: Mapping[str, Any]) -> Address | None:
    # 不满意: the handling unit decides to reopen or close; the other ratings close the matter.
    return _to(HANDLER_INBOX, "handling_unit_code")(data) if data.get("rating") == "dissatisfied" else None


def _custody_opened(data: Mapping[str, Any]) -> Address | None:
    # 羁押必要性审查: a mandatory review the job opened, or an application registered elsewhere that 捕诉 must
    # receive today; one 捕诉 opened itself needs no notice.
    if data.get("trigger") == "mandatory" or data.get("state") == "received":
        return _to(PROSECUTOR_INBOX, "unit_code")(data)
    return None


ADDRESSES: Mapping[str, Addressing] = {
    "triage.routed": _routed,
    "handling.returned": _to(TRIAGE_INBOX, "unit_code"),  # back in the receiving unit's queue
    "supervision.opened": _to(HANDLER_INBOX, "supervised_unit_code"),  # 挂牌督办: report back
    "supervision.report_rejected": _to(HANDLER_INBOX, "supervised_unit_code"),  # report again
    "supervision.reported": _to(DEADLINE_INBOX, "supervising_unit_code"),  # review the report
    "supervision.escalated": _to(DEADLINE_INBOX, "supervising_unit_code"),  # an overdue 期限 came up
    "work_order.created": _to(COURT_INBOX, "owner_unit_code"),  # the judge's division replies
    "work_order.transferred": _to(COURT_INBOX, "owner_unit_code"),
    "work_order.escalated": _to(COURT_INBOX, "owner_unit_code"),  # the 庭长, then the 诉讼服务中心
    "feedback.recorded": _dissatisfied,
    # 失信: the listing court removes within 3 working days and reviews a correction within 15日; the court
    # above decides a 复议 (none on the platform for a listing of 中院: its judges record the decision).
    "dishonesty.removal_ground_recorded": _to(COURT_INBOX, "unit_code"),
    "dishonesty.correction_requested": _to(COURT_INBOX, "unit_code"),
    "dishonesty.reconsideration_applied": _to(COURT_INBOX, "higher_court_code"),
    # 挂案清理 (services/review/cases/clearance): a new flag, a reply the police owed and did not give.
    "hanging_clearance.flagged": _to(PROSECUTOR_INBOX, "unit_code"),
    "hanging_clearance.reply_overdue": _to(PROSECUTOR_INBOX, "unit_code"),
    "custody_review.opened": _custody_opened,  # 羁押必要性审查 (services/review/cases/custody/)
    "custody_review.reply_due": _to(PROSECUTOR_INBOX, "unit_code"),  # the 建议's reply is due soon
    "custody_review.correction_opened": _to(PROSECUTOR_INBOX, "unit_code"),  # 纠正意见 to issue
}


@dataclass(frozen=True)
class WorkflowStep:
    """One workflow event as a notice input: the 事项, where it goes, and its payload for the template."""

    source: EventSource
    subject_id: str  # the 事项 the notice is about: a petition, or a case of another workflow
    case_number: str
    address: Address | None  # None: this step asks nobody to act
    data: Mapping[str, Any]

    @classmethod
    def from_envelope(cls, event: Envelope) -> "WorkflowStep":
        _require_type(event, *ADDRESSES)
        data = event.data
        try:
            # Petition steps name their petition; the other workflows (羁押必要性审查, 挂案, 失信, ...)
            # name their own record as `subject_id`.
            subject = data["petition_id"] if "petition_id" in data else data["subject_id"]
            return cls(source=EventSource.of(event), subject_id=str(subject),
                       case_number=str(data["case_number"]), address=ADDRESSES[event.type](data), data=dict(data))
        except KeyError as exc:
            raise InvalidEvent(f"{event.type}: {exc.args[0]} is required") from exc

    def template_context(self) -> dict[str, Any]:
        return {**self.data, "event_type": self.source.event_type}
