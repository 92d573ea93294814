"""Event handlers of deliveries: thin, they parse the envelope and call service.py.

`ROUTES` says, per event type, which typed input it becomes and which channels it goes to (the
channels are the routing table's, `services/notify/routing.toml`); the start-up template check
(`rendering.check_templates(ROUTES)`) reads it, so a routed event without its template stops the
process instead of dead-lettering every such event later.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from services.notify import routing
from services.notify.deliveries import public, service
from services.notify.deliveries.inputs import (
    COURT_CASE_TYPES,
    CourtCaseStep,
    DeadlineNotice,
    NoticeInput,
    TriageItemCreated,
)
from services.notify.deliveries.public import PublicNoticeRequested
from services.notify.deliveries.rendering import Route
from services.notify.deliveries.workflow import ADDRESSES, WorkflowStep
from shared.events import Envelope


def on_triage_item_created(session: Session, event: Envelope) -> None:
    service.record_staff_notice(session, TriageItemCreated.from_envelope(event))


def on_deadline_notice(session: Session, event: Envelope) -> None:
    service.record_deadline_notice(session, DeadlineNotice.from_envelope(event))


def on_court_case_step(session: Session, event: Envelope) -> None:
    service.record_court_case_notice(session, CourtCaseStep.from_envelope(event))


def on_workflow_step(session: Session, event: Envelope) -> None:
    service.record_workflow_notice(session, WorkflowStep.from_envelope(event))


def on_public_notice_requested(session: Session, event: Envelope) -> None:
    public.record_public_notice(session, PublicNoticeRequested.from_envelope(event))


# Intake's other events (petition.received, …) have no handler: the consumer counts them ignored.
HANDLERS = {
    "triage.item_created": on_triage_item_created,
    "deadline.due_soon": on_deadline_notice,
    "deadline.overdue": on_deadline_notice,
    **{event_type: on_court_case_step for event_type in COURT_CASE_TYPES},
    **{event_type: on_workflow_step for event_type in ADDRESSES},
    public.EVENT_TYPE: on_public_notice_requested,
}

_PARSERS: dict[str, Callable[[Envelope], NoticeInput]] = {
    "triage.item_created": TriageItemCreated.from_envelope,
    "deadline.due_soon": DeadlineNotice.from_envelope,
    "deadline.overdue": DeadlineNotice.from_envelope,
    **{event_type: CourtCaseStep.from_envelope for event_type in COURT_CASE_TYPES},
    **{event_type: WorkflowStep.from_envelope for event_type in ADDRESSES},
    public.EVENT_TYPE: PublicNoticeRequested.from_envelope,
}

# Each handled event type on the channels the routing table gives it.
ROUTES = {
    event_type: Route(parse, channels=routing.table().channels_of(event_type))
    for event_type, parse in _PARSERS.items()
    if routing.table().channels_of(event_type)
}
