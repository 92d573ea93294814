"""What an officer routes an item by, for the case page's 分流 panel and ``GET /api/v1/triage/items/<id>``:
the routing suggestion, the units it may go to, the decisions so far and an open 异议 window."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.models import OPEN, Deadline
from services.review.triage import decisions, states, suggestions, targets
from services.review.triage.access import get_item
from services.review.triage.models import TriageItem
from shared.auth import Principal


def context_for(session: Session, item: TriageItem, principal: Principal) -> dict[str, Any]:
    history = decisions.history(session, item.petition_id)
    window = session.scalar(select(Deadline).where(
        Deadline.subject == item.petition_id, Deadline.rule_code == decisions.OBJECTION_RULE, Deadline.status == OPEN))
    return {
        "item": item,
        "suggestion": suggestions.suggest(item),
        "assign_targets": targets.assignable(item.unit_code),
        "transfer_organs": targets.transfer_organs(item.unit_code),
        "materials_requested": any(r.kind == "materials_requested" for r in history),
        "history": history,
        "objection_window": window,
        # The forms are shown to the receiving unit's triage officers only; others read the record.
        "may_triage": principal.has_role("triage_officer") and principal.unit_code == item.unit_code,
        "triageable": item.status in states.TRIAGEABLE,
        "classifiable": item.status in states.ACTIVE,
    }


def routing_context(session: Session, petition_id: str, *, principal: Principal) -> dict[str, Any]:
    """The item (404 if not seen) with its suggestion and targets."""
    return context_for(session, get_item(session, petition_id, principal=principal), principal)
