"""满意率 and 按期率 per unit, for a date range: what the half-monthly reports and the rates page read.

Per handling unit, over the Beijing days ``since`` .. ``until`` (both counted):

* replies — the rounds whose result reply was given in the range (``handling_rounds.replied_at``);
* feedback — the 评价 recorded in the range, by rating; satisfaction rate = (满意 + 基本满意) / 评价;
* on time — the 期限 of the unit's items closed in the range, and how many were met on time
  (the deadline engine's ``met_on_time``); on-time rate = on time / closed.

Three grouped queries, whatever the number of units or rows; a unit with no row in any of them
is not listed.  ``unit_codes`` None counts every unit (a system caller, the task force).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Integer, case, func, select
from sqlalchemy.orm import Session

from services.review.deadlines.models import MET, MISSED, Deadline
from services.review.feedback.models import BASICALLY_SATISFIED, DISSATISFIED, SATISFIED, Feedback, HandlingRound
from services.review.triage.models import TriageItem
from shared.auth import Principal
from shared.calendar.clock import beijing_midnight


@dataclass
class UnitRates:
    unit_code: str
    replies: int = 0
    feedback: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    deadlines_closed: int = 0
    deadlines_on_time: int = 0
    unit_name: str | None = field(default=None, compare=False)

    @property
    def satisfaction_rate(self) -> float | None:
        """(满意 + 基本满意) / 评价; None when nothing was rated."""
        return (self.satisfied + self.basically_satisfied) / self.feedback if self.feedback else None

    @property
    def on_time_rate(self) -> float | None:
        """期限 met on time / 期限 closed; None when none closed."""
        return self.deadlines_on_time / self.deadlines_closed if self.deadlines_closed else None


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (0, not NULL, for an empty group)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


def rates(
    session: Session, *, since: _dt.date, until: _dt.date, unit_codes: Iterable[str] | None,
) -> list[UnitRates]:
    """The rates of each unit with anything in the range, in unit-code order (see the module)."""
    start, end = beijing_midnight(since), beijing_midnight(until + _dt.timedelta(days=1))
    units = sorted(set(unit_codes)) if unit_codes is not None else None
    out: dict[str, UnitRates] = {}

    def row(code: str | None) -> UnitRates:
        key = code or "—"
        return out.setdefault(key, UnitRates(key))

    replies = select(HandlingRound.unit_code, func.count()).where(
        HandlingRound.replied_at >= start, HandlingRound.replied_at < end)
    if units is not None:
        replies = replies.where(HandlingRound.unit_code.in_(units))
    for code, n in session.execute(replies.group_by(HandlingRound.unit_code)):
        row(code).replies = n

    rated = select(
        Feedback.unit_code, func.count(), _count(Feedback.rating == SATISFIED),
        _count(Feedback.rating == BASICALLY_SATISFIED), _count(Feedback.rating == DISSATISFIED),
    ).where(Feedback.recorded_at >= start, Feedback.recorded_at < end)
    if units is not None:
        rated = rated.where(Feedback.unit_code.in_(units))
    for code, n, satisfied, basically, dissatisfied in session.execute(rated.group_by(Feedback.unit_code)):
        r = row(code)
        r.feedback, r.satisfied, r.basically_satisfied, r.dissatisfied = n, satisfied, basically, dissatisfied

    unit = func.coalesce(TriageItem.handling_unit_code, TriageItem.unit_code)
    timely = (
        select(unit, func.count(), _count(Deadline.met_on_time.is_(True)))
        .select_from(Deadline).join(TriageItem, TriageItem.petition_id == Deadline.subject)
        .where(Deadline.status.in_((MET, MISSED)), Deadline.met_at >= start, Deadline.met_at < end)
    )
    if units is not None:
        timely = timely.where(unit.in_(units))
    for code, n, on_time in session.execute(timely.group_by(unit)):
        r = row(code)
        r.deadlines_closed, r.deadlines_on_time = n, on_time

    return [out[k] for k in sorted(out)]


def units_for(principal: Principal, requested: Iterable[str] | None) -> list[str] | None:
    """The units a caller's rates cover: those asked for (else all) among those the caller sees."""
    asked = set(requested) if requested else None
    if principal.visible_units is None:
        return sorted(asked) if asked is not None else None
    return sorted(principal.visible_units & asked if asked is not None else principal.visible_units)


def for_principal(
    session: Session, principal: Principal, *, since: _dt.date, until: _dt.date, requested: Iterable[str] | None,
) -> list[UnitRates]:
    """The rates of the units asked for among those ``principal`` sees, each with its unit's name."""
    from services.review.identity.units import service as units

    found = rates(session, since=since, until=until, unit_codes=units_for(principal, requested))
    names = {u.code: u.name for u in units.list_(session)}
    for row in found:
        row.unit_name = names.get(row.unit_code)
    return found
