"""Event handlers of the read model: thin, each turns a review event into a call of service.py.

The payloads are loaded with their schemas, so dates arrive as dates: the catalogue's
(shared/events/review.py) for the deadline and 考评反馈 events, the timeline's own narrow ones
(status/inputs.py) for the triage and handling steps' events.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema
from sqlalchemy.orm import Session

from services.intake.petitions import grants
from services.intake.status import service
from services.intake.status.inputs import RepliedIn, RoutedIn, TriageStepIn
from services.intake.status.models import CLOSED, CONCLUDED, DONE, PENDING, REPLIED, ROUTED, TRIAGE
from shared.calendar.clock import beijing_date
from shared.events import Envelope
from shared.events.review import (
    DeadlineClosedV1,
    DeadlineNoticeV1,
    DeadlineOpenedV1,
    DeadlineRecomputedV1,
    FeedbackRecordedV1,
    HandlingClosedV1,
    HandlingReopenedV1,
    TriageItemCreatedV1,
)


def _load(schema: type[Schema], event: Envelope) -> dict[str, Any]:
    loaded: dict[str, Any] = schema(unknown=EXCLUDE).load(event.data)
    return loaded


def _facts(data: dict[str, Any]) -> service.DeadlineFacts:
    return service.DeadlineFacts(deadline_id=data["deadline_id"], subject_id=data["subject"],
                                 case_number=data["case_number"], rule_code=data["rule_code"], title=data["title"])


def on_triage_item_created(session: Session, event: Envelope) -> None:
    """``triage.item_created``: the petition waits to be routed (待分流) since the item's day."""
    data = _load(TriageItemCreatedV1, event)
    service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=TRIAGE,
                        state=PENDING, on=beijing_date(event.occurred_at), event_id=event.id,
                        unit_code=data["unit_code"])


def on_deadline_opened(session: Session, event: Envelope) -> None:
    data = _load(DeadlineOpenedV1, event)
    service.deadline_opened(session, _facts(data), start_on=data["start_on"], due_on=data["due_on"],
                            provisional=data["provisional"], follows_id=data["follows_id"])


def on_deadline_recomputed(session: Session, event: Envelope) -> None:
    data = _load(DeadlineRecomputedV1, event)
    service.deadline_moved(session, _facts(data), due_on=data["due_on"], provisional=data["provisional"])


def on_deadline_overdue(session: Session, event: Envelope) -> None:
    data = _load(DeadlineNoticeV1, event)
    service.deadline_moved(session, _facts(data), due_on=data["due_on"], provisional=data["provisional"],
                           overdue=True)


def on_deadline_closed(session: Session, event: Envelope) -> None:
    data = _load(DeadlineClosedV1, event)
    service.deadline_closed(session, _facts(data), status=data["status"], closed_on=data["closed_on"],
                            due_on=data["due_on"], outcome=data["outcome"])


# --- the review workflow (triage, handling, 考评反馈) -----------------------------------------


def _day(event: Envelope) -> date:
    return beijing_date(event.occurred_at)


def on_triage_routed(session: Session, event: Envelope) -> None:
    """``triage.routed``: 分流 done and the 承办单位 known (交办, 本单位办理), or the matter transferred.

    Also the petition's read grant to the unit it went to (services/intake/petitions/grants.py).

    An in-tree 移送 hands the matter to another organ's queue, which triages it in turn: the 分流
    step stays where it was, the 承办单位 is that organ for now.
    """
    data = _load(RoutedIn, event)
    subject, number, day = data["petition_id"], data["case_number"], _day(event)
    route = data["route"]
    unit = data["to_unit_code"] or data["handling_unit_code"]
    if route != "transferred_in_tree":
        service.record_step(session, subject_id=subject, case_number=number, step=TRIAGE, state=DONE, on=day,
                            event_id=event.id)
    # A note an earlier 一次性告知 left is not this routing's.
    service.reset_step(session, subject_id=subject, step=ROUTED, event_id=event.id, on=day)
    note = f"已移送{data['to_organ']}处理" if route == "transferred_out" and data["to_organ"] else None
    service.record_step(session, subject_id=subject, case_number=number, step=ROUTED, state=DONE, on=day,
                        event_id=event.id, unit_code=unit, note=note)
    # The unit the matter went to may read the petition it answers (one handler per event type).
    grants.on_routed(session, petition_id=subject, route=route, handling_unit_code=data["handling_unit_code"],
                     to_unit_code=data["to_unit_code"], event_id=event.id, at=event.occurred_at)


def on_triage_declined(session: Session, event: Envelope) -> None:
    """``triage.declined``: 分流 done with a 不予受理 (its notice is the reply; its reasons are the party's letter)."""
    data = _load(TriageStepIn, event)
    for step in (TRIAGE, ROUTED):
        service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=step,
                            state=DONE, on=_day(event), event_id=event.id,
                            note="不予受理（已书面告知理由和依据）" if step == ROUTED else None)


def on_materials_requested(session: Session, event: Envelope) -> None:
    """``triage.materials_requested``: 一次性告知 sent; the reply clocks pause until the materials arrive."""
    data = _load(TriageStepIn, event)
    service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=ROUTED,
                        state=DONE, on=_day(event), event_id=event.id,
                        note="已一次性告知需补充的材料，收到材料后继续办理")


def on_materials_received(session: Session, event: Envelope) -> None:
    """``triage.materials_received``: back in the queue; the 一次性告知 note is no longer the step's state."""
    data = _load(TriageStepIn, event)
    service.reset_step(session, subject_id=data["petition_id"], step=ROUTED, event_id=event.id, on=_day(event))


def on_handling_replied(session: Session, event: Envelope) -> None:
    """``handling.replied``: a 程序性回复 (procedural) or the result reply (final); progress is the clocks' business."""
    data = _load(RepliedIn, event)
    step = {"procedural": REPLIED, "final": CONCLUDED}.get(data["kind"])
    if step is None:
        return
    service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=step,
                        state=DONE, on=data["replied_on"] or _day(event), event_id=event.id,
                        round_=data["round"] if step == CONCLUDED else None)


def on_handling_reopened(session: Session, event: Envelope) -> None:
    """``handling.reopened``: after a 不满意 the matter is handled again; the result step waits for round n."""
    data = _load(HandlingReopenedV1, event)
    service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=CONCLUDED,
                        state=PENDING, on=data["reopened_on"], event_id=event.id, round_=data["round"])


def on_handling_closed(session: Session, event: Envelope) -> None:
    """``handling.closed``: 已办结."""
    data = _load(HandlingClosedV1, event)
    service.record_step(session, subject_id=data["petition_id"], case_number=data["case_number"], step=CLOSED,
                        state=DONE, on=data["closed_on"], event_id=event.id, round_=data["round"])


def on_feedback_recorded(session: Session, event: Envelope) -> None:
    """``feedback.recorded``: the round's 评价 of record (staff's 回访, or the petitioner's own, recorded)."""
    data = _load(FeedbackRecordedV1, event)
    service.note_feedback(session, subject_id=data["petition_id"], case_number=data["case_number"],
                          round_=data["round"], rating=data["rating"], reasons=data["reasons"], via=data["via"],
                          at=data["recorded_at"], event_id=event.id, recorded=True)


# deadline.due_soon says nothing the timeline shows (the due date is already known): not consumed.
HANDLERS = {
    "triage.item_created": on_triage_item_created,
    "deadline.opened": on_deadline_opened,
    "deadline.recomputed": on_deadline_recomputed,
    "deadline.overdue": on_deadline_overdue,
    "deadline.closed": on_deadline_closed,
    "triage.routed": on_triage_routed,
    "triage.declined": on_triage_declined,
    "triage.materials_requested": on_materials_requested,
    "triage.materials_received": on_materials_received,
    "handling.replied": on_handling_replied,
    "handling.reopened": on_handling_reopened,
    "handling.closed": on_handling_closed,
    "feedback.recorded": on_feedback_recorded,
}
