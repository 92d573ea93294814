"""Bulk actions on the queue (批量分流): one action on up to 200 items, each all-or-nothing on its own.

Each item runs in its own savepoint: a refusal (not visible, another unit's, wrong state, bad
target, an override without a reason) undoes that item's writes only and is reported with its
code and message, the others go on.  Every item done is audited and announced as it would be
alone (triage/decisions.py); every item refused leaves an audit row of the refusal.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from services.review.triage import decisions, suggestions
from services.review.triage.access import get_item
from services.review.triage.models import TriageItem
from services.review.triage.schemas import BULK_LIMIT
from shared.actor import Actor
from shared.audit.service import record
from shared.errors import DomainError


class TooManyItems(DomainError):
    code = "too_many_items"
    message_zh = f"一次最多批量处理{BULK_LIMIT}件"
    message_en = f"At most {BULK_LIMIT} items at once"
    field = "petition_ids"


class NoSuggestion(DomainError):
    code = "no_suggestion"
    message_zh = "该事项没有分流建议，请逐件选择去向"
    message_en = "No routing suggestion fits this matter: choose its target"


@dataclass(frozen=True)
class ItemResult:
    petition_id: str
    ok: bool
    status: str | None = None
    case_number: str | None = None  # known when done
    code: str | None = None
    message: dict[str, str] | None = None


@dataclass(frozen=True)
class BulkResult:
    action: str
    results: list[ItemResult]

    @property
    def done(self) -> int:
        return sum(1 for r in self.results if r.ok)

    @property
    def refused(self) -> int:
        return len(self.results) - self.done


def _one(session: Session, action: str, petition_id: str, args: dict[str, Any], actor: Actor,
         today: _dt.date) -> TriageItem:
    """Do the action on one item; the item after."""
    if action == "classify":
        item = decisions.classify(session, petition_id=petition_id, actor=actor, classification=decisions.Classification(
            is_enterprise=args["is_enterprise"], enterprise_reason=args["enterprise_reason"],
            category=args.get("category")))
        return item
    route = "assigned" if action == "assign" else args["route"]
    to_unit = args.get("to_unit_code")
    if route == "suggested":
        assert actor.principal is not None
        suggestion = suggestions.suggest(get_item(session, petition_id, principal=actor.principal))
        if suggestion is None:
            raise NoSuggestion(petition_id=petition_id)
        route, to_unit = suggestion.route, suggestion.unit_code
    decision = decisions.Route(route=route, to_unit_code=to_unit, to_organ=args.get("to_organ"),
                               days=args.get("days"), working_days=args.get("working_days", False),
                               override_reason=args.get("override_reason"))
    return decisions.route(session, petition_id=petition_id, decision=decision, actor=actor, today=today)


def run(session: Session, *, action: str, petition_ids: list[str], args: dict[str, Any], actor: Actor,
        today: _dt.date) -> BulkResult:
    """``action`` (classify | assign | route) on each item, each in its own savepoint; a result per item."""
    unique = list(dict.fromkeys(petition_ids))
    if len(unique) > BULK_LIMIT:
        raise TooManyItems(count=len(unique))
    results = []
    for petition_id in unique:
        savepoint = session.begin_nested()
        try:
            item = _one(session, action, petition_id, args, actor, today)
        except DomainError as exc:
            savepoint.rollback()
            record(session, action=f"triage.bulk_{action}", outcome="denied", subject_type="triage_item",
                   subject_id=None, detail={"petition_id": petition_id, "code": exc.code}, **actor.fields())
            results.append(ItemResult(petition_id, False, code=exc.code,
                                      message={"zh": exc.message_zh, "en": exc.message_en}))
            continue
        savepoint.commit()
        results.append(ItemResult(petition_id, True, status=item.status, case_number=item.case_number))
    return BulkResult(action, results)
