"""The rules of 考评反馈, as plain functions over a session.

* :func:`record` — staff of the handling unit record the petitioner's 评价 (and how they got it);
* :func:`record_public` — the 评价 the petitioner gave through the public status query (intake);
* :func:`reopen` — after a 不满意 the handling unit starts a new round with a new result-reply 期限;
* :func:`close` — after a 不满意 the handling unit closes the matter anyway, with its reason.

One 评价 per round; 满意 / 基本满意 close the matter at once.  Every change is audited and announced
in the same transaction (``feedback.recorded``, ``handling.reopened``, ``handling.closed``).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.attaching import attach
from services.review.deadlines.authors import label as author_label
from services.review.deadlines.models import OPEN
from services.review.feedback import rounds
from services.review.feedback.models import (
    CLOSED_ANYWAY,
    DISSATISFIED,
    PUBLIC,
    RATINGS,
    REOPENED,
    STAFF,
    Feedback,
    HandlingRound,
)
from services.review.triage.access import get_item, require_acts_for, require_state
from services.review.triage.models import TriageItem
from services.review.triage.states import CLOSED, HANDLING, REPLIED
from shared.actor import Actor
from shared.audit.service import record as audit
from shared.auth import Principal
from shared.calendar.clock import beijing_date
from shared.db.base import utcnow
from shared.errors import Conflict, DomainError, Forbidden
from shared.events import new_event
from shared.outbox import enqueue

#: Who of the handling unit records a 评价 (a 回访 is the 承办人's or the 分流 officer's work).
RECORD_ROLES = ("triage_officer", "case_handler", "unit_leader")
#: Who of the handling unit decides what a 不满意 leads to.
DECIDE_ROLES = ("case_handler", "unit_leader")
#: The result-reply 期限 a reopened round runs under, per line (the same rule, from the reopen day).
RESULT_RULE = {"12309": "12309.result_reply", "12368": "court_12368.work_order"}


class ReasonsRequired(DomainError):
    code = "feedback.reasons_required"
    field = "reasons"
    message_zh = "评价为“不满意”的，应当记录不满意的理由"
    message_en = "A 不满意 (dissatisfied) rating needs its reasons"


class FeedbackExists(Conflict):
    code = "feedback.already_recorded"
    message_zh = "本轮办理的评价已经记录，每轮只记录一次"
    message_en = "This round's rating is already recorded (one per round)"


class NothingToDecide(Conflict):
    """Reopen or close-anyway needs this round's 不满意 that no one has decided on yet."""

    code = "feedback.no_open_dissatisfaction"
    message_zh = "本轮没有待处理的“不满意”评价，不能重新办理或径行办结"
    message_en = "This round has no undecided 不满意 rating to reopen or close on"


class ReopenedToday(Conflict):
    code = "feedback.reopened_today"
    message_zh = "该事项今日已重新办理过一次，请次日再重新办理"
    message_en = "The matter was already reopened today; a new round's clock cannot start twice on one day"


class NotYourRole(Forbidden):
    code = "feedback.role"
    message_zh = "您的角色不能进行此操作"
    message_en = "Your role may not do this"


def _staff(actor: Actor, roles: tuple[str, ...]) -> Principal:
    if actor.principal is None:
        raise RuntimeError("a staff action without a principal")
    if not actor.principal.has_role(*roles):
        raise NotYourRole(roles=list(roles))
    return actor.principal


def _item_fields(item: TriageItem) -> dict[str, Any]:
    return {"petition_id": item.petition_id, "case_number": item.case_number, "unit_code": item.unit_code,
            "handling_unit_code": item.handling_unit_code, "status": item.status, "round": item.round}


def _announce(session: Session, type_: str, item: TriageItem, actor: Actor, **data: Any) -> None:
    enqueue(session, new_event(type_, subject=item.petition_id, source="review", actor=author_label(actor),
                               trace_id=actor.trace_id, data={**_item_fields(item), **data}))


def of_round(session: Session, petition_id: str, round_: int) -> Feedback | None:
    return session.scalar(select(Feedback).where(Feedback.petition_id == petition_id, Feedback.round == round_))


def of_item(session: Session, petition_id: str) -> list[Feedback]:
    return list(session.scalars(select(Feedback).where(Feedback.petition_id == petition_id).order_by(Feedback.round)))


def overview(session: Session, item: TriageItem) -> dict[str, Any]:
    """What the API and the panel show of a matter: its status and round, every 评价 and round."""
    return {"petition_id": item.petition_id, "status": item.status, "round": item.round,
            "feedback": of_item(session, item.petition_id), "rounds": rounds.of_item(session, item.petition_id)}


def record(
    session: Session, *, petition_id: str, rating: str, reasons: str | None, method: str, actor: Actor,
) -> Feedback:
    """Staff of the handling unit record the 评价 they obtained (电话回访、当面、书面) of the present round.

    :raise ItemNotFound: not an item the actor sees.  :raise NotYourUnit: not the handling unit's person.
    :raise FeedbackExists: the round is rated already.  :raise WrongState: no result reply to rate.
    :raise ReasonsRequired: 不满意 without reasons.
    """
    principal = _staff(actor, RECORD_ROLES)
    item = get_item(session, petition_id, principal=principal, for_update=True)
    require_acts_for(principal, item.handling_unit_code)
    return _record(session, item, rating=rating, reasons=reasons, via=STAFF, method=method, actor=actor)


def _record(
    session: Session, item: TriageItem, *, rating: str, reasons: str | None, via: str, method: str | None,
    actor: Actor, submitted_at: _dt.datetime | None = None, event_id: str | None = None,
) -> Feedback:
    if rating not in RATINGS:
        raise ValueError(f"unknown rating {rating!r}")
    reasons = (reasons or "").strip() or None
    if of_round(session, item.petition_id, item.round) is not None:
        raise FeedbackExists(petition_id=item.petition_id, round=item.round)
    require_state(item, REPLIED)
    if rating == DISSATISFIED and reasons is None:
        raise ReasonsRequired()
    now = utcnow()
    feedback = Feedback(
        petition_id=item.petition_id, case_number=item.case_number, round=item.round,
        unit_code=item.handling_unit_code or item.unit_code, rating=rating, reasons=reasons, via=via, method=method,
        recorded_by=actor.name if via == STAFF else "public", recorded_at=now, submitted_at=submitted_at,
        source_event_id=event_id,
    )
    session.add(feedback)
    session.flush()
    audit(session, action="feedback.record", subject_type="triage_item", subject_id=item.id,
          after={"petition_id": item.petition_id, "round": item.round, "rating": rating, "via": via,
                 "method": method, "reasons": reasons},
          detail={"feedback_id": feedback.id, **({"source_event_id": event_id} if event_id else {})},
          **actor.fields())
    _announce(session, "feedback.recorded", item, actor, feedback_id=feedback.id, rating=rating, via=via,
              method=method, reasons=reasons, recorded_at=now)
    if rating != DISSATISFIED:
        _close(session, item, actor=actor, feedback=feedback, reason=None)
    return feedback


def record_public(
    session: Session, *, petition_id: str, round_: int | None, rating: str, reasons: str | None,
    submitted_at: _dt.datetime, event_id: str, trace_id: str | None,
) -> Feedback | None:
    """The 评价 the petitioner gave through the public query (intake's ``petition.feedback_submitted``).

    A consumer action: it never raises for a refusal (the event is not poison, it came too late or
    twice).  A refused one — the round already rated (by staff first), the matter no longer waiting
    for a 评价, a stale round — is audited as a failure with the reason, and None is returned.
    """
    actor = Actor.system(trace_id)
    item = session.scalar(select(TriageItem).where(TriageItem.petition_id == petition_id).with_for_update())

    def refuse(reason: str) -> None:
        audit(session, action="feedback.record", outcome="failure", subject_type="triage_item",
              subject_id=item.id if item is not None else None,
              detail={"petition_id": petition_id, "via": PUBLIC, "round": round_, "reason": reason,
                      "source_event_id": event_id}, **actor.fields())

    if item is None:
        refuse("no_item")
        return None
    if round_ is not None and round_ != item.round:
        refuse("stale_round")
        return None
    try:
        return _record(session, item, rating=rating, reasons=reasons, via=PUBLIC, method=None, actor=actor,
                       submitted_at=submitted_at, event_id=event_id)
    except DomainError as exc:
        refuse(exc.code)
        return None


def _undecided_dissatisfaction(session: Session, item: TriageItem) -> Feedback:
    require_state(item, REPLIED)
    feedback = of_round(session, item.petition_id, item.round)
    if feedback is None or feedback.rating != DISSATISFIED or feedback.decision is not None:
        raise NothingToDecide(petition_id=item.petition_id, round=item.round)
    return feedback


def _decider_item(session: Session, petition_id: str, actor: Actor) -> TriageItem:
    principal = _staff(actor, DECIDE_ROLES)
    item = get_item(session, petition_id, principal=principal, for_update=True)
    require_acts_for(principal, item.handling_unit_code)
    return item


def reopen(
    session: Session, *, petition_id: str, reason: str, actor: Actor, on: _dt.date | None = None,
) -> HandlingRound:
    """After a 不满意: a new handling round (``round + 1``, status ``handling``) whose result-reply
    期限 (the line's rule) counts from ``on`` (default today, Beijing), linked to the 评价 that caused it.

    :raise NothingToDecide: no undecided 不满意 of the present round.  :raise ReopenedToday: a second
    reopen on one day (its clock would be the same 期限 again).
    """
    item = _decider_item(session, petition_id, actor)
    feedback = _undecided_dissatisfaction(session, item)
    now = utcnow()
    day = on or beijing_date(now)
    before = {"status": item.status, "round": item.round}
    unit = item.handling_unit_code or item.unit_code
    deadline = attach(session, subject=item.petition_id, rule_code=RESULT_RULE.get(item.line, "12309.result_reply"),
                      start_on=day, unit_code=unit, case_number=item.case_number, actor=author_label(actor))
    if deadline.status != OPEN:
        raise ReopenedToday(petition_id=item.petition_id)
    previous = rounds.current(session, item) or rounds.note_replied(session, item)
    previous.closed_at, previous.close_reason = now, "不满意，重新办理"
    new_round = HandlingRound(petition_id=item.petition_id, round=item.round + 1, unit_code=unit, opened_on=day,
                              reason=reason, feedback_id=feedback.id, deadline_id=deadline.id)
    session.add(new_round)
    feedback.decision, feedback.decided_by, feedback.decided_at, feedback.decision_reason = (
        REOPENED, actor.name, now, reason)
    item.round, item.status = item.round + 1, HANDLING
    session.flush()
    audit(session, action="handling.reopen", subject_type="triage_item", subject_id=item.id, before=before,
          after={"status": item.status, "round": item.round, "deadline_id": deadline.id, "due_on": deadline.due_on},
          detail={"feedback_id": feedback.id, "reason": reason, "reopened_on": day}, **actor.fields())
    _announce(session, "handling.reopened", item, actor, previous_round=before["round"], feedback_id=feedback.id,
              reason=reason, reopened_on=day, deadline_id=deadline.id, due_on=deadline.due_on)
    return new_round


def close(session: Session, *, petition_id: str, reason: str, actor: Actor) -> TriageItem:
    """After a 不满意: the handling unit closes the matter anyway (已办结), with its reason on record."""
    item = _decider_item(session, petition_id, actor)
    feedback = _undecided_dissatisfaction(session, item)
    feedback.decision, feedback.decided_by, feedback.decided_at, feedback.decision_reason = (
        CLOSED_ANYWAY, actor.name, utcnow(), reason)
    _close(session, item, actor=actor, feedback=feedback, reason=reason)
    return item


def _close(session: Session, item: TriageItem, *, actor: Actor, feedback: Feedback, reason: str | None) -> None:
    now = utcnow()
    before = {"status": item.status}
    item.status = CLOSED
    row = rounds.current(session, item) or rounds.note_replied(session, item)
    row.closed_at, row.close_reason = now, reason
    session.flush()
    audit(session, action="handling.close", subject_type="triage_item", subject_id=item.id, before=before,
          after={"status": item.status, "round": item.round},
          detail={"feedback_id": feedback.id, "rating": feedback.rating, **({"reason": reason} if reason else {})},
          **actor.fields())
    _announce(session, "handling.closed", item, actor, closed_on=beijing_date(now), rating=feedback.rating,
              feedback_id=feedback.id, reason=reason)


