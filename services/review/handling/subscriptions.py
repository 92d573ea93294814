"""What 审查办理 follows: a 交办 (triage's hook) starts the handling unit's acceptance clock."""

from __future__ import annotations

import datetime as _dt

from sqlalchemy.orm import Session

from services.review.handling.service import on_routed
from services.review.triage import hooks
from services.review.triage.models import TriageItem
from shared.actor import Actor


def _start_acceptance_clock(session: Session, item: TriageItem, actor: Actor, routed_on: _dt.date) -> None:
    on_routed(session, item, actor=actor, routed_on=routed_on)


hooks.on_assigned(_start_acceptance_clock)
