"""The 挂案 domain's job of `huhang scheduler`: the daily threshold scan, then its announcements.

:class:`DailyScan` keeps the contract of :class:`services.review.jobs.job.Job`:

1. **Scan** (once per Beijing day, and again that day only if a case changed since): claim the
   day's row in ``hanging_clearance_scans`` (its unique key; a re-claim is a conditional UPDATE, so
   one replica wins), run the set-based statements of thresholds.scan, commit.
2. **Announce** (bounded batches, each its own transaction): flags not yet announced, claimed with
   ``FOR UPDATE SKIP LOCKED``, each gets its audit row and its ``hanging_clearance.flagged`` event
   (through the outbox, in the batch's transaction; notify turns it into a staff-inbox notice to
   ``unit:prosecutors``) and ``announced_at``.  A crash between 1 and 2 loses nothing: the flags
   wait, unannounced, for the next pass.  So the scan is one statement per rule over a million
   cases, and the per-flag work is proportional to what is new.
3. **Replies due**: actions whose police reply (说明理由 7日, 撤销 15日) is past its due date and
   not recorded are announced once (``hanging_clearance.reply_overdue``; ``overdue_announced_on``).
"""

from __future__ import annotations

import datetime as _dt
import logging

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from services.review.cases.clearance.models import RULE_TEXT, ClearanceAction, ClearanceFlag, ClearanceScan
from services.review.cases.clearance.service import emit
from services.review.cases.clearance.thresholds import ScanResult, scan
from services.review.cases.hanging.models import OPEN, HangingCase
from services.review.holidays.service import holiday_table
from services.review.jobs.job import Job
from shared.audit.service import record
from shared.calendar import beijing_date
from shared.db.base import new_uuid, utcnow
from shared.db.engine import is_postgres

log = logging.getLogger(__name__)
ACTOR = "system:scheduler"


def _postgres(session: Session) -> bool:
    return is_postgres(str(session.get_bind().engine.url))


def claim_day(session: Session, today: _dt.date) -> str | None:
    """Claim the day's scan: its row inserted, or (already scanned) re-claimed if a case changed since.

    None: scanned today and nothing changed since (or another replica holds the claim).  A case
    entered or imported after the day's scan is thus flagged the same day, on the next pass.
    """
    table = ClearanceScan.__table__
    dialect = postgresql if _postgres(session) else sqlite
    now = utcnow()
    values = {"id": new_uuid(), "scan_on": today, "cutoff_on": today, "flagged": 0, "resolved": 0, "started_at": now}
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=["scan_on"])
    inserted = session.execute(statement.returning(table.c.id)).scalar()
    if inserted is not None:
        return str(inserted)
    latest = select(func.max(HangingCase.updated_at)).scalar_subquery()
    scans = ClearanceScan
    again = session.execute(update(scans).where(scans.scan_on == today, scans.finished_at.is_not(None),
                                                scans.started_at < latest)
                            .values(started_at=now, finished_at=None).returning(scans.id)
                            .execution_options(synchronize_session=False)).scalar()
    return str(again) if again is not None else None


def scan_day(session_factory: sessionmaker[Session], *, today: _dt.date) -> ScanResult | None:
    """The day's scan in one transaction; None if the day was already scanned."""
    with session_factory() as session, session.begin():
        scan_id = claim_day(session, today)
        if scan_id is None:
            return None
        result = scan(session, today=today, table=holiday_table(session))
        row = session.get(ClearanceScan, scan_id)
        assert row is not None
        row.flagged, row.resolved, row.finished_at = row.flagged + result.total, row.resolved + result.resolved, utcnow()
        record(session, action="hanging_clearance.scan", actor=ACTOR, subject_type="hanging_clearance_scan",
               subject_id=scan_id, after={"scan_on": today, "flagged": result.flagged, "resolved": result.resolved})
    return result


def announce_batch(session: Session, *, limit: int) -> int:
    query = (select(ClearanceFlag, HangingCase).join(HangingCase, HangingCase.id == ClearanceFlag.case_id)
             .where(ClearanceFlag.announced_at.is_(None)).order_by(ClearanceFlag.id).limit(limit))
    if _postgres(session):
        query = query.with_for_update(of=ClearanceFlag, skip_locked=True)
    rows = session.execute(query).all()
    at = utcnow()
    for flag, case in rows:
        flag.announced_at = at
        record(session, action="hanging_clearance.flag", actor=ACTOR, subject_type="hanging_case", subject_id=case.id,
               after={"flag_id": flag.id, "rule_code": flag.rule_code, "rule_id": flag.rule_id,
                      "started_on": flag.started_on, "flagged_on": flag.flagged_on, "resolved_on": flag.resolved_on})
        emit(session, "hanging_clearance.flagged", case, actor=ACTOR, flag_id=flag.id, rule_code=flag.rule_code,
             rule_text=RULE_TEXT.get(flag.rule_code, flag.rule_code), started_on=flag.started_on,
             flagged_on=flag.flagged_on)
    return len(rows)


def overdue_batch(session: Session, *, today: _dt.date, limit: int) -> int:
    query = (select(ClearanceAction, HangingCase).join(HangingCase, HangingCase.id == ClearanceAction.case_id)
             .where(ClearanceAction.deadline_id.is_not(None), ClearanceAction.replied_on.is_(None),
                    ClearanceAction.overdue_announced_on.is_(None), ClearanceAction.due_on < today,
                    HangingCase.status == OPEN)
             .order_by(ClearanceAction.due_on, ClearanceAction.id).limit(limit))
    if _postgres(session):
        query = query.with_for_update(of=ClearanceAction, skip_locked=True)
    rows = session.execute(query).all()
    for action, case in rows:
        assert action.due_on is not None
        action.overdue_announced_on = today
        record(session, action="hanging_clearance.reply_overdue", actor=ACTOR, subject_type="hanging_case",
               subject_id=case.id, after={"action_id": action.id, "kind": action.kind, "due_on": action.due_on})
        emit(session, "hanging_clearance.reply_overdue", case, actor=ACTOR, action_id=action.id, kind=action.kind,
             document_number=action.document_number, due_on=action.due_on)
    return len(rows)


def run_once(session_factory: sessionmaker[Session], *, today: _dt.date, batch_size: int = 500) -> dict[str, int]:
    """The day's scan (if not done), then every announcement due; counts of each."""
    result = scan_day(session_factory, today=today)
    counts = {"flagged": result.total if result else 0, "announced": 0, "reply_overdue": 0}
    for key in ("announced", "reply_overdue"):
        while True:
            with session_factory() as session, session.begin():
                n = (announce_batch(session, limit=batch_size) if key == "announced"
                     else overdue_batch(session, today=today, limit=batch_size))
            counts[key] += n
            if n < batch_size:
                break
    return counts


class DailyScan:
    """The :class:`~services.review.jobs.job.Job` of :func:`run_once`; its count is what it announced."""

    name = "hanging-clearance-scan"

    def __init__(self, *, batch_size: int = 500) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        counts = run_once(session_factory, today=beijing_date(now), batch_size=self.batch_size)
        if any(counts.values()):
            log.info("hanging clearance", extra=counts)
        return counts["announced"] + counts["reply_overdue"]


def jobs(*, batch_size: int = 100) -> list[Job]:
    return [DailyScan(batch_size=max(batch_size, 100))]
