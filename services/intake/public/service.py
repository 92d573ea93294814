"""The public queries: a case number (or a credit code) and its code → what the public may see.

* :func:`query` — 案件进度查询: one matter's timeline, by its case number (a petition's, or a
  flagged court case's 案号: public/sources.py) and its 查询码;
* :func:`enterprise_query` — 企业查询: every matter an enterprise is a party to, across both
  lines, by its 统一社会信用代码 and the access code issued after staff checked it in person.

Both go through one guard (:func:`_open`), in the caller's transaction:

1. the per-address window (throttle.py): at most N queries a minute, else ``TooManyQueries``;
2. the per-number lock (lockout.py): after M wrong codes for one typed number, its queries are
   refused for an hour (``QueryLocked``), existing or not;
3. one credentials check (a fixed number of argon2 runs for its kind) and one lookup of the number
   (for the audit row), whatever is stored; a wrong code and an unknown number then run the same
   statements (a counted failure, an audit row) and raise the same error: a 404 with one body;
4. every query is audited (``public.status_query`` / ``public.enterprise_query``: success,
   failure or denied, with the reason in the detail), never with the code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.credentials import service as credentials
from services.intake.enterprises import service as enterprises
from services.intake.public import lockout, sources, throttle
from services.intake.status import feedback as public_feedback
from services.intake.status.timeline import Timeline
from shared.actor import Actor
from shared.audit.service import record
from shared.calendar.clock import beijing_date
from shared.errors import Conflict, DomainError, NotFound

ACTION = "public.status_query"
ENTERPRISE_ACTION = "public.enterprise_query"
FEEDBACK_ACTION = "public.status_feedback"


class TooManyQueries(throttle.RateLimited):
    code = "too_many_status_queries"
    message_en = "Too many status queries from this address: wait and try again"
    message_zh = "查询过于频繁，请稍后再试"


class QueryLocked(throttle.RateLimited):
    """Too many wrong codes for this number: its query is closed for a while, whoever asks."""

    code = "status_query.locked"
    message_en = "Too many wrong codes for this number: its query is locked for a while; try later or call 12309/12368"
    message_zh = "该编号的查询码输错次数过多，查询已暂时锁定，请稍后再试或拨打 12309、12368 咨询"


class StatusNotFound(NotFound):
    """No matter with this number, or a wrong code: one answer, so the query reveals no number."""

    keeps_writes = True  # the failure's count and audit row
    code = "status_query.not_found"
    message_en = "No matter matches this case number and query code"
    message_zh = "没有查到与该案件编号和查询码相符的事项"


class EnterpriseNotFound(NotFound):
    keeps_writes = True
    code = "enterprise_query.not_found"
    message_en = "No enterprise matches this credit code and access code"
    message_zh = "没有查到与该统一社会信用代码和企业查询码相符的企业"


class FeedbackRefused(Conflict):
    """The matter is not waiting for this petitioner's 评价: its reply is not given, or it is rated already."""

    keeps_writes = True  # the window's row and the audit row of the query that opened it
    code = "status_feedback.not_open"
    message_en = "This matter is not waiting for a rating: the result reply is not given yet, or it is rated already"
    message_zh = "该事项目前不能评价：尚未答复办理结果，或本轮答复已经评价"


class FeedbackGiven(FeedbackRefused):
    code = "status_feedback.already_given"
    message_en = "This round's reply is rated already (one rating per round)"
    message_zh = "本轮答复已经评价过，每轮只能评价一次"


@dataclass(frozen=True)
class EnterpriseView:
    """What the enterprise sees: its name as verified, and the timeline of each of its matters."""

    credit_code: str
    enterprise_name: str
    matters: tuple[Timeline, ...]


@dataclass(frozen=True)
class _Guard:
    action: str
    scope: str  # the lock's namespace: a case number and a credit code never share a counter
    credential_kind: str
    subject_type: str
    typed_as: str  # the audit detail's name for the typed number
    not_found: type[DomainError]


def _open(
    session: Session, guard: _Guard, *, key: str, code: str, find: Callable[[Session, str], str | None],
    actor: Actor, settings: IntakeSettings, now: datetime,
) -> str:
    """The subject id `code` opens under `key`, past the window and the lock; audited either way."""
    detail = {guard.typed_as: key}

    def audit(outcome: str, reason: str | None, subject_id: str | None = None) -> None:
        record(session, action=guard.action, outcome=outcome, subject_type=guard.subject_type, subject_id=subject_id,
               detail={**detail, **({"reason": reason} if reason else {})}, **actor.fields())

    window = throttle.Window(settings.status_query_limit, settings.status_query_window_s)
    decision = throttle.take(session, client_addr=actor.client_addr, window=window, now=now)
    if not decision.allowed:
        audit("denied", "rate_limited")
        raise TooManyQueries(decision.retry_after_s)
    policy = lockout.Policy(settings.status_query_max_wrong, settings.status_query_lock_s)
    lock_key = lockout.key_of(guard.scope, key)
    wait = lockout.locked_for(session, key=lock_key, policy=policy, now=now)
    if wait:
        audit("denied", "locked")
        raise QueryLocked(wait)
    subject_id = credentials.check(session, kind=guard.credential_kind, lookup_key=key, entered=code)
    registered = find(session, key)  # both ways: which failure it was goes in the audit row only
    if subject_id is None:
        lockout.failed(session, key=lock_key, policy=policy, now=now)
        audit("failure", "unknown_case" if registered is None else "wrong_code", registered)
        raise guard.not_found()
    lockout.succeeded(session, key=lock_key)
    audit("success", None, subject_id)
    return subject_id


def query(
    session: Session, *, case_number: str, code: str, actor: Actor, settings: IntakeSettings, now: datetime,
) -> Timeline:
    """The public timeline of the matter `case_number` if `code` is its query code.

    :raise TooManyQueries: the address has used its window (audited as denied; the row is kept).
    :raise QueryLocked: too many wrong codes for this number lately (audited as denied).
    :raise StatusNotFound: no such matter, or a wrong code (one answer; the failure is counted).
    """
    # A number of no register's shape (the schema refuses those first) goes the same way and fails.
    source, key = sources.locate(case_number) or (sources.PETITIONS, case_number)
    guard = _Guard(ACTION, "case", source.credential_kind, source.subject_type, "case_number", StatusNotFound)
    subject_id = _open(session, guard, key=key, code=code, find=source.find, actor=actor, settings=settings, now=now)
    found = source.timeline(session, subject_id, settings, beijing_date(now))
    if found is None:  # the code outlived its matter
        raise StatusNotFound()
    return found


def enterprise_query(
    session: Session, *, credit_code: str, code: str, actor: Actor, settings: IntakeSettings, now: datetime,
) -> EnterpriseView:
    """Every matter the enterprise `credit_code` is a party to, if `code` is its access code.

    :raise TooManyQueries, QueryLocked: as :func:`query` (the lock counts per credit code).
    :raise EnterpriseNotFound: no verified enterprise with this code, or a wrong access code.
    """
    guard = _Guard(ENTERPRISE_ACTION, "enterprise", "enterprise", "enterprise", "credit_code", EnterpriseNotFound)
    _open(session, guard, key=credit_code, code=code, find=enterprises.find, actor=actor, settings=settings, now=now)
    today = beijing_date(now)
    matters = [t for source in sources.SOURCES for t in source.of_enterprise(session, credit_code, settings, today)]
    return EnterpriseView(
        credit_code=credit_code,
        enterprise_name=enterprises.name_of(session, credit_code) or "",
        matters=tuple(sorted(matters, key=lambda t: (t.received_on, t.case_number))),
    )


def give_feedback(
    session: Session, *, case_number: str, code: str, rating: str, reasons: str | None, actor: Actor,
    settings: IntakeSettings, now: datetime,
) -> Timeline:
    """评价: the petitioner, by case number and 查询码 (the query's guard), rates the present round's reply.

    :raise TooManyQueries, QueryLocked, StatusNotFound: as :func:`query` (the same window and lock).
    :raise FeedbackGiven: this round is rated already.  :raise FeedbackRefused: nothing to rate yet
    (no result reply, a 重复件 joined to another case, a court case).
    """
    source, key = sources.locate(case_number) or (sources.PETITIONS, case_number)
    guard = _Guard(FEEDBACK_ACTION, "case", source.credential_kind, source.subject_type, "case_number", StatusNotFound)
    subject_id = _open(session, guard, key=key, code=code, find=source.find, actor=actor, settings=settings, now=now)
    today = beijing_date(now)
    found = source.timeline(session, subject_id, settings, today)
    if found is None:
        raise StatusNotFound()
    if not found.feedback_open or source is not sources.PETITIONS:
        raise FeedbackGiven() if found.feedback_rating else FeedbackRefused()
    public_feedback.submit(session, subject_id=subject_id, case_number=found.case_number, round_=found.round,
                           rating=rating, reasons=reasons, actor=actor, now=now)
    answered = source.timeline(session, subject_id, settings, today)
    assert answered is not None
    return answered
