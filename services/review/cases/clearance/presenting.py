"""The shapes the API and the pages show: a case's flags (with rule text, basis and due date) and actions."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy.orm import Session

from services.review.cases.clearance import service
from services.review.cases.clearance.campaigns import BurnDown, Point
from services.review.cases.clearance.models import ACTION_TEXT, RULE_TEXT, ClearanceAction, ClearanceFlag
from services.review.cases.clearance.thresholds import due_of, rule_rows
from services.review.cases.hanging.models import HangingCase
from services.review.holidays.service import holiday_table
from shared.calendar import Unit


def flag_view(session: Session, flag: ClearanceFlag) -> dict[str, Any]:
    rules = rule_rows(session)
    rule = rules.get(flag.rule_code)
    return {"id": flag.id, "rule_code": flag.rule_code, "rule_text": RULE_TEXT.get(flag.rule_code, flag.rule_code),
            "title": rule.title if rule else flag.rule_code, "basis": rule.basis if rule else None,
            "started_on": flag.started_on, "flagged_on": flag.flagged_on, "resolved_on": flag.resolved_on,
            "due_on": due_of(flag.started_on, flag.amount, Unit(flag.unit), holiday_table(session))}


def action_view(action: ClearanceAction, *, api: bool = True) -> dict[str, Any]:
    base = f"/api/v1/hanging-clearance/actions/{action.id}" if api else f"/hanging-cases/clearance/actions/{action.id}"
    return {**{k: getattr(action, k) for k in ("id", "case_id", "kind", "rule_code", "text", "sent_on",
                                                "document_number", "due_on", "replied_on", "reply_text")},
            "kind_text": ACTION_TEXT[action.kind], "pdf_url": f"{base}/document.pdf",
            "docx_url": f"{base}/document.docx"}


def case_view(session: Session, case: HangingCase, *, api: bool = True) -> dict[str, Any]:
    flags = service.flags_of(session, case.id)
    actions = service.actions_of(session, case.id)
    return {"id": case.id, "case_number": case.case_number, "unit_code": case.unit_code, "status": case.status,
            "outcome": case.outcome, "outcome_on": case.outcome_on, "continued_until": case.continued_until,
            "filed_on": case.filed_on, "flags": [flag_view(session, f) for f in flags],
            "actions": [action_view(a, api=api) for a in actions],
            "available_actions": sorted(service.available(flags, actions, case))}


def _point(p: Point) -> dict[str, Any]:
    return {"day": p.day, "found": p.found, "in_progress": p.in_progress, "cleared": p.cleared,
            "remaining": p.remaining}


def burn_down_view(b: BurnDown) -> dict[str, Any]:
    c = b.campaign
    return {
        "campaign": {"id": c.id, "name": c.name, "starts_on": c.starts_on, "ends_on": c.ends_on,
                     "owner_unit_code": c.owner_unit_code, "units": b.units},
        "summary": b.summary(), "total": [_point(p) for p in b.total],
        "by_unit": {u: [_point(p) for p in pts] for u, pts in b.by_unit.items()}, "by_outcome": b.by_outcome,
        "past": {rule: [{"case_id": o.case.id, "case_number": o.case.case_number, "unit_code": o.case.unit_code,
                         "started_on": o.started_on, "due_on": o.due_on, "age_days": o.age_days,
                         "days_past": o.days_past} for o in rows] for rule, rows in b.past.items()},
    }


def today_or(day: _dt.date | None) -> _dt.date:
    from shared.calendar import beijing_today
    return day or beijing_today()
