"""The jobs of 羁押必要性审查 in `huhang scheduler`.

* :class:`MandatoryReviews` (``custody-mandatory-reviews``): each day, every person in the custody register
  whose criminal case data meets a mandatory-review trigger (triggers.py) gets one review per trigger, citing
  its rule.  Entries are claimed with SKIP LOCKED in batches, each batch its own transaction; a trigger row's
  unique key (entry, kind, key) makes a trigger open one review whatever the number of schedulers or passes.
* :class:`AgencyReplies` (``custody-agency-replies``): a reply clock at its warning day tells the unit's
  prosecutors once (``custody_review.reply_due``); one past its due date with no reply opens a 纠正意见 item
  (``custody_review.correction_opened``, once per review).
"""

from __future__ import annotations

import datetime as _dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.review.cases.custody import service, triggers
from services.review.cases.custody.models import CustodyRegisterEntry, CustodyReview, CustodyTrigger
from services.review.cases.custody.vocabulary import AWAITING_REPLY
from services.review.deadlines.models import OPEN, Deadline
from services.review.jobs.job import Job
from shared.calendar import beijing_date
from shared.db.engine import is_postgres

log = logging.getLogger(__name__)


def _locked(query: object, session: Session) -> object:
    return query.with_for_update(skip_locked=True) if is_postgres(str(session.get_bind().engine.url)) else query  # type: ignore[attr-defined]


def scan_batch(session: Session, *, today: _dt.date, after: str, limit: int) -> tuple[list[str], list[CustodyReview]]:
    """One batch of register entries (id > ``after``) in custody: the reviews their triggers opened today."""
    query = (select(CustodyRegisterEntry).where(CustodyRegisterEntry.released_on.is_(None),
                                                CustodyRegisterEntry.id > after)
             .order_by(CustodyRegisterEntry.id).limit(limit))
    entries = list(session.scalars(_locked(query, session)))  # type: ignore[call-overload]
    opened: list[CustodyReview] = []
    for entry in entries:
        done = {(t.kind, t.key) for t in session.scalars(
            select(CustodyTrigger).where(CustodyTrigger.register_id == entry.id))}
        for due in triggers.due(entry, today=today):
            if (due.rule.kind, due.key) in done:
                continue
            try:
                with session.begin_nested():
                    review = service.open_mandatory(session, entry=entry, due=due, today=today)
            except IntegrityError:  # another scheduler opened it first: its row stands
                continue
            if review is not None:
                opened.append(review)
    return [e.id for e in entries], opened


def run_mandatory(session_factory: sessionmaker[Session], *, today: _dt.date, batch_size: int = 100) -> list[str]:
    """Every mandatory review due on ``today``, batch by batch; the ids of the reviews opened."""
    opened: list[str] = []
    after = ""
    while True:
        with session_factory() as session, session.begin():
            ids, reviews = scan_batch(session, today=today, after=after, limit=batch_size)
            opened.extend(r.id for r in reviews)
        if len(ids) < batch_size:
            return opened
        after = ids[-1]


def run_replies(session_factory: sessionmaker[Session], *, today: _dt.date, batch_size: int = 100) -> tuple[int, int]:
    """(due-soon notices sent, 纠正意见 items opened) for the reply clocks of ``today``."""
    notices = corrections = 0
    after = ""
    while True:
        with session_factory() as session, session.begin():
            query = (select(CustodyReview).join(Deadline, Deadline.id == CustodyReview.reply_deadline_id)
                     .where(CustodyReview.state == AWAITING_REPLY, Deadline.status == OPEN, CustodyReview.id > after)
                     .order_by(CustodyReview.id).limit(batch_size))
            reviews = list(session.scalars(_locked(query, session)))  # type: ignore[call-overload]
            for review in reviews:
                deadline = session.get(Deadline, review.reply_deadline_id)
                if deadline is not None and deadline.due_on is not None and deadline.due_on < today:
                    corrections += service.open_correction(session, review=review, today=today) is not None
                else:
                    notices += service.reply_due_soon(session, review=review, today=today)
        if len(reviews) < batch_size:
            return notices, corrections
        after = reviews[-1].id


class MandatoryReviews:
    name = "custody-mandatory-reviews"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        opened = run_mandatory(session_factory, today=beijing_date(now), batch_size=self.batch_size)
        if opened:
            log.info("mandatory custody reviews opened", extra={"opened": len(opened)})
        return len(opened)


class AgencyReplies:
    name = "custody-agency-replies"

    def __init__(self, *, batch_size: int = 100) -> None:
        self.batch_size = batch_size

    def run_once(self, session_factory: sessionmaker[Session], *, now: _dt.datetime) -> int:
        notices, corrections = run_replies(session_factory, today=beijing_date(now), batch_size=self.batch_size)
        return notices + corrections


def jobs(*, batch_size: int = 100) -> list[Job]:
    """The custody domain's jobs for the runner (a :class:`~services.review.jobs.job.JobFactory`)."""
    return [MandatoryReviews(batch_size=batch_size), AgencyReplies(batch_size=batch_size)]
