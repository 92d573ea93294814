"""专项清理: a named campaign with its period and units, its burn-down and its threshold lists.

The burn-down is **computed** from the flag, action and outcome dates (not from daily snapshots):
the dates are facts that never change once written, so the curve for a past day is the same
whenever it is drawn, and a campaign set up late still shows its whole period.

* The campaign's cases: cases of its units with a flag first raised on or before the campaign's
  end, and not cleared before its start.
* For each day ``d`` of the period (up to today): **found** = cases whose first flag is on or before
  ``d``; **cleared** = those cleared (撤案/移送起诉/不起诉) on or before ``d``; **in progress** = found,
  not cleared by ``d``, with a 监督 action taken on or before ``d``; **remaining** = found − cleared.
  Per unit and in total.  By outcome: the cleared (and 继续侦查) cases per outcome.
* The threshold lists: per rule, the campaign's cases with that flag open, oldest start first, with
  their age (days since 立案) and days past the threshold (the engine's due date).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.cases.clearance.access import visible
from services.review.cases.clearance.models import (
    THRESHOLD_RULES,
    ClearanceAction,
    ClearanceCampaign,
    ClearanceCampaignUnit,
    ClearanceFlag,
)
from services.review.cases.clearance.thresholds import due_of
from services.review.cases.hanging.models import CLEARED, HangingCase
from services.review.holidays.service import holiday_table
from services.review.triage.access import NotYourUnit
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.calendar import Unit
from shared.errors import DomainError, ErrorKind, NotFound
from shared.events import new_event
from shared.outbox import enqueue


class CampaignNotFound(NotFound):
    code = "campaign_not_found"
    message_zh = "未找到该专项清理活动"
    message_en = "No such clearance campaign"


class BadCampaign(DomainError):
    kind = ErrorKind.INVALID
    code = "bad_campaign"
    message_zh = "专项清理活动无效：结束日期不得早于开始日期，且须至少包含一个单位"
    message_en = "Invalid campaign: the end must not be before the start and at least one unit is needed"


def create(session: Session, *, name: str, starts_on: _dt.date, ends_on: _dt.date, units: list[str],
           actor: Actor) -> ClearanceCampaign:
    """Set up a campaign over ``units`` (each one the actor sees; the task force sees all)."""
    principal = actor.principal
    if principal is None:
        raise RuntimeError("a campaign needs a signed-in member of staff")
    wanted = sorted(set(units))
    if ends_on < starts_on or not wanted:
        raise BadCampaign()
    for unit in wanted:
        if not can_see(principal, unit):
            raise NotYourUnit(unit_code=unit)
    campaign = ClearanceCampaign(name=name, starts_on=starts_on, ends_on=ends_on,
                                 owner_unit_code=principal.unit_code or "", created_by=actor.name)
    session.add(campaign)
    session.flush()
    session.add_all([ClearanceCampaignUnit(campaign_id=campaign.id, unit_code=u) for u in wanted])
    session.flush()
    record(session, action="hanging_clearance.campaign_create", subject_type="hanging_clearance_campaign",
           subject_id=campaign.id, after={"name": name, "starts_on": starts_on, "ends_on": ends_on, "units": wanted},
           **actor.fields())
    enqueue(session, new_event("hanging_clearance.campaign_created", subject=campaign.id, source="review",
                               actor=actor.name, trace_id=actor.trace_id,
                               data={"campaign_id": campaign.id, "name": name, "starts_on": starts_on,
                                     "ends_on": ends_on, "unit_code": campaign.owner_unit_code, "units": wanted}))
    return campaign


def units_of(session: Session, campaign_id: str) -> list[str]:
    return list(session.scalars(select(ClearanceCampaignUnit.unit_code)
                                .where(ClearanceCampaignUnit.campaign_id == campaign_id)
                                .order_by(ClearanceCampaignUnit.unit_code)))


def get(session: Session, campaign_id: str, *, principal: Principal | None) -> ClearanceCampaign:
    """The campaign if the person sees one of its units (or set it up); else 404."""
    campaign = session.get(ClearanceCampaign, campaign_id[:36])
    if campaign is None or not (can_see(principal, campaign.owner_unit_code)
                                or any(can_see(principal, u) for u in units_of(session, campaign.id))):
        raise CampaignNotFound(campaign_id=campaign_id[:40])
    return campaign


def list_(session: Session, *, principal: Principal | None) -> list[ClearanceCampaign]:
    rows = session.scalars(select(ClearanceCampaign).order_by(ClearanceCampaign.starts_on.desc(),
                                                              ClearanceCampaign.id)).all()
    return [c for c in rows if can_see(principal, c.owner_unit_code)
            or any(can_see(principal, u) for u in units_of(session, c.id))]


@dataclass(frozen=True)
class Point:
    day: _dt.date
    found: int
    in_progress: int
    cleared: int

    @property
    def remaining(self) -> int:
        return self.found - self.cleared


@dataclass(frozen=True)
class Overdue:
    case: HangingCase
    started_on: _dt.date
    due_on: _dt.date
    age_days: int  # since 立案
    days_past: int  # since the threshold's last day


@dataclass
class BurnDown:
    campaign: ClearanceCampaign
    units: list[str]
    days: list[_dt.date]
    total: list[Point] = field(default_factory=list)
    by_unit: dict[str, list[Point]] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    past: dict[str, list[Overdue]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        last = self.total[-1] if self.total else Point(self.campaign.starts_on, 0, 0, 0)
        return {"found": last.found, "in_progress": last.in_progress, "cleared": last.cleared,
                "remaining": last.remaining}


def burn_down(session: Session, campaign: ClearanceCampaign, *, today: _dt.date, principal: Principal | None,
              list_limit: int = 200) -> BurnDown:
    """The campaign's curve per unit and in total, its outcomes and its threshold lists (see the module)."""
    units = [u for u in units_of(session, campaign.id) if can_see(principal, u)]
    end = min(campaign.ends_on, today)
    days = [campaign.starts_on + _dt.timedelta(days=n) for n in range((end - campaign.starts_on).days + 1)]
    c, f, a = HangingCase, ClearanceFlag, ClearanceAction
    first_flag = (select(f.case_id, func.min(f.flagged_on).label("first_on")).group_by(f.case_id).subquery())
    first_action = (select(a.case_id, func.min(a.sent_on).label("first_on")).group_by(a.case_id).subquery())
    rows = session.execute(
        select(c.unit_code, c.status, c.outcome, c.outcome_on, first_flag.c.first_on, first_action.c.first_on)
        .join(first_flag, first_flag.c.case_id == c.id)
        .outerjoin(first_action, first_action.c.case_id == c.id)
        .where(c.unit_code.in_(units), first_flag.c.first_on <= campaign.ends_on)
    ).all()
    result = BurnDown(campaign, units, days)
    found_on: dict[str, Counter[_dt.date]] = {u: Counter() for u in units}
    cleared_on: dict[str, Counter[_dt.date]] = {u: Counter() for u in units}
    acted_on: dict[str, Counter[_dt.date]] = {u: Counter() for u in units}
    acted_cleared_on: dict[str, Counter[_dt.date]] = {u: Counter() for u in units}
    outcomes: Counter[str] = Counter()
    for unit, status, outcome, outcome_on, flagged, acted in rows:
        cleared = status == CLEARED and outcome_on is not None
        if cleared and outcome_on < campaign.starts_on:
            continue  # cleared before the campaign: not its stock
        found_on[unit][max(flagged, campaign.starts_on)] += 1
        if outcome:
            outcomes[outcome] += 1
        if cleared:
            cleared_on[unit][max(outcome_on, campaign.starts_on)] += 1
        if acted is not None:
            acted_on[unit][max(acted, campaign.starts_on)] += 1
            if cleared:
                acted_cleared_on[unit][max(acted, outcome_on, campaign.starts_on)] += 1
    totals = [[0, 0, 0] for _ in days]
    for unit in units:
        run = [0, 0, 0, 0]
        points = []
        for n, day in enumerate(days):
            run[0] += found_on[unit][day]
            run[1] += cleared_on[unit][day]
            run[2] += acted_on[unit][day]
            run[3] += acted_cleared_on[unit][day]
            point = Point(day, run[0], run[2] - run[3], run[1])
            points.append(point)
            totals[n][0] += point.found
            totals[n][1] += point.in_progress
            totals[n][2] += point.cleared
        result.by_unit[unit] = points
    result.total = [Point(day, *t) for day, t in zip(days, totals)]
    result.by_outcome = dict(outcomes)
    table = holiday_table(session)
    for rule in THRESHOLD_RULES:
        listed = session.execute(
            select(c, f).join(f, f.case_id == c.id)
            .where(c.unit_code.in_(units), f.rule_code == rule, f.resolved_on.is_(None))
            .order_by(f.started_on, c.id).limit(list_limit)).all()
        result.past[rule] = [
            Overdue(case, flag.started_on, due := due_of(flag.started_on, flag.amount, Unit(flag.unit), table),
                    (today - case.filed_on).days, (today - due).days)
            for case, flag in listed]
    return result


__all__ = ["create", "get", "list_", "burn_down", "BurnDown", "Point", "CampaignNotFound", "BadCampaign", "visible"]
