"""The 挂案 thresholds (RULES §4) and the daily scan that flags every case past one, set-based.

Each threshold is a dated rule of the deadline engine (rules.toml ``hanging_case.*``) counted from
a start day of the case (the day itself not counted, 刑诉法 第一百零五条):

* ``hanging_case.no_measure``: no 强制措施 at all, 2 years (24 months) from 立案
  (公通字〔2017〕25号 第二十五条);
* ``hanging_case.after_lifting``: every measure lifted, 12 months from the last 解除 (same article);
* ``hanging_case.after_bail_expiry``: a 取保候审 / 监视居住 whose term ended without being lifted
  (and nothing else in force), 1 year from the latest end (刑事赔偿解释 (2015) 第二条);
* ``hanging_case.urge``: 侦查 not concluded 3 months after 立案: a 催办函 becomes available
  (规则 第五百六十四条);
* ``hanging_case.continued_overdue``: a 继续侦查 outcome's own deadline (``continued_until``) passed.

A case is past a threshold on ``today`` when the period's last day (moved off a rest day as the
engine moves it: :func:`shared.calendar.period_end`) is before ``today``.  Since that last day only
grows with the start day, "past" is "start day on or before a bound" and the bound is computed
once per rule row in Python with the engine's own counting (:func:`bound`), so the scan is one
``INSERT … SELECT`` per rule row over every case, with no per-row date arithmetic in SQL (the
same statements run on PostgreSQL and on the local stack's SQLite).

Which rule row: the one in force on the start day; a start day before the first row's
``effective_from`` uses the first row (a case still pending when the rule came into force is
handled under it).  The flag copies the row's id, amount and unit, as a 期限 copies its rule.

Once: ``uq_hanging_clearance_flags_case_rule`` and the ``NOT EXISTS`` in each statement; the day's
row in ``hanging_clearance_scans`` (unique ``scan_on``) makes the scan run once per Beijing day
whatever the number of scheduler replicas.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from services.review.cases.clearance.models import (
    AFTER_BAIL_EXPIRY,
    AFTER_LIFTING,
    CONTINUED,
    NO_MEASURE,
    THRESHOLD_RULES,
    URGE,
    ClearanceFlag,
)
from services.review.cases.hanging.models import (
    BAIL,
    CLEARED,
    OPEN,
    RESIDENTIAL,
    HangingCase,
    HangingCaseMeasure,
)
from services.review.cases.hanging.models import CONTINUED as OUTCOME_CONTINUED
from services.review.deadlines.models import DeadlineRule
from services.review.deadlines.rules import list_rules
from shared.calendar import HolidayTable, Unit, period_end
from shared.db.base import utcnow
from shared.db.engine import is_postgres

_ONE = _dt.timedelta(days=1)
_EVER = _dt.date(1, 1, 1)
_NEVER = _dt.date(9999, 12, 31)


def due_of(start: _dt.date, amount: int, unit: Unit, table: HolidayTable) -> _dt.date:
    """The last day of the period (the engine's counting: start day not counted, rest days rolled)."""
    return period_end(start, amount, unit, table=table).date


def bound(today: _dt.date, amount: int, unit: Unit, table: HolidayTable) -> _dt.date:
    """The latest start day whose period of ``amount`` ``unit`` ended before ``today``.

    The period's last day never decreases as the start day grows, so the starts past the threshold
    are exactly those on or before this day.  Found by walking from a guess (a few steps).
    """
    days = {Unit.DAY: amount, Unit.WORKING_DAY: amount, Unit.MONTH: amount * 31}[unit]
    guess = today - _dt.timedelta(days=days)
    while due_of(guess, amount, unit, table) >= today:
        guess -= _dt.timedelta(days=max(1, days // 10 if unit is not Unit.DAY else 1))
    while due_of(guess + _ONE, amount, unit, table) < today:
        guess += _ONE
    return guess


@dataclass(frozen=True)
class RuleWindow:
    """One rule row as the scan applies it: starts in [first, last] use it."""

    rule_id: int
    code: str
    amount: int
    unit: Unit
    first: _dt.date
    last: _dt.date


def windows(session: Session, code: str) -> list[RuleWindow]:
    rows = [r for r in list_rules(session) if r.code == code]
    rows.sort(key=lambda r: r.effective_from)
    out = []
    for n, row in enumerate(rows):
        out.append(RuleWindow(row.id, row.code, row.amount, Unit(row.unit), _EVER if n == 0 else row.effective_from,
                              row.effective_to or _NEVER))
    return out


def rule_rows(session: Session) -> dict[str, DeadlineRule]:
    """The rows in force today of each threshold rule (for the pages: title and basis)."""
    out: dict[str, DeadlineRule] = {}
    for row in sorted(list_rules(session), key=lambda r: r.effective_from):
        if row.code in THRESHOLD_RULES:
            out[row.code] = row
    return out


# --- the start day of each rule, as a select of (case_id, unit_code, started_on) over open cases --

def _measure_starts(started: ColumnElement[Any], having: ColumnElement[bool]) -> Select[Any]:
    c, m = HangingCase, HangingCaseMeasure
    return (select(m.case_id.label("case_id"), c.unit_code.label("unit_code"), started.label("started_on"))
            .join(c, c.id == m.case_id).where(c.status == OPEN)
            .group_by(m.case_id, c.unit_code).having(having))


def starts(code: str) -> Select[Any]:
    c, m = HangingCase, HangingCaseMeasure
    if code == NO_MEASURE:
        return (select(c.id.label("case_id"), c.unit_code.label("unit_code"), c.filed_on.label("started_on"))
                .where(c.status == OPEN, ~exists().where(m.case_id == c.id)))
    if code == URGE:
        return (select(c.id.label("case_id"), c.unit_code.label("unit_code"), c.filed_on.label("started_on"))
                .where(c.status == OPEN, c.investigation_concluded_on.is_(None)))
    if code == CONTINUED:
        return (select(c.id.label("case_id"), c.unit_code.label("unit_code"), c.continued_until.label("started_on"))
                .where(c.status == OPEN, c.outcome == OUTCOME_CONTINUED, c.continued_until.is_not(None),
                       c.investigation_concluded_on.is_(None)))
    if code == AFTER_LIFTING:
        # Every measure lifted: the period runs from the last 解除.
        return _measure_starts(func.max(m.__table__.c.lifted_on), func.count() == func.count(m.lifted_on))
    if code == AFTER_BAIL_EXPIRY:
        # A 取保/监视居住 ran out unlifted, and nothing unlifted is anything else: from the latest end.
        expired = and_(m.lifted_on.is_(None), m.kind.in_((BAIL, RESIDENTIAL)), m.ends_on.is_not(None))
        return _measure_starts(
            func.max(func.coalesce(m.lifted_on, m.ends_on)),
            and_(func.sum(case((expired, 1), else_=0)) > 0,
                 func.sum(case((and_(m.lifted_on.is_(None), ~expired), 1), else_=0)) == 0))
    raise ValueError(code)


def _new_id(session: Session) -> ColumnElement[str]:
    if is_postgres(str(session.get_bind().engine.url)):
        return func.cast(func.gen_random_uuid(), String)
    # SQLite: 32 random hex digits in the uuid layout (the local stack only).
    h = func.lower(func.hex(func.randomblob(16)))
    return (func.substr(h, 1, 8) + "-" + func.substr(h, 9, 4) + "-4" + func.substr(h, 14, 3) + "-a"
            + func.substr(h, 18, 3) + "-" + func.substr(h, 21, 12))


def past(window: RuleWindow, *, today: _dt.date, table: HolidayTable) -> Select[tuple[str, str, _dt.date]]:
    """The open cases past ``window``'s threshold on ``today``: (case_id, unit_code, started_on)."""
    inner = starts(window.code).subquery()
    last = min(window.last, bound(today, window.amount, window.unit, table))
    return select(inner.c.case_id, inner.c.unit_code, inner.c.started_on).where(
        inner.c.started_on >= window.first, inner.c.started_on <= last)


def flag_statement(session: Session, window: RuleWindow, *, today: _dt.date, table: HolidayTable):  # type: ignore[no-untyped-def]
    """``INSERT INTO hanging_clearance_flags SELECT …``: every case past the window not yet flagged for its rule."""
    found = past(window, today=today, table=table).subquery()
    f = ClearanceFlag
    source = select(
        _new_id(session), found.c.case_id, found.c.unit_code, literal(window.code, String),
        literal(window.rule_id, Integer), literal(window.amount, Integer), literal(window.unit.value, String),
        found.c.started_on, literal(today, Date), literal(utcnow(), f.__table__.c.created_at.type),
    ).where(~exists().where(f.case_id == found.c.case_id, f.rule_code == window.code))
    return insert(f).from_select(
        ["id", "case_id", "unit_code", "rule_code", "rule_id", "amount", "unit", "started_on", "flagged_on",
         "created_at"], source)


@dataclass(frozen=True)
class ScanResult:
    flagged: dict[str, int]
    resolved: int

    @property
    def total(self) -> int:
        return sum(self.flagged.values())


def scan(session: Session, *, today: _dt.date, table: HolidayTable) -> ScanResult:
    """Flag every open case past a threshold on ``today`` and resolve the flags of cleared cases.

    A few statements whatever the number of cases (one per rule row, one for the resolutions);
    the caller commits and then announces the new flags (:mod:`services.review.cases.clearance.jobs`).
    """
    flagged: dict[str, int] = {}
    for code in THRESHOLD_RULES:
        for window in windows(session, code):
            if window.first > window.last:
                continue
            flagged[code] = flagged.get(code, 0) + _run_counted(session, flag_statement(session, window, today=today,
                                                                                    table=table))
    return ScanResult(flagged, resolve_cleared(session))


def _run_counted(session: Session, statement: Any) -> int:
    """Run an INSERT … SELECT; how many rows it inserted.

    On PostgreSQL as ``WITH ins AS (INSERT … RETURNING 1) SELECT count(*) FROM ins``: psycopg reports
    no row count for SQLAlchemy's INSERT … SELECT, and returning the ids would ship every new row.
    """
    if is_postgres(str(session.get_bind().engine.url)):
        inserted = statement.returning(literal(1)).cte("inserted")
        return int(session.execute(select(func.count()).select_from(inserted)).scalar_one())
    return int(session.connection().execute(statement).rowcount or 0)


def resolve_cleared(session: Session, *, case_id: str | None = None) -> int:
    """Resolve the open flags of cleared cases (all, or one case's) on the case's outcome day."""
    c, f = HangingCase, ClearanceFlag
    outcome_on = select(c.outcome_on).where(c.id == f.case_id).scalar_subquery()
    statement = (update(f).where(f.resolved_on.is_(None),
                                 exists().where(c.id == f.case_id, c.status == CLEARED))
                 .values(resolved_on=func.coalesce(outcome_on, func.current_date()))
                 .execution_options(synchronize_session=False))
    if case_id is not None:
        statement = statement.where(f.case_id == case_id)
    return int(session.connection().execute(statement).rowcount or 0)


def bare_past_ids(window: RuleWindow, *, today: _dt.date, table: HolidayTable) -> Select[tuple[str]]:
    """The ids past ``window`` (no insert): what the benchmark compares the scan with, and the tests."""
    sub = past(window, today=today, table=table).subquery()
    return select(sub.c.case_id)
