"""诉讼费 缓交/减交/免交 (司法救助) applications and their decisions, by 诉讼费用交纳办法 arts. 44–51.

The rules, each a refusal with its code:

* art. 44 ¶2: 免交 is for natural persons only — an enterprise's 免交 application is refused at
  input (`fee_relief.exemption_natural_persons_only`);
* arts. 45–47: an application cites the situation of its kind's article (`basis.SITUATIONS`;
  `fee_relief.situation_not_for_kind`);
* art. 46 ¶2: a granted 减交 is at least 30% (`fee_relief.reduction_below_minimum`);
* art. 48: the application comes at 起诉 or 上诉 (the `stage`) with its 证明材料 (`proof`), and a
  refusal states written reasons (`fee_relief.refusal_needs_reasons`);
* art. 49: a 缓交 is decided before 立案: no 缓交 is applied for or decided on a filed case
  (`fee_relief.deferral_after_filing`), and 立案 waits for a pending one (service.record_filing);
* art. 51: a granted 减交/免交 is stated in the 法律文书 — outside this system; the decision's
  event carries what the document must state.

A decision is made once (409 `fee_relief.already_decided`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.intake.court_cases import basis
from services.intake.court_cases.models import NATURAL, CourtCase, FeeReliefApplication
from services.intake.court_cases.service import (
    CourtCaseNotFound,
    DateInFuture,
    emit,
    get_or_raise,
    party_summary_for_event,
)
from shared.actor import Actor
from shared.audit.service import record
from shared.calendar.clock import beijing_date, beijing_today
from shared.db.base import utcnow
from shared.errors import Conflict, DomainError


class ExemptionNaturalPersonsOnly(DomainError):
    code = "fee_relief.exemption_natural_persons_only"
    message_zh = "诉讼费用的免交只适用于自然人（诉讼费用交纳办法第四十四条第二款）"
    message_en = "免交 (exemption) is for natural persons only (art. 44 ¶2)"


class SituationNotForKind(DomainError):
    code = "fee_relief.situation_not_for_kind"
    message_zh = "所引情形不属于该类司法救助（免交：第四十五条；减交：第四十六条；缓交：第四十七条）"
    message_en = "The situation cited is not one of the kind's article (免交 art. 45, 减交 art. 46, 缓交 art. 47)"


class ReductionBelowMinimum(DomainError):
    code = "fee_relief.reduction_below_minimum"
    message_zh = f"准予减交的，减交比例不得低于{basis.MINIMUM_REDUCTION_PERCENT}%（诉讼费用交纳办法第四十六条第二款）"
    message_en = f"A granted 减交 is at least {basis.MINIMUM_REDUCTION_PERCENT}% (art. 46 ¶2)"


class PercentOnlyForReduction(DomainError):
    code = "fee_relief.percent_only_for_reduction"
    message_zh = "只有减交需要写明比例"
    message_en = "Only a 减交 (reduction) has a percentage"


class DeferralAfterFiling(DomainError):
    code = "fee_relief.deferral_after_filing"
    message_zh = "准予缓交的决定应当在决定立案之前作出；该案已立案（诉讼费用交纳办法第四十九条）"
    message_en = "A 缓交 is decided before 立案 (art. 49), and this case is filed"


class RefusalNeedsReasons(DomainError):
    code = "fee_relief.refusal_needs_reasons"
    message_zh = "对司法救助申请不予批准的，应当向当事人书面说明理由（诉讼费用交纳办法第四十八条第三款）"
    message_en = "A refusal needs written reasons for the party (art. 48 ¶3)"


class DecidedBeforeApplication(DomainError):
    code = "fee_relief.decided_before_application"
    message_zh = "决定日期不能早于申请日期"
    message_en = "The decision date is before the application date"


class AlreadyDecided(Conflict):
    code = "fee_relief.already_decided"
    message_zh = "该申请已作出决定"
    message_en = "This application has already been decided"


class AlreadyPending(Conflict):
    code = "fee_relief.already_pending"
    message_zh = "该当事人同类申请尚未决定"
    message_en = "This party already has an undecided application of this kind"


class UnknownParty(DomainError):
    code = "fee_relief.unknown_party"
    message_zh = "申请人不是本案当事人"
    message_en = "The applicant is not a party of this case"


def _application_event(application: FeeReliefApplication) -> dict[str, Any]:
    situation = basis.BY_CODE[application.situation_code]
    return {
        "application_id": application.id, "kind": application.kind, "situation_code": situation.code,
        "article": situation.article, "stage": application.stage, "applied_on": application.applied_on,
        "requested_percent": application.requested_percent,
        "applicant": party_summary_for_event(application.party),
    }


def apply(
    session: Session, *, court_case_id: str, application_in: dict[str, Any], actor: Actor, today: date | None = None,
) -> FeeReliefApplication:
    """Record a party's 缓交/减交/免交 application, refused at input where the 办法 excludes it.

    :raise CourtCaseNotFound: no such case, or one the actor may not see.
    """
    court_case = get_or_raise(session, court_case_id, principal=actor.principal)
    today = today or beijing_today()
    kind: str = application_in["kind"]
    party = next((p for p in court_case.parties if p.id == application_in["party_id"]), None)
    if party is None:
        raise UnknownParty(party_id=["not a party of this case"])
    situation = basis.BY_CODE.get(application_in["situation_code"])
    if situation is None or situation.kind != kind:
        allowed = [s.code for s in basis.situations_of(kind)]
        raise SituationNotForKind(situation_code=[f"one of {', '.join(allowed)}"])
    if kind == basis.EXEMPTION and party.kind != NATURAL:
        raise ExemptionNaturalPersonsOnly(party_id=["免交: natural persons only"])
    if kind == basis.DEFERRAL and court_case.filed_on is not None:
        raise DeferralAfterFiling(kind=["the case is filed"])
    requested = application_in.get("requested_percent")
    if requested is not None and kind != basis.REDUCTION:
        raise PercentOnlyForReduction(requested_percent=["only for 减交"])
    applied_on: date = application_in.get("applied_on") or today
    if applied_on > today:
        raise DateInFuture(applied_on=["not after today (Beijing time)"])
    if any(a.party_id == party.id and a.kind == kind and not a.decided for a in court_case.fee_relief_applications):
        raise AlreadyPending()
    application = FeeReliefApplication(
        party_id=party.id, kind=kind, situation_code=situation.code, proof=application_in["proof"],
        stage=application_in["stage"], applied_on=applied_on, requested_percent=requested, recorded_by=actor.name,
    )
    application.party = party
    court_case.fee_relief_applications.append(application)
    session.flush()
    record(session, action="court_case.fee_relief_apply", subject_type="court_case", subject_id=court_case.id,
           after=_audit_view(application), **actor.fields())
    emit(session, court_case, "court_case.fee_relief_applied", actor, **_application_event(application))
    return application


def decide(
    session: Session, *, court_case_id: str, application_id: str, decision_in: dict[str, Any], actor: Actor,
    now: datetime | None = None,
) -> tuple[CourtCase, FeeReliefApplication]:
    """Grant or refuse an application, once, within arts. 46, 48 and 49.

    :raise CourtCaseNotFound: no such case or application, or a case the actor may not see.
    """
    court_case = get_or_raise(session, court_case_id, principal=actor.principal)
    application = next((a for a in court_case.fee_relief_applications if a.id == application_id), None)
    if application is None:
        raise CourtCaseNotFound()
    if application.decided:
        raise AlreadyDecided()
    now = now or utcnow()
    today = beijing_date(now)
    granted = bool(decision_in["granted"])
    reasons = (decision_in.get("reasons") or "").strip() or None
    percent = decision_in.get("granted_percent")
    if not granted and reasons is None:
        raise RefusalNeedsReasons(reasons=["required when refused"])
    if application.kind == basis.DEFERRAL and court_case.filed_on is not None:
        raise DeferralAfterFiling()
    if percent is not None and (application.kind != basis.REDUCTION or not granted):
        raise PercentOnlyForReduction(granted_percent=["only for a granted 减交"])
    if granted and application.kind == basis.REDUCTION and (percent is None or percent < basis.MINIMUM_REDUCTION_PERCENT):
        raise ReductionBelowMinimum(granted_percent=[f"at least {basis.MINIMUM_REDUCTION_PERCENT}"])
    decided_on: date = decision_in.get("decided_on") or today
    if decided_on > today:
        raise DateInFuture(decided_on=["not after today (Beijing time)"])
    if decided_on < application.applied_on:
        raise DecidedBeforeApplication(decided_on=[f"not before {application.applied_on.isoformat()}"])
    before = _audit_view(application)
    application.granted, application.granted_percent, application.reasons = granted, percent, reasons
    application.decided_by, application.decided_at, application.decided_on = actor.name, now, decided_on
    session.flush()
    record(session, action="court_case.fee_relief_decide", subject_type="court_case", subject_id=court_case.id,
           before=before, after=_audit_view(application), **actor.fields())
    emit(session, court_case, "court_case.fee_relief_decided", actor, **_application_event(application),
         granted=granted, granted_percent=percent, decided_on=decided_on,
         # art. 51: a granted 减交/免交 is to be stated in the 法律文书.
         state_in_judgment=granted and application.kind in (basis.REDUCTION, basis.EXEMPTION))
    return court_case, application


def _audit_view(application: FeeReliefApplication) -> dict[str, Any]:
    return {
        "application_id": application.id, "kind": application.kind, "situation_code": application.situation_code,
        "stage": application.stage, "applied_on": application.applied_on,
        "requested_percent": application.requested_percent, "applicant": party_summary_for_event(application.party),
        "granted": application.granted, "granted_percent": application.granted_percent,
        "reasons": application.reasons, "decided_on": application.decided_on,
    }

