"""The rules of 羁押必要性审查, as plain functions over a session (each in the caller's transaction, each with
its audit row and its ``custody_review.*`` event through the outbox).

* Opening (规则 第五百七十四条): :func:`open_review` on application (本人, 法定代理人, 近亲属, 辩护人, with reasons
  and evidence), ex officio, or on the 看守所's suggestion; :func:`open_mandatory` by the daily job from the
  custody register, citing the trigger's rule (triggers.toml).
* Routing (规则 第五百七十六条): an application registered by 控申 or 案管 of the same 院 is due at 捕诉 the same
  day (``custody_review.routing``, 0 days), one registered by another 检察院 within 2日
  (``custody_review.forwarding``); either is met when 捕诉 receives it (:func:`receive`).
* 初审 (2016 规定: 3 working days, ``custody_review.initial_review``): :func:`file` (立案) or :func:`decline`.
  Ex officio and mandatory reviews are 立案 when they open.
* The decision's clock from 立案: ``custody_review.decision`` (2016: 10 working days; 2023 art. 19: 10日) or, in
  审查起诉 under the 2023 规定, ``custody_review.decision_prosecution_stage`` (3日); :func:`extend` (+5 working
  days with the approver recorded, 2016 规定), :func:`suspend` / :func:`resume` for 鉴定 (not counted).
* :func:`decide` (规则 575, 579–580): 建议释放 / 建议变更 (a 建议书; the other organ's reply within 10日,
  ``custody_review.agency_reply``), 直接变更 (only in 审查起诉), 继续羁押 (refused while a 579 must-ground is
  ticked); the applicant's written notice (规则 582) goes to notify as a mandatory ``public_notice.requested``.
* :func:`record_reply` (accepted closes it; refused opens a 纠正意见), :func:`open_correction` (the job, for a
  missing reply), :func:`issue_correction` (规则 581, on ``custody_review.correction_followup``).
"""

from __future__ import annotations

import base64
import datetime as _dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.review.cases.custody import checklist, document, triggers
from services.review.cases.custody.models import (
    CustodyCorrection,
    CustodyDocument,
    CustodyGround,
    CustodyMeasure,
    CustodyRegisterEntry,
    CustodyReview,
    CustodyTrigger,
    refresh_due,
)
from services.review.cases.custody.vocabulary import (
    APPLICATION,
    AWAITING_REPLY,
    CLOSED,
    CONTINUE,
    CORRECTION,
    CORRECTION_DOC,
    DECISION_BASIS,
    DIRECT_CHANGE,
    DOCUMENT_TITLE,
    EX_OFFICIO,
    EXAMINING,
    INITIAL_REVIEW,
    MANDATORY,
    NO_REPLY,
    NOTICE_DOC,
    OUTCOME_TEXT,
    PROSECUTION,
    RECEIVED,
    RECOMMENDATION_DOC,
    RECOMMENDATIONS,
    REPLY_ACCEPTED,
    REPLY_REFUSED,
    REVIEWING,
    RULE_CORRECTION,
    RULE_DECISION,
    RULE_DECISION_PROSECUTION,
    RULE_EXTENSION,
    RULE_FORWARDING,
    RULE_INITIAL,
    RULE_REPLY,
    RULE_ROUTING,
    STAGE_TEXT,
)
from services.review.deadlines import closing, extensions, suspensions
from services.review.deadlines.attaching import attach
from services.review.deadlines.models import OPEN, Deadline, DeadlineExtension
from services.review.deadlines.rules import rule_in_force
from services.review.handling.document import organ_of
from services.review.identity.units.models import Unit as UnitRow
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.calendar import Unit, beijing_date, clock
from shared.errors import ErrorKind, DomainError, NotFound
from shared.events import new_event
from shared.outbox import enqueue
from shared.pii import encrypt, mask_name

#: The 2023 规定: from this day the 审查起诉 decision is due in 3日 (its own rule row says the same).
RULES_2023_FROM = _dt.date(2023, 12, 13)


class ReviewNotFound(NotFound):
    code = "custody_review_not_found"
    message_zh = "未找到该羁押必要性审查案件"
    message_en = "No such custody review"


class RegisterEntryNotFound(NotFound):
    code = "custody_register_entry_not_found"
    message_zh = "未找到该在押人员登记"
    message_en = "No such custody register entry"


class NotYourUnit(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "not_your_unit"
    message_zh = "该案件不由您所在单位办理，不能进行此操作"
    message_en = "This case is not your unit's to act on"


class WrongState(DomainError):
    kind = ErrorKind.CONFLICT
    code = "wrong_state"
    message_zh = "该案件当前状态不允许此操作"
    message_en = "The case's present state does not allow this action"


class NotAProcuratorateUnit(DomainError):
    code = "custody_review.unit"
    message_zh = "审查单位须为检察机关的单位"
    message_en = "The reviewing unit must be a procuratorate unit"


class ReviewingUnitRequired(DomainError):
    code = "custody_review.unit_required"
    message_zh = "请选择负责审查的捕诉部门"
    message_en = "Name the 捕诉 unit that reviews the application"


class DirectChangeOutsideProsecution(DomainError):
    kind = ErrorKind.CONFLICT
    code = "custody_review.direct_change_stage"
    message_zh = "仅审查起诉阶段可由本院直接变更强制措施；侦查、审判阶段应当提出建议"
    message_en = "Only in the prosecution stage does the procuratorate change the measure itself"


class RecommendationInProsecution(DomainError):
    kind = ErrorKind.CONFLICT
    code = "custody_review.recommendation_stage"
    message_zh = "审查起诉阶段由本院依法决定，不向其他机关提出建议"
    message_en = "In the prosecution stage the procuratorate decides itself; there is no organ to recommend to"


class MustGroundTicked(DomainError):
    kind = ErrorKind.CONFLICT
    code = "custody_review.must_ground"
    message_zh = "已勾选规则第五百七十九条应当建议的情形，不能决定继续羁押"
    message_en = "A must-recommend ground (art. 579) is ticked: custody cannot be continued"


class AlreadyExtended(DomainError):
    kind = ErrorKind.CONFLICT
    code = "custody_review.already_extended"
    message_zh = "审查期限已经延长过一次"
    message_en = "The review period was already extended"


class UnknownChecklistItem(DomainError):
    code = "custody_review.checklist_item"
    message_zh = "审查要素不在清单中"
    message_en = "No such checklist item"


class EvidenceRequired(DomainError):
    code = "custody_review.evidence_required"
    message_zh = "勾选的审查要素须写明证据"
    message_en = "A ticked item needs its evidence"


class NotSuspended(DomainError):
    kind = ErrorKind.CONFLICT
    code = "custody_review.not_suspended"
    message_zh = "审查期限未中止"
    message_en = "The review period is not suspended"


# --- reading ----------------------------------------------------------------------------------------

def sees(principal: Principal | None, review: CustodyReview) -> bool:
    """The reviewing unit and the units above it; the receiving unit (控申, another 院) sees what it registered."""
    return can_see(principal, review.unit_code) or can_see(principal, review.received_by_unit_code)


def get(session: Session, review_id: str, *, principal: Principal | None, for_update: bool = False) -> CustodyReview:
    """The review if the principal sees it (row-locked with ``for_update``); else 404 (existence not revealed)."""
    query = select(CustodyReview).where(CustodyReview.id == review_id[:36])
    review = session.scalar(query.with_for_update() if for_update else query)
    if review is None or not sees(principal, review):
        raise ReviewNotFound(review_id=review_id[:40])
    return review


def visible(query: Any, principal: Principal | None) -> Any:
    if principal is None or principal.visible_units is None:
        return query
    units = sorted(principal.visible_units)
    return query.where(or_(CustodyReview.unit_code.in_(units), CustodyReview.received_by_unit_code.in_(units)))


def measures_of(session: Session, review_id: str) -> list[CustodyMeasure]:
    return list(session.scalars(select(CustodyMeasure).where(CustodyMeasure.review_id == review_id)
                                .order_by(CustodyMeasure.position)))


def grounds_of(session: Session, review_id: str) -> dict[str, CustodyGround]:
    return {g.item_code: g for g in session.scalars(select(CustodyGround).where(CustodyGround.review_id == review_id))}


def documents_of(session: Session, review_id: str) -> list[CustodyDocument]:
    return list(session.scalars(select(CustodyDocument).where(CustodyDocument.review_id == review_id)
                                .order_by(CustodyDocument.created_at, CustodyDocument.id)))


def correction_of(session: Session, review_id: str) -> CustodyCorrection | None:
    return session.scalar(select(CustodyCorrection).where(CustodyCorrection.review_id == review_id))


def clocks_of(session: Session, review_id: str) -> list[Deadline]:
    return list(session.scalars(select(Deadline).where(Deadline.subject == review_id)
                                .order_by(Deadline.start_on, Deadline.created_at)))


# --- events and audit ---------------------------------------------------------------------------------

def payload(review: CustodyReview, **extra: Any) -> dict[str, Any]:
    """What every custody_review.* event says (no personal data: the person masked)."""
    return {
        "subject_id": review.id, "case_number": review.case_number, "unit_code": review.unit_code,
        "received_by_unit_code": review.received_by_unit_code, "state": review.state, "trigger": review.trigger,
        "trigger_rule": review.trigger_rule, "stage": review.stage,
        "criminal_case_number": review.criminal_case_number,
        "person_masked": mask_name(review.person_name) or "", "due_on": review.due_on, **extra,
    }


def snapshot(review: CustodyReview) -> dict[str, Any]:
    return {"state": review.state, "stage": review.stage, "decision": review.decision, "reply": review.reply,
            "due_on": review.due_on, "unit_code": review.unit_code}


def _emit(session: Session, event_type: str, review: CustodyReview, actor: Actor, **extra: Any) -> None:
    enqueue(session, new_event(event_type, subject=review.id, source="review", actor=actor.name,
                               trace_id=actor.trace_id, data=payload(review, **extra)))


def _audit(session: Session, action: str, review: CustodyReview, actor: Actor, before: Mapping[str, Any] | None,
           **after: Any) -> None:
    record(session, action=action, subject_type="custody_review", subject_id=review.id, before=before,
           after={**snapshot(review), **after}, detail={"case_number": review.case_number}, **actor.fields())


# --- opening ----------------------------------------------------------------------------------------------

def _require_procuratorate_unit(session: Session, unit_code: str) -> None:
    unit = session.get(UnitRow, unit_code)
    if unit is None or not unit_code.startswith("NY-JCY") or unit.kind == "task_force":
        raise NotAProcuratorateUnit(unit_code=unit_code)


def _require_acts_for(actor: Actor, unit_code: str) -> Principal:
    principal = actor.principal
    if principal is None or principal.unit_code != unit_code:
        raise NotYourUnit(unit_code=unit_code)
    return principal


def _require_state(review: CustodyReview, *allowed: str) -> None:
    if review.state not in allowed:
        raise WrongState(state=review.state, allowed=list(allowed))


def _fill(review: CustodyReview, data: Mapping[str, Any]) -> None:
    for name in ("person_name", "id_number", "criminal_case_number", "charge", "stage", "handling_organ",
                 "enterprise_role", "enterprise_name", "enterprise_credit_code", "employees", "production_stopped",
                 "contracts_at_risk", "contracts_amount", "impact_text", "applicant_kind", "applicant_name",
                 "applicant_email", "applicant_phone", "reasons", "evidence"):
        if name in data:
            setattr(review, name, data[name])


def _add_measures(session: Session, review: CustodyReview, measures: Sequence[Mapping[str, Any]]) -> None:
    for n, m in enumerate(measures, start=1):
        session.add(CustodyMeasure(review_id=review.id, position=n, kind=m["kind"], started_on=m["started_on"],
                                   ends_on=m.get("ends_on"), basis=m.get("basis")))


def _new(session: Session, *, unit_code: str, received_by: str, received_on: _dt.date, trigger: str,
         state: str, opened_by: str) -> CustodyReview:
    organ_code, serial, number = document.review_number(session, unit_code=unit_code, year=received_on.year)
    return CustodyReview(case_number=number, organ_code=organ_code, year=received_on.year, serial=serial,
                         unit_code=unit_code, received_by_unit_code=received_by, received_on=received_on,
                         trigger=trigger, state=state, opened_by=opened_by)


def open_review(session: Session, *, data: Mapping[str, Any], actor: Actor,
                now: _dt.datetime | None = None) -> CustodyReview:
    """Open a review on application, ex officio or on the 看守所's suggestion (``data["trigger"]``).

    An application may be registered by 控申 or 案管 (or another 检察院) for the 捕诉 unit ``data["unit_code"]``:
    it waits in ``received`` on the routing clock until 捕诉 receives it.  Registered by 捕诉 itself (and every
    ex officio or 看守所 review, which only 捕诉 opens) it starts at the 初审 (ex officio: 立案 at once).
    """
    principal = actor.principal
    if principal is None:
        raise RuntimeError("opening a review needs a signed-in member of staff")
    trigger = data["trigger"]
    unit_code = data.get("unit_code") or principal.unit_code
    if unit_code == principal.unit_code and not principal.has_role("prosecutor"):
        # 控申, 案管 or a leader registers it for 捕诉: which 捕诉 unit must be said.
        raise ReviewingUnitRequired(unit_code=unit_code)
    _require_procuratorate_unit(session, unit_code)
    today = beijing_date(now or clock.utcnow())
    received_on = data.get("received_on") or today
    if trigger != APPLICATION:
        # Only an application travels (控申, 案管, another 院 register it); the reviewing unit's own
        # prosecutors open the rest.
        if not principal.has_role("prosecutor"):
            raise NotYourUnit(unit_code=unit_code)
        _require_acts_for(actor, unit_code)
    _require_procuratorate_unit(session, principal.unit_code)
    at_bucheng = principal.unit_code == unit_code
    state = (RECEIVED if not at_bucheng else REVIEWING if trigger == EX_OFFICIO else INITIAL_REVIEW)
    review = _new(session, unit_code=unit_code, received_by=principal.unit_code, received_on=received_on,
                  trigger=trigger, state=state, opened_by=actor.name)
    _fill(review, data)
    session.add(review)
    session.flush()
    _add_measures(session, review, data.get("measures", ()))
    if state == RECEIVED:
        same_organ = organ_of(session, principal.unit_code).code == organ_of(session, unit_code).code
        rule = RULE_ROUTING if same_organ else RULE_FORWARDING
        deadline = attach(session, subject=review.id, rule_code=rule, start_on=received_on,
                          unit_code=principal.unit_code, case_number=review.case_number, actor=actor.name)
        review.routing_deadline_id = deadline.id
    else:
        review.reached_on = received_on
        if state == INITIAL_REVIEW:
            _start_initial(session, review, start_on=received_on, actor=actor.name)
        else:
            _file(session, review, on=received_on, actor=actor.name)
    refresh_due(session, review)
    _audit(session, "custody_review.open", review, actor, None, trigger=trigger, case=review.criminal_case_number)
    _emit(session, "custody_review.opened", review, actor, received_on=received_on,
          trigger_basis=review.trigger_basis, trigger_detail=None)
    return review


def open_mandatory(session: Session, *, entry: CustodyRegisterEntry, due: triggers.Due, today: _dt.date,
                   actor: Actor | None = None) -> CustodyReview | None:
    """The job: open the review a trigger of ``entry`` calls for, once (the trigger row's unique key).

    Returns None when the trigger already opened one (another scheduler, or an earlier day).
    """
    who = actor or Actor.system()
    exists = session.scalar(select(CustodyTrigger.id).where(
        CustodyTrigger.register_id == entry.id, CustodyTrigger.kind == due.rule.kind, CustodyTrigger.key == due.key))
    if exists is not None:
        return None
    review = _new(session, unit_code=entry.unit_code, received_by=entry.unit_code, received_on=today,
                  trigger=MANDATORY, state=REVIEWING, opened_by=who.name)
    review.trigger_rule, review.trigger_basis, review.trigger_detail = due.rule.code, due.rule.basis, due.detail
    review.register_id = entry.id
    for name in ("person_name", "id_number", "criminal_case_number", "charge", "stage", "handling_organ",
                 "enterprise_role", "enterprise_name", "enterprise_credit_code"):
        setattr(review, name, getattr(entry, name))
    review.reached_on = today
    session.add(review)
    session.flush()
    if entry.arrested_on is not None:
        _add_measures(session, review, [{"kind": "arrest", "started_on": entry.arrested_on}])
    session.add(CustodyTrigger(register_id=entry.id, kind=due.rule.kind, key=due.key, rule_code=due.rule.code,
                               arose_on=due.arose_on, review_id=review.id, opened_on=today))
    _file(session, review, on=today, actor=who.name)
    refresh_due(session, review)
    _audit(session, "custody_review.open", review, who, None, trigger=MANDATORY, rule=due.rule.code, key=due.key)
    _emit(session, "custody_review.opened", review, who, received_on=today, trigger_basis=due.rule.basis,
          trigger_detail=due.detail)
    return review


# --- routing and the 初审 -------------------------------------------------------------------------------------

def _start_initial(session: Session, review: CustodyReview, *, start_on: _dt.date, actor: str) -> None:
    deadline = attach(session, subject=review.id, rule_code=RULE_INITIAL, start_on=start_on,
                      unit_code=review.unit_code, case_number=review.case_number, actor=actor)
    review.initial_deadline_id = deadline.id


def decision_rule(stage: str, filed_on: _dt.date) -> str:
    """审查起诉 under the 2023 规定: its own 3日 rule; otherwise custody_review.decision (2016 or 2023 row)."""
    return RULE_DECISION_PROSECUTION if stage == PROSECUTION and filed_on >= RULES_2023_FROM else RULE_DECISION


def _file(session: Session, review: CustodyReview, *, on: _dt.date, actor: str) -> None:
    review.state, review.filed_on = REVIEWING, on
    deadline = attach(session, subject=review.id, rule_code=decision_rule(review.stage, on), start_on=on,
                      unit_code=review.unit_code, case_number=review.case_number, actor=actor)
    review.decision_deadline_id = deadline.id


def _meet(session: Session, deadline_id: str | None, *, on: _dt.date, at: _dt.datetime, actor: str,
          note: str) -> None:
    if deadline_id is None:
        return
    deadline = session.get(Deadline, deadline_id)
    if deadline is not None and deadline.status == OPEN:
        # A system act of the review's own clock: the step itself performs the duty as of its day.
        closing.meet(session, deadline_id=deadline_id, met_at=at, met_on=on, actor=actor, principal=None, note=note)


def receive(session: Session, *, review_id: str, actor: Actor, now: _dt.datetime | None = None) -> CustodyReview:
    """捕诉 receives an application 控申/案管 or another 院 registered: the routing clock is met, the 初审 starts."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, RECEIVED)
    at = now or clock.utcnow()
    today = beijing_date(at)
    before = snapshot(review)
    _meet(session, review.routing_deadline_id, on=today, at=at, actor=actor.name, note="捕诉部门已接收")
    review.state, review.reached_on = INITIAL_REVIEW, today
    _start_initial(session, review, start_on=today, actor=actor.name)
    refresh_due(session, review)
    routing = session.get(Deadline, review.routing_deadline_id) if review.routing_deadline_id else None
    on_time = routing.met_on_time if routing is not None else True
    _audit(session, "custody_review.receive", review, actor, before, reached_on=today)
    _emit(session, "custody_review.received", review, actor, reached_on=today, on_time=bool(on_time))
    return review


def file(session: Session, *, review_id: str, actor: Actor, now: _dt.datetime | None = None) -> CustodyReview:
    """初审: 立案 — the decision's clock starts today."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, INITIAL_REVIEW)
    at = now or clock.utcnow()
    today = beijing_date(at)
    before = snapshot(review)
    _meet(session, review.initial_deadline_id, on=today, at=at, actor=actor.name, note="初审决定立案")
    _file(session, review, on=today, actor=actor.name)
    refresh_due(session, review)
    _audit(session, "custody_review.file", review, actor, before, filed_on=today)
    _emit(session, "custody_review.filed", review, actor, filed_on=today)
    return review


def decline(session: Session, *, review_id: str, reasons: str, actor: Actor,
            now: _dt.datetime | None = None) -> CustodyReview:
    """初审: 不予立案, with reasons; the applicant is told in writing (规则 582)."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, INITIAL_REVIEW)
    at = now or clock.utcnow()
    today = beijing_date(at)
    before = snapshot(review)
    _meet(session, review.initial_deadline_id, on=today, at=at, actor=actor.name, note="初审决定不予立案")
    review.state, review.not_filed_reasons, review.closed_on = CLOSED, reasons, today
    refresh_due(session, review)
    notice = _notify_applicant(session, review, actor=actor, on=today, at=at)
    _audit(session, "custody_review.decline", review, actor, before, reasons=reasons,
           notice=notice.document_number if notice else None)
    _emit(session, "custody_review.not_filed", review, actor, reasons=reasons,
          notice_number=notice.document_number if notice else None)
    return review


# --- the checklist ---------------------------------------------------------------------------------------------

def set_grounds(session: Session, *, review_id: str, ticks: Sequence[Mapping[str, Any]], actor: Actor,
                now: _dt.datetime | None = None) -> dict[str, CustodyGround]:
    """Tick or untick checklist items (规则 578 factors, 579 must, 580 may); a ticked item needs its evidence."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, *EXAMINING)
    known = checklist.by_code()
    at = now or clock.utcnow()
    current = grounds_of(session, review.id)
    changed = []
    for tick in ticks:
        code = tick["code"]
        if code not in known:
            raise UnknownChecklistItem(code=code)
        evidence = (tick.get("evidence") or "").strip() or None
        if tick["ticked"] and evidence is None:
            raise EvidenceRequired(code=code)
        row = current.get(code)
        if row is None:
            row = CustodyGround(review_id=review.id, item_code=code, ticked=False, updated_by=actor.name,
                                updated_at=at)
            session.add(row)
            current[code] = row
        row.ticked, row.evidence, row.updated_by, row.updated_at = bool(tick["ticked"]), evidence, actor.name, at
        changed.append({"code": code, "ticked": row.ticked})
    session.flush()
    ticked = sorted(c for c, g in current.items() if g.ticked)
    _audit(session, "custody_review.grounds", review, actor, None, changed=changed)
    _emit(session, "custody_review.grounds_updated", review, actor, ticked=ticked)
    return current


# --- the decision's clock: extension and suspension --------------------------------------------------------------

def _decision_deadline(session: Session, review: CustodyReview) -> Deadline:
    _require_state(review, REVIEWING)
    deadline = session.get(Deadline, review.decision_deadline_id) if review.decision_deadline_id else None
    if deadline is None or deadline.status != OPEN:
        raise WrongState(state=review.state, allowed=[REVIEWING])
    return deadline


def extend(session: Session, *, review_id: str, approved_by: str, reasons: str, actor: Actor,
           now: _dt.datetime | None = None) -> DeadlineExtension:
    """情况复杂: extend the decision's clock by the rule's period (2016: 5 working days), with the approver
    (检察长 or 分管副检察长) recorded; once per review."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    deadline = _decision_deadline(session, review)
    if session.scalar(select(DeadlineExtension.id).where(DeadlineExtension.deadline_id == deadline.id)):
        raise AlreadyExtended(review_id=review.id)
    rule = rule_in_force(session, code=RULE_EXTENSION, on=deadline.start_on)
    before = snapshot(review)
    extension = extensions.extend(session, deadline_id=deadline.id, amount=rule.amount, unit=Unit(rule.unit),
                                  basis=f"{rule.basis}；{reasons}", approved_by=approved_by, actor=actor)
    refresh_due(session, review)
    _audit(session, "custody_review.extend", review, actor, before, approved_by=approved_by, reasons=reasons,
           period=f"{rule.amount} {rule.unit}")
    _emit(session, "custody_review.extended", review, actor, approved_by=approved_by, amount=rule.amount,
          unit=rule.unit)
    return extension


def suspend(session: Session, *, review_id: str, start_on: _dt.date, basis: str, actor: Actor) -> CustodyReview:
    """鉴定 (technical medical assessment): its time is not counted (2016 规定); the clock pauses from ``start_on``."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    deadline = _decision_deadline(session, review)
    before = snapshot(review)
    suspension = suspensions.suspend(session, deadline_id=deadline.id, reason="appraisal", basis=basis,
                                     start_on=start_on, actor=actor)
    refresh_due(session, review)
    _audit(session, "custody_review.suspend", review, actor, before, start_on=start_on, basis=basis)
    _emit(session, "custody_review.suspended", review, actor, start_on=start_on, suspension_id=suspension.id)
    return review


def resume(session: Session, *, review_id: str, resumed_on: _dt.date, actor: Actor) -> CustodyReview:
    """The assessment is done: the clock counts again from ``resumed_on``."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    deadline = _decision_deadline(session, review)
    from services.review.deadlines.queries import suspensions as suspensions_of

    running = [s for s in suspensions_of(session, deadline.id) if s.resumed_on is None]
    if not running:
        raise NotSuspended(review_id=review.id)
    before = snapshot(review)
    suspensions.lift(session, deadline_id=deadline.id, suspension_id=running[0].id, resumed_on=resumed_on,
                     actor=actor)
    refresh_due(session, review)
    _audit(session, "custody_review.resume", review, actor, before, resumed_on=resumed_on)
    _emit(session, "custody_review.resumed", review, actor, resumed_on=resumed_on)
    return review


# --- the decision ----------------------------------------------------------------------------------------------

def decide(session: Session, *, review_id: str, decision: str, reasons: str, actor: Actor,
           basis: str | None = None, now: _dt.datetime | None = None) -> CustodyReview:
    """审查终结: the decision with its legal basis; a 建议 issues the 建议书 and waits for the reply (10日).

    :raise DirectChangeOutsideProsecution: 直接变更 outside 审查起诉 (409).
    :raise RecommendationInProsecution: a 建议 in 审查起诉, where the 检察院 decides itself (409).
    :raise MustGroundTicked: 继续羁押 while a 579 ground is ticked (409).
    """
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, REVIEWING)
    if decision == DIRECT_CHANGE and review.stage != PROSECUTION:
        raise DirectChangeOutsideProsecution(stage=review.stage)
    if decision in RECOMMENDATIONS and review.stage == PROSECUTION:
        raise RecommendationInProsecution(stage=review.stage)
    if decision == CONTINUE:
        must = {i.code for i in checklist.items() if i.group == "must"}
        if any(g.ticked and code in must for code, g in grounds_of(session, review.id).items()):
            raise MustGroundTicked(review_id=review.id)
    at = now or clock.utcnow()
    today = beijing_date(at)
    before = snapshot(review)
    _meet(session, review.decision_deadline_id, on=today, at=at, actor=actor.name,
          note=f"审查终结：{OUTCOME_TEXT[decision]}")
    review.decision, review.decision_reasons, review.decided_on, review.decided_by = decision, reasons, today, actor.name
    review.decision_basis = basis or DECISION_BASIS[decision]
    recommendation = None
    if decision in RECOMMENDATIONS:
        recommendation = document.issue(session, review, kind=RECOMMENDATION_DOC, addressee=review.handling_organ,
                                        paragraphs=document.fill(RECOMMENDATION_DOC, review), issued_on=today,
                                        actor=actor.name, at=at).row
        deadline = attach(session, subject=review.id, rule_code=RULE_REPLY, start_on=today,
                          unit_code=review.unit_code, case_number=review.case_number, actor=actor.name)
        review.reply_deadline_id, review.state = deadline.id, AWAITING_REPLY
    else:
        review.state, review.closed_on = CLOSED, today
    refresh_due(session, review)
    notice = _notify_applicant(session, review, actor=actor, on=today, at=at)
    _audit(session, "custody_review.decide", review, actor, before, reasons=reasons, basis=review.decision_basis,
           recommendation=recommendation.document_number if recommendation else None,
           notice=notice.document_number if notice else None)
    _emit(session, "custody_review.decided", review, actor, decision=decision, basis=review.decision_basis,
          decided_on=today, recommendation_number=recommendation.document_number if recommendation else None,
          notice_number=notice.document_number if notice else None)
    return review


def _notify_applicant(session: Session, review: CustodyReview, *, actor: Actor, on: _dt.date,
                      at: _dt.datetime) -> CustodyDocument | None:
    """规则 第五百八十二条: an applied-for review's outcome, in writing, to the applicant (a mandatory notice)."""
    if review.trigger != APPLICATION or not review.applicant_name:
        return None
    issued = document.issue(session, review, kind=NOTICE_DOC, addressee=review.applicant_name,
                            paragraphs=document.fill(NOTICE_DOC, review), issued_on=on, actor=actor.name, at=at)
    row = issued.row
    title = f"{DOCUMENT_TITLE[NOTICE_DOC]}（{row.document_number}）"
    body = "\n".join(row.content["paragraphs"])
    enqueue(session, new_event("public_notice.requested", subject=review.id, source="review", actor=actor.name,
                               trace_id=actor.trace_id, data={
        "notice_id": str(uuid.uuid4()), "notice_kind": "custody_review.outcome", "subject_id": review.id,
        "case_number": review.case_number, "unit_code": review.unit_code, "mandatory": True,
        "recipient_name": mask_name(review.applicant_name) or "",
        "recipient_email_enc": encrypt(review.applicant_email, purpose="public_notice.email")
        if review.applicant_email else None,
        "recipient_phone_enc": encrypt(review.applicant_phone, purpose="public_notice.phone")
        if review.applicant_phone else None,
        "title": title[:200], "body": body[:4000], "document_name": f"{row.document_number}.pdf",
        "document_sha256": row.pdf_sha256, "document_b64": base64.b64encode(issued.pdf).decode("ascii"),
    }))
    return row


# --- the other organ's reply and 纠正意见 -----------------------------------------------------------------------

def record_reply(session: Session, *, review_id: str, reply: str, text: str, reply_on: _dt.date, actor: Actor,
                 now: _dt.datetime | None = None) -> CustodyReview:
    """The other organ's reply to the 建议: accepted closes the review; refused opens a 纠正意见."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, AWAITING_REPLY)
    at = now or clock.utcnow()
    before = snapshot(review)
    _meet(session, review.reply_deadline_id, on=reply_on, at=at, actor=actor.name,
          note=f"有关机关回复：{'采纳' if reply == REPLY_ACCEPTED else '不予采纳'}")
    review.reply, review.reply_on, review.reply_text = reply, reply_on, text
    correction = None
    if reply == REPLY_ACCEPTED:
        review.state, review.closed_on = CLOSED, beijing_date(at)
    else:
        correction = _open_correction(session, review, reason=REPLY_REFUSED, today=beijing_date(at), actor=actor)
    refresh_due(session, review)
    _audit(session, "custody_review.reply", review, actor, before, reply=reply, reply_on=reply_on, text=text)
    _emit(session, "custody_review.reply_recorded", review, actor, reply=reply, reply_on=reply_on)
    if correction is not None:
        _emit(session, "custody_review.correction_opened", review, actor, reason=correction.reason,
              correction_id=correction.id, correction_due_on=_due(session, correction.deadline_id))
    return review


def _due(session: Session, deadline_id: str | None) -> _dt.date | None:
    deadline = session.get(Deadline, deadline_id) if deadline_id else None
    return deadline.due_on if deadline is not None else None


def _open_correction(session: Session, review: CustodyReview, *, reason: str, today: _dt.date,
                     actor: Actor) -> CustodyCorrection:
    correction = CustodyCorrection(review_id=review.id, reason=reason, opened_on=today, created_at=clock.utcnow())
    session.add(correction)
    session.flush()
    deadline = attach(session, subject=review.id, rule_code=RULE_CORRECTION, start_on=today,
                      unit_code=review.unit_code, case_number=review.case_number, actor=actor.name)
    correction.deadline_id = deadline.id
    review.state = CORRECTION
    return correction


def open_correction(session: Session, *, review: CustodyReview, today: _dt.date) -> CustodyCorrection | None:
    """The job: the reply clock ran out with no reply — a 纠正意见 item (once per review)."""
    if review.state != AWAITING_REPLY or correction_of(session, review.id) is not None:
        return None
    actor = Actor.system()
    before = snapshot(review)
    correction = _open_correction(session, review, reason=NO_REPLY, today=today, actor=actor)
    refresh_due(session, review)
    _audit(session, "custody_review.correction_open", review, actor, before, reason=NO_REPLY)
    _emit(session, "custody_review.correction_opened", review, actor, reason=NO_REPLY, correction_id=correction.id,
          correction_due_on=_due(session, correction.deadline_id))
    return correction


def issue_correction(session: Session, *, review_id: str, text: str, actor: Actor,
                     now: _dt.datetime | None = None) -> CustodyDocument:
    """提出纠正意见 (规则 581): the 纠正意见书 to the other organ; its clock is met and the review closes."""
    review = get(session, review_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, review.unit_code)
    _require_state(review, CORRECTION)
    correction = correction_of(session, review.id)
    assert correction is not None  # CORRECTION always has its item
    at = now or clock.utcnow()
    today = beijing_date(at)
    before = snapshot(review)
    issued = document.issue(session, review, kind=CORRECTION_DOC, addressee=review.handling_organ,
                            paragraphs=document.correction_paragraphs(review, reason=correction.reason, text=text),
                            issued_on=today, actor=actor.name, at=at)
    _meet(session, correction.deadline_id, on=today, at=at, actor=actor.name, note="已提出纠正意见")
    # A reply that never came: its clock closes (late) with the 纠正意见.
    _meet(session, review.reply_deadline_id, on=today, at=at, actor=actor.name, note="逾期未回复，已提出纠正意见")
    correction.issued_on, correction.text, correction.issued_by = today, text, actor.name
    review.state, review.closed_on = CLOSED, today
    refresh_due(session, review)
    _audit(session, "custody_review.correction_issue", review, actor, before, text=text,
           document=issued.row.document_number)
    _emit(session, "custody_review.correction_issued", review, actor, reason=correction.reason,
          correction_id=correction.id, document_number=issued.row.document_number, issued_on=today)
    return issued.row


def reply_due_soon(session: Session, *, review: CustodyReview, today: _dt.date) -> bool:
    """The job: the reply clock's warning day came — tell the unit's prosecutors once."""
    deadline = session.get(Deadline, review.reply_deadline_id) if review.reply_deadline_id else None
    if (review.state != AWAITING_REPLY or review.reply_due_notified or deadline is None or deadline.status != OPEN
            or deadline.warn_on is None or deadline.warn_on > today):
        return False
    review.reply_due_notified = True
    actor = Actor.system()
    _audit(session, "custody_review.reply_due", review, actor, None, reply_due_on=deadline.due_on)
    _emit(session, "custody_review.reply_due", review, actor, reply_due_on=deadline.due_on)
    return True


# --- the custody register -----------------------------------------------------------------------------------------

REGISTER_FIELDS = ("unit_code", "person_name", "id_number", "criminal_case_number", "charge", "handling_organ",
                   "stage", "stage_entered_on", "arrested_on", "likely_sentence_months", "likely_short_sentence",
                   "returned_from_supplementary_on", "first_instance_started_on", "second_instance_started_on",
                   "judged_on", "special_situations", "enterprise_role", "enterprise_name", "enterprise_credit_code",
                   "released_on")


def register_snapshot(entry: CustodyRegisterEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in REGISTER_FIELDS if name != "id_number"}


def get_entry(session: Session, entry_id: str, *, principal: Principal | None,
              for_update: bool = False) -> CustodyRegisterEntry:
    query = select(CustodyRegisterEntry).where(CustodyRegisterEntry.id == entry_id[:36])
    entry = session.scalar(query.with_for_update() if for_update else query)
    if entry is None or not can_see(principal, entry.unit_code):
        raise RegisterEntryNotFound(entry_id=entry_id[:40])
    return entry


def _entry_payload(entry: CustodyRegisterEntry) -> dict[str, Any]:
    return {"subject_id": entry.id, "case_number": entry.criminal_case_number, "unit_code": entry.unit_code,
            "stage": entry.stage, "stage_entered_on": entry.stage_entered_on,
            "person_masked": mask_name(entry.person_name) or "", "in_custody": entry.released_on is None}


def enter(session: Session, *, data: Mapping[str, Any], actor: Actor) -> CustodyRegisterEntry:
    """Enter a person in custody in the register (the reviewing unit's prosecutors)."""
    unit_code = data.get("unit_code") or (actor.principal.unit_code if actor.principal else "")
    _require_procuratorate_unit(session, unit_code)
    _require_acts_for(actor, unit_code)
    entry = CustodyRegisterEntry(created_by=actor.name)
    for name in REGISTER_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    entry.unit_code = unit_code
    entry.special_situations = list(data.get("special_situations") or [])
    session.add(entry)
    session.flush()
    record(session, action="custody_register.enter", subject_type="custody_register", subject_id=entry.id,
           after=register_snapshot(entry), **actor.fields())
    enqueue(session, new_event("custody_review.register_entered", subject=entry.id, source="review",
                               actor=actor.name, trace_id=actor.trace_id, data=_entry_payload(entry)))
    return entry


def update_entry(session: Session, *, entry_id: str, data: Mapping[str, Any], actor: Actor) -> CustodyRegisterEntry:
    """Change a register entry (a new stage, back from 补侦, a trial started, released)."""
    entry = get_entry(session, entry_id, principal=actor.principal, for_update=True)
    _require_acts_for(actor, entry.unit_code)
    before = register_snapshot(entry)
    for name in REGISTER_FIELDS:
        if name in data and name != "unit_code":
            setattr(entry, name, list(data[name] or []) if name == "special_situations" else data[name])
    session.flush()
    record(session, action="custody_register.update", subject_type="custody_register", subject_id=entry.id,
           before=before, after=register_snapshot(entry), **actor.fields())
    enqueue(session, new_event("custody_review.register_updated", subject=entry.id, source="review",
                               actor=actor.name, trace_id=actor.trace_id, data=_entry_payload(entry)))
    return entry


def stage_text(stage: str) -> str:
    return STAGE_TEXT.get(stage, stage)


