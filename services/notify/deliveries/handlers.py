"""Event handlers of deliveries: thin, they parse the envelope and call service.py.

`ROUTES` says, per event type, which typed input it becomes and which channels it goes to; the
start-up template check (`rendering.check_templates(ROUTES)`) reads it, so a routed event without
its template stops the process instead of dead-lettering every such event later.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.notify.deliveries import service
from services.notify.deliveries.inputs import COURT_CASE_TYPES, CourtCaseStep, DeadlineNotice, TriageItemCreated
from services.notify.deliveries.models import STAFF_INBOX
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


# Intake's other events (petition.received, …) have no handler: the consumer counts them ignored.
HANDLERS = {
    "triage.item_created": on_triage_item_created,
    "deadline.due_soon": on_deadline_notice,
    "deadline.overdue": on_deadline_notice,
    **{event_type: on_court_case_step for event_type in COURT_CASE_TYPES},
    **{event_type: on_workflow_step for event_type in ADDRESSES},
}

ROUTES = {
    "triage.item_created": Route(TriageItemCreated.from_envelope, channels=(STAFF_INBOX,)),
    "deadline.due_soon": Route(DeadlineNotice.from_envelope, channels=(STAFF_INBOX,)),
    "deadline.overdue": Route(DeadlineNotice.from_envelope, channels=(STAFF_INBOX,)),
    **{event_type: Route(CourtCaseStep.from_envelope, channels=(STAFF_INBOX,)) for event_type in COURT_CASE_TYPES},
    **{event_type: Route(WorkflowStep.from_envelope, channels=(STAFF_INBOX,)) for event_type in ADDRESSES},
}
