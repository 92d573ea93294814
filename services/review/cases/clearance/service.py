"""The rules of 挂案清理 after a flag: the 监督 actions, the police's replies, the outcomes, property.

* Actions (:func:`take_action`), by the case's own unit's prosecutors on an open case:
  催办函 once the case is flagged ``urge`` (or its 继续侦查 deadline passed: 规则 第五百六十四条);
  要求说明理由 on any open flag (the police's reply clock ``hanging_case.explain_reply``, 7日);
  通知撤销案件 on a flag of the rules under which 撤案 is due (the 15日 clock
  ``hanging_case.withdraw_reply``); 挂牌督办 on any open flag, once per case.  Each gets its
  document number and its document (documents.py); the clocks are the deadline engine's.
* Replies (:func:`record_reply`) meet the clock on the reply's day.
* Outcomes (:func:`record_outcome`): 撤案 / 移送起诉 / 不起诉 clear the case (its flags resolved on the
  outcome day, open reply clocks met: the police acted); 继续侦查 keeps it open with a new deadline
  (``continued_until``) after which the scan flags it ``hanging_case.continued_overdue``.
* Property (:func:`return_property`): the return of 查封/扣押/冻结 property (``returned_on``).
Every change: an audit row and a ``hanging_clearance.*`` event in the same transaction.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.cases.clearance import documents
from services.review.cases.clearance.access import get_case, require_acts_for, require_open
from services.review.cases.clearance.models import (
    CONTINUED,
    EXPLAIN,
    LISTED,
    MUST_WITHDRAW,
    REPLY_RULE,
    RULE_TEXT,
    URGE,
    URGE_LETTER,
    WITHDRAW_NOTICE,
    ClearanceAction,
    ClearanceFlag,
    ClearanceOutcome,
)
from services.review.cases.clearance.thresholds import resolve_cleared
from services.review.cases.hanging.models import CLEARED, OUTCOMES, HangingCase, HangingCaseProperty
from services.review.cases.hanging.models import CONTINUED as OUTCOME_CONTINUED
from services.review.deadlines import closing
from services.review.deadlines.attaching import attach
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.calendar import beijing_date, clock
from shared.errors import DomainError, ErrorKind, NotFound
from shared.events import new_event
from shared.outbox import enqueue

#: Which open flags make each action available (in the order the document cites them).
ENABLED_BY: dict[str, tuple[str, ...]] = {
    URGE_LETTER: (URGE, CONTINUED),
    EXPLAIN: (*MUST_WITHDRAW, CONTINUED, URGE),
    WITHDRAW_NOTICE: MUST_WITHDRAW,
    LISTED: (*MUST_WITHDRAW, CONTINUED, URGE),
}


class ActionNotAvailable(DomainError):
    kind = ErrorKind.CONFLICT
    code = "action_not_available"
    message_zh = "该案件尚未达到此项监督措施的条件（无相应的挂案标记），或已采取过"
    message_en = "The case has no open flag that allows this action, or it was already taken"


class ActionNotFound(NotFound):
    code = "clearance_action_not_found"
    message_zh = "未找到该监督措施"
    message_en = "No such clearance action"


class NoReplyExpected(DomainError):
    kind = ErrorKind.CONFLICT
    code = "no_reply_expected"
    message_zh = "该监督措施无需回复，或回复已记录"
    message_en = "This action expects no reply, or its reply was already recorded"


class BadOutcome(DomainError):
    kind = ErrorKind.INVALID
    code = "bad_outcome"
    message_zh = "处理结果无效：继续侦查须填写晚于结果日期的新期限，其他结果不得填写"
    message_en = "Invalid outcome: 继续侦查 needs a new deadline after the outcome date; other outcomes take none"


class PropertyNotFound(NotFound):
    code = "hanging_property_not_found"
    message_zh = "未找到该涉案财物"
    message_en = "No such seized property"


class AlreadyReturned(DomainError):
    kind = ErrorKind.CONFLICT
    code = "property_already_returned"
    message_zh = "该涉案财物已返还"
    message_en = "This property was already returned"


def _principal(actor: Actor) -> Principal:
    if actor.principal is None:
        raise RuntimeError("a 挂案 action needs a signed-in member of staff")
    return actor.principal


def ref(case: HangingCase) -> dict[str, Any]:
    return {"subject_id": case.id, "case_number": case.case_number, "unit_code": case.unit_code,
            "investigating_organ": case.investigating_organ}


def emit(session: Session, event_type: str, case: HangingCase, *, actor: Actor | str, **data: Any) -> None:
    name = actor if isinstance(actor, str) else actor.name
    trace = None if isinstance(actor, str) else actor.trace_id
    enqueue(session, new_event(event_type, subject=case.id, source="review", actor=name, trace_id=trace,
                               data={**ref(case), **data}))


# --- reading ------------------------------------------------------------------------------------

def flags_of(session: Session, case_id: str) -> list[ClearanceFlag]:
    return list(session.scalars(select(ClearanceFlag).where(ClearanceFlag.case_id == case_id)
                                .order_by(ClearanceFlag.flagged_on, ClearanceFlag.rule_code)))


def actions_of(session: Session, case_id: str) -> list[ClearanceAction]:
    return list(session.scalars(select(ClearanceAction).where(ClearanceAction.case_id == case_id)
                                .order_by(ClearanceAction.sent_on, ClearanceAction.created_at)))


def available(flags: list[ClearanceFlag], actions: list[ClearanceAction], case: HangingCase) -> dict[str, ClearanceFlag]:
    """Action kind → the open flag it would cite, for the actions the case allows now."""
    if case.status == CLEARED:
        return {}
    open_flags = {f.rule_code: f for f in flags if f.resolved_on is None}
    out: dict[str, ClearanceFlag] = {}
    for kind, rules in ENABLED_BY.items():
        if kind == LISTED and any(a.kind == LISTED for a in actions):
            continue  # 挂牌督办 once per case
        for rule in rules:
            if rule in open_flags:
                out[kind] = open_flags[rule]
                break
    return out


def get_action(session: Session, action_id: str, *, principal: Principal | None,
               for_update: bool = False) -> tuple[ClearanceAction, HangingCase]:
    query = select(ClearanceAction).where(ClearanceAction.id == action_id[:36])
    if for_update:
        query = query.with_for_update()
    action = session.scalar(query)
    if action is None:
        raise ActionNotFound(action_id=action_id[:40])
    try:
        case = get_case(session, action.case_id, principal=principal, for_update=for_update)
    except NotFound:
        raise ActionNotFound(action_id=action_id[:40]) from None
    return action, case


def snapshot(action: ClearanceAction) -> dict[str, Any]:
    return {"kind": action.kind, "case_id": action.case_id, "document_number": action.document_number,
            "sent_on": action.sent_on, "due_on": action.due_on, "replied_on": action.replied_on,
            "rule_code": action.rule_code}


# --- actions ------------------------------------------------------------------------------------

def take_action(session: Session, *, case_id: str, kind: str, text: str, actor: Actor,
                now: _dt.datetime | None = None) -> ClearanceAction:
    """One 监督 action on the case, numbered and, for 说明理由 / 通知撤销, with the police's reply clock.

    :raise CaseNotFound: not seen (404). :raise NotYourUnit: not the case's own unit (403).
    :raise WrongState: the case is cleared (409). :raise ActionNotAvailable: no flag allows it (409).
    """
    principal = _principal(actor)
    case = get_case(session, case_id, principal=principal, for_update=True)
    require_acts_for(principal, case.unit_code)
    require_open(case)
    flag = available(flags_of(session, case.id), actions_of(session, case.id), case).get(kind)
    if flag is None:
        raise ActionNotAvailable(kind=kind)
    at = now or clock.utcnow()
    today = beijing_date(at)
    organ = documents.organ(session, case.unit_code)
    serial = documents.next_serial(session, organ_code=organ.code, kind=kind, year=today.year)
    action = ClearanceAction(
        case_id=case.id, unit_code=case.unit_code, kind=kind, flag_id=flag.id, rule_code=flag.rule_code,
        text=text, sent_on=today, organ_code=organ.code, organ_name=organ.name, year=today.year, serial=serial,
        document_number=documents.document_number(organ, kind=kind, year=today.year, serial=serial),
        created_by=actor.name,
    )
    session.add(action)
    session.flush()
    if kind in REPLY_RULE:
        deadline = attach(session, subject=action.id, rule_code=REPLY_RULE[kind], start_on=today,
                          unit_code=case.unit_code, case_number=case.case_number, actor=actor.name)
        action.deadline_id, action.due_on = deadline.id, deadline.due_on
    session.flush()
    record(session, action="hanging_clearance.action", subject_type="hanging_case", subject_id=case.id,
           after={**snapshot(action), "text": text}, detail={"action_id": action.id}, **actor.fields())
    emit(session, "hanging_clearance.action_taken", case, actor=actor, action_id=action.id, kind=kind,
         document_number=action.document_number, sent_on=today, due_on=action.due_on, flag_id=flag.id,
         rule_code=flag.rule_code)
    return action


def record_reply(session: Session, *, action_id: str, text: str, replied_on: _dt.date | None, actor: Actor,
                 now: _dt.datetime | None = None) -> ClearanceAction:
    """The police's reply to a 要求说明理由 / 通知撤销案件: the clock met on ``replied_on`` (default today)."""
    principal = _principal(actor)
    action, case = get_action(session, action_id, principal=principal, for_update=True)
    require_acts_for(principal, case.unit_code)
    if action.deadline_id is None or action.replied_on is not None:
        raise NoReplyExpected(action_id=action.id)
    at = now or clock.utcnow()
    day = replied_on or beijing_date(at)
    before = snapshot(action)
    action.replied_on, action.reply_text = day, text
    closing.meet(session, deadline_id=action.deadline_id, met_at=at, met_on=day, actor=actor.name, principal=None,
                 note="公安机关回复已记录")
    on_time = action.due_on is None or day <= action.due_on
    record(session, action="hanging_clearance.reply", subject_type="hanging_case", subject_id=case.id, before=before,
           after={**snapshot(action), "reply_text": text}, detail={"action_id": action.id}, **actor.fields())
    emit(session, "hanging_clearance.reply_recorded", case, actor=actor, action_id=action.id, kind=action.kind,
         replied_on=day, on_time=on_time)
    return action


# --- outcomes -----------------------------------------------------------------------------------

def record_outcome(session: Session, *, case_id: str, outcome: str, outcome_on: _dt.date,
                   continued_until: _dt.date | None, note: str | None, actor: Actor,
                   now: _dt.datetime | None = None) -> HangingCase:
    """撤案 / 移送起诉 / 不起诉 clear the case; 继续侦查 sets its new deadline.

    :raise BadOutcome: an unknown outcome, or 继续侦查 without a later deadline, or a deadline with another (422).
    """
    principal = _principal(actor)
    if outcome not in OUTCOMES or (outcome == OUTCOME_CONTINUED) != (continued_until is not None) or (
            continued_until is not None and continued_until <= outcome_on):
        raise BadOutcome(outcome=outcome)
    case = get_case(session, case_id, principal=principal, for_update=True)
    require_acts_for(principal, case.unit_code)
    require_open(case)
    at = now or clock.utcnow()
    before = {"status": case.status, "outcome": case.outcome, "outcome_on": case.outcome_on,
              "continued_until": case.continued_until}
    case.outcome, case.outcome_on = outcome, outcome_on
    resolved = 0
    if outcome == OUTCOME_CONTINUED:
        case.continued_until = continued_until
        # A new deadline is a new 继续侦查 period: a passed one may be flagged again after it.
        session.query(ClearanceFlag).filter(ClearanceFlag.case_id == case.id, ClearanceFlag.rule_code == CONTINUED,
                                            ClearanceFlag.resolved_on.is_(None)).delete()
    else:
        case.status = CLEARED
        session.flush()
        resolved = resolve_cleared(session, case_id=case.id)
        for action in actions_of(session, case.id):
            if action.deadline_id is not None and action.replied_on is None:
                # The police acted (撤案, 移送): the reply duty is met by the outcome itself.
                action.replied_on, action.reply_text = outcome_on, f"案件已{_outcome_text(outcome)}"
                closing.meet(session, deadline_id=action.deadline_id, met_at=at, met_on=outcome_on, actor=actor.name,
                             principal=None, note="案件已处理")
    session.add(ClearanceOutcome(case_id=case.id, outcome=outcome, outcome_on=outcome_on,
                                 continued_until=continued_until, note=note, recorded_by=actor.name, recorded_at=at))
    session.flush()
    record(session, action="hanging_clearance.outcome", subject_type="hanging_case", subject_id=case.id,
           before=before, after={"status": case.status, "outcome": outcome, "outcome_on": outcome_on,
                                 "continued_until": continued_until, "note": note, "flags_resolved": resolved},
           **actor.fields())
    emit(session, "hanging_clearance.outcome_recorded", case, actor=actor, outcome=outcome, outcome_on=outcome_on,
         continued_until=continued_until, status=case.status, flags_resolved=resolved)
    return case


def _outcome_text(outcome: str) -> str:
    from services.review.cases.hanging.models import OUTCOME_TEXT
    return OUTCOME_TEXT.get(outcome, outcome)


def return_property(session: Session, *, case_id: str, property_id: str, returned_on: _dt.date,
                    actor: Actor) -> HangingCaseProperty:
    """The return (返还) of seized property: ``returned_on`` set, once."""
    principal = _principal(actor)
    case = get_case(session, case_id, principal=principal, for_update=True)
    require_acts_for(principal, case.unit_code)
    item = session.scalar(select(HangingCaseProperty).where(HangingCaseProperty.id == property_id[:36],
                                                           HangingCaseProperty.case_id == case.id).with_for_update())
    if item is None:
        raise PropertyNotFound(property_id=property_id[:40])
    if item.returned_on is not None:
        raise AlreadyReturned(property_id=item.id)
    item.returned_on = returned_on
    session.flush()
    record(session, action="hanging_clearance.property_return", subject_type="hanging_case", subject_id=case.id,
           before={"property_id": item.id, "returned_on": None},
           after={"property_id": item.id, "returned_on": returned_on, "kind": item.kind}, **actor.fields())
    emit(session, "hanging_clearance.property_returned", case, actor=actor, property_id=item.id, kind=item.kind,
         returned_on=returned_on)
    return item


def flag_text(flag: ClearanceFlag) -> str:
    return RULE_TEXT.get(flag.rule_code, flag.rule_code)
