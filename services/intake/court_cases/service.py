"""Flagging court cases as 涉企, the 立案绿色通道 decision and 立案, in the caller's transaction.

Each step writes its row, an audit row (masked before/after) and an event through the outbox;
the caller commits (shared/db/transaction.py).  Reads are scoped to the caller's units, and a case
of another unit answers exactly as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from services.intake.config import IntakeSettings
from services.intake.court_cases import case_numbers
from services.intake.court_cases.basis import DEFERRAL
from services.intake.court_cases.models import (
    ENTERPRISE,
    FILED,
    NATURAL,
    CourtCase,
    CourtCaseParty,
    GreenChannelDecision,
)
from services.intake.credentials import service as credentials
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal, can_see, scope
from shared.auth.units import line_of_unit
from shared.calendar import Unit, period_end
from shared.calendar.clock import beijing_date, beijing_today
from shared.db.base import utcnow
from shared.errors import Conflict, DomainError, ErrorKind, NotFound
from shared.events import new_event
from shared.outbox import enqueue
from shared.pii import mask_id_number, mask_name

# Who flags a case and decides on it: the judges and the court's clerks (书记员, 诉讼服务中心).
FLAG_ROLES = ("judge", "court_clerk")
# Who reads flagged cases: the court's staff of the case's unit (and the units below it), and the
# 市院专班, which sees every unit.
READ_ROLES = ("judge", "court_clerk", "task_force")
# One 查询码 per enterprise party, and a 案号 holds at most this many (credentials: court_party).
MAX_ENTERPRISE_PARTIES = 4


class NotACourtUnit(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "court_case.not_a_court_unit"
    message_zh = "只有法院的工作人员可以标记涉企案件"
    message_en = "Only a court's staff may flag a court case (the unit is not a court unit)"


class AlreadyFlagged(Conflict):
    code = "court_case.already_flagged"
    message_zh = "该案号已标记为涉企案件"
    message_en = "This case number is already flagged"


class CourtCaseNotFound(NotFound):
    code = "court_case.not_found"
    message_zh = "未找到该案件"
    message_en = "No such court case"


class NoEnterpriseParty(DomainError):
    code = "court_case.no_enterprise_party"
    message_zh = "涉企案件至少应有一方当事人是企业"
    message_en = "A 涉企 case needs at least one enterprise party"


class TooManyEnterpriseParties(DomainError):
    code = "court_case.too_many_enterprise_parties"
    message_zh = f"一个案号至多为{MAX_ENTERPRISE_PARTIES}个企业当事人签发查询码"
    message_en = f"A case number carries query codes for at most {MAX_ENTERPRISE_PARTIES} enterprise parties"


class DateInFuture(DomainError):
    code = "court_case.date_in_future"
    message_zh = "日期不能晚于今天"
    message_en = "The date lies in the future"


class GreenChannelAlreadyDecided(Conflict):
    code = "green_channel.already_decided"
    message_zh = "立案绿色通道已作出决定"
    message_en = "The green channel has already been decided"


class GreenChannelAfterFiling(Conflict):
    code = "green_channel.after_filing"
    message_zh = "案件已立案，不能再决定立案绿色通道"
    message_en = "The case is already filed (立案): the green channel can no longer be decided"


class GreenChannelRefusalNeedsReasons(DomainError):
    code = "green_channel.refusal_needs_reasons"
    message_zh = "不予适用立案绿色通道的，应当写明理由"
    message_en = "A refusal of the green channel needs written reasons"


class AlreadyFiled(Conflict):
    code = "court_case.already_filed"
    message_zh = "该案件已记录立案"
    message_en = "The case's 立案 is already recorded"


class DeferralUndecided(Conflict):
    code = "court_case.deferral_undecided"
    message_zh = "尚有缓交诉讼费用的申请未决定；准予缓交的决定应当在决定立案之前作出（诉讼费用交纳办法第四十九条）"
    message_en = "A 缓交 application is undecided: art. 49 has it decided before 立案"


class FiledBeforeDeferralDecision(DomainError):
    code = "court_case.filed_before_deferral_decision"
    message_zh = "立案日期早于缓交决定日期（诉讼费用交纳办法第四十九条：缓交决定在立案之前作出）"
    message_en = "The filing date is before a 缓交 decision (art. 49: 缓交 is decided before 立案)"


class NotAnEnterpriseParty(DomainError):
    code = "court_case.party_not_enterprise"
    message_zh = "查询码只签发给企业当事人"
    message_en = "Query codes are issued to enterprise parties only"


@dataclass(frozen=True)
class GreenChannelRule:
    """The green channel's time limit (RULES §2: local practice, a setting; default 3 工作日)."""

    amount: int
    unit: Unit

    @classmethod
    def from_settings(cls, settings: IntakeSettings) -> "GreenChannelRule":
        return cls(settings.green_channel_amount, Unit(settings.green_channel_unit))


@dataclass(frozen=True)
class Flagged:
    court_case: CourtCase
    # party id → the 查询码 as issued: shown once in the answer to the flag, never again.
    query_codes: dict[str, str]


# -- reads ------------------------------------------------------------------------------------


def get(session: Session, court_case_id: str, *, principal: Principal | None = None) -> CourtCase | None:
    """One case if it exists and `principal` may see its unit (None: a system caller)."""
    query = scope(select(CourtCase).where(CourtCase.id == court_case_id), CourtCase.unit_code, principal)
    return session.scalar(query.options(selectinload(CourtCase.parties), selectinload(CourtCase.green_channel),
                                        selectinload(CourtCase.fee_relief_applications)))


def get_or_raise(session: Session, court_case_id: str, *, principal: Principal | None = None) -> CourtCase:
    """:raise CourtCaseNotFound: no such case, or one of a unit the principal may not see (same answer)."""
    court_case = get(session, court_case_id, principal=principal)
    if court_case is None:
        raise CourtCaseNotFound()
    return court_case


def list_(
    session: Session, *, status: str | None = None, case_type: str | None = None, limit: int = 50, offset: int = 0,
    principal: Principal | None = None,
) -> list[CourtCase]:
    """Flagged cases of the principal's units, newest flag first."""
    query = scope(select(CourtCase), CourtCase.unit_code, principal)
    if status is not None:
        query = query.where(CourtCase.status == status)
    if case_type is not None:
        query = query.where(CourtCase.case_type == case_type)
    query = query.order_by(CourtCase.flagged_at.desc(), CourtCase.id).limit(limit).offset(offset)
    return list(session.scalars(query.options(selectinload(CourtCase.parties), selectinload(CourtCase.green_channel),
                                              selectinload(CourtCase.fee_relief_applications))))


# -- what the audit log and the events keep ----------------------------------------------------


def party_summary(party: CourtCaseParty) -> dict[str, Any]:
    """A party without personal numbers: a person's name masked, an enterprise's name and code whole."""
    natural = party.kind == NATURAL
    return {
        "party_id": party.id,
        "role": party.role,
        "kind": party.kind,
        "name": mask_name(party.name) if natural else party.name,
        "credit_code": party.credit_code,
        **({"id_number": mask_id_number(party.id_number)} if natural else {}),
    }


def masked_summary(court_case: CourtCase) -> dict[str, Any]:
    """What the audit log keeps of a case: no personal number in clear."""
    green = court_case.green_channel
    return {
        "case_number": court_case.case_number,
        "case_type": court_case.case_type,
        "status": court_case.status,
        "unit_code": court_case.unit_code,
        "filed_on": court_case.filed_on,
        "parties": [party_summary(p) for p in court_case.parties],
        "green_channel": None if green is None else {
            "granted": green.granted, "due_on": green.due_on, "met": green.met},
    }


def emit(session: Session, court_case: CourtCase, event_type: str, actor: Actor, **data: Any) -> None:
    """Queue one step of the case as an event (keyed by the case, so its steps stay in order)."""
    enqueue(session, new_event(
        event_type, subject=court_case.id, source="intake", actor=actor.name,
        data={"court_case_id": court_case.id, "case_number": court_case.case_number,
              "unit_code": court_case.unit_code, **data},
    ))


# -- flag ---------------------------------------------------------------------------------------


def _check_court_actor(actor: Actor) -> str:
    if actor.unit is None or line_of_unit(actor.unit) != "12368":
        raise NotACourtUnit()
    return actor.unit


def _issue_code(session: Session, court_case: CourtCase, party: CourtCaseParty, actor: Actor,
                reason: str | None = None) -> str:
    try:
        return credentials.issue(session, kind="court_party", subject_id=party.id, lookup_key=court_case.case_number,
                                 actor=actor, subject_type="court_case", reason=reason).code
    except credentials.TooManyCodes:
        raise TooManyEnterpriseParties() from None


def flag(session: Session, *, court_case_in: dict[str, Any], actor: Actor, now: datetime | None = None) -> Flagged:
    """Flag a case as 涉企, issue each enterprise party its 查询码, queue `court_case.flagged`.

    Flushes; the caller commits.  One flag per 案号 (normalised): a second is refused with the
    first's id when the actor may see it.

    :raise InvalidIdentifier: the 案号 breaks the 2016 规定 (code `case_number.*`).
    :raise CaseTypeMismatch: the case type contradicts the 案号's 类型代字.
    :raise NotACourtUnit: the actor's unit is not a court's.
    :raise AlreadyFlagged: the 案号 is already flagged.
    """
    unit = _check_court_actor(actor)
    number = case_numbers.parse(court_case_in["case_number"])
    case_numbers.check_case_type(number, court_case_in["case_type"])
    parties_in = court_case_in["parties"]
    enterprises = [p for p in parties_in if p["kind"] == ENTERPRISE]
    if not enterprises:
        raise NoEnterpriseParty(parties=["at least one party of kind enterprise"])
    if len(enterprises) > MAX_ENTERPRISE_PARTIES:
        raise TooManyEnterpriseParties(parties=[f"at most {MAX_ENTERPRISE_PARTIES} enterprise parties"])
    _refuse_if_flagged(session, number.text, actor)
    now = now or utcnow()
    court_case = CourtCase(
        case_number=number.text, court_code=number.court_code, type_code=number.type_code,
        case_type=court_case_in["case_type"], reason=court_case_in["reason"], unit_code=unit,
        flagged_by=actor.name, flagged_at=now, flagged_on=beijing_date(now),
    )
    court_case.parties = [
        CourtCaseParty(
            position=i, role=p["role"], kind=p["kind"], name=p["name"],
            credit_code=p.get("credit_code") if p["kind"] == ENTERPRISE else None,
            id_number=p.get("id_number") if p["kind"] == NATURAL else None,
            enterprise_size=p.get("enterprise_size") if p["kind"] == ENTERPRISE else None,
            ownership=p.get("ownership") if p["kind"] == ENTERPRISE else None,
        )
        for i, p in enumerate(parties_in)
    ]
    try:
        with session.begin_nested():
            session.add(court_case)
            session.flush()
    except IntegrityError:
        # A concurrent flag of the same 案号 committed first.
        _refuse_if_flagged(session, number.text, actor)
        raise
    record(session, action="court_case.flag", subject_type="court_case", subject_id=court_case.id,
           after=masked_summary(court_case), **actor.fields())
    emit(session, court_case, "court_case.flagged", actor,
         court_code=court_case.court_code, type_code=court_case.type_code, case_type=court_case.case_type,
         reason=court_case.reason[:200], flagged_at=court_case.flagged_at, flagged_on=court_case.flagged_on,
         parties=[party_summary_for_event(p) for p in court_case.parties],
         enterprise_credit_codes=[p.credit_code for p in court_case.parties if p.credit_code])
    codes = {p.id: _issue_code(session, court_case, p, actor) for p in court_case.parties if p.kind == ENTERPRISE}
    return Flagged(court_case, codes)


def party_summary_for_event(party: CourtCaseParty) -> dict[str, Any]:
    """A party as events carry it: never an ID number, not even masked."""
    return {k: v for k, v in party_summary(party).items() if k != "id_number"}


def _refuse_if_flagged(session: Session, case_number: str, actor: Actor) -> None:
    existing = session.execute(
        select(CourtCase.id, CourtCase.unit_code).where(CourtCase.case_number == case_number)).first()
    if existing is None:
        return
    # That a 案号 is flagged cannot be hidden (one flag per case); its id only from the units that see it.
    visible = can_see(actor.principal, existing.unit_code)
    raise AlreadyFlagged(**({"court_case_id": existing.id} if visible else {}), case_number=[case_number])


def reissue_query_code(session: Session, *, court_case_id: str, party_id: str, reason: str,
                       actor: Actor) -> tuple[CourtCase, CourtCaseParty, str]:
    """A new 查询码 for an enterprise party; the old one stops working (audited with the reason).

    :raise CourtCaseNotFound: no such case or party, or a case the actor may not see.
    :raise NotAnEnterpriseParty: the party is a natural person.
    """
    court_case = get_or_raise(session, court_case_id, principal=actor.principal)
    party = next((p for p in court_case.parties if p.id == party_id), None)
    if party is None:
        raise CourtCaseNotFound()
    if party.kind != ENTERPRISE:
        raise NotAnEnterpriseParty()
    return court_case, party, _issue_code(session, court_case, party, actor, reason=reason)


# -- 立案绿色通道 and 立案 ---------------------------------------------------------------------


def _not_future(day: date, today: date, field: str) -> None:
    if day > today:
        error = DateInFuture()
        error.details = {field: ["not after today (Beijing time)"]}
        raise error


def decide_green_channel(
    session: Session, *, court_case_id: str, decision_in: dict[str, Any], actor: Actor, rule: GreenChannelRule,
    now: datetime | None = None,
) -> GreenChannelDecision:
    """Grant or refuse the 立案绿色通道, once; a grant sets 立案 due `rule` after the flag day.

    :raise GreenChannelAlreadyDecided: decided before.
    :raise GreenChannelAfterFiling: the case is filed already.
    :raise GreenChannelRefusalNeedsReasons: refused without reasons.
    """
    court_case = get_or_raise(session, court_case_id, principal=actor.principal)
    if court_case.green_channel is not None:
        raise GreenChannelAlreadyDecided()
    if court_case.filed_on is not None:
        raise GreenChannelAfterFiling()
    reasons = (decision_in.get("reasons") or "").strip() or None
    granted = bool(decision_in["granted"])
    if not granted and reasons is None:
        raise GreenChannelRefusalNeedsReasons(reasons=["required when refused"])
    now = now or utcnow()
    decision = GreenChannelDecision(granted=granted, reasons=reasons, decided_by=actor.name, decided_at=now,
                                    decided_on=beijing_date(now))
    if granted:
        # The start day is not counted (shared/calendar); a 调休 Saturday counts as a working day.
        deadline = period_end(court_case.flagged_on, rule.amount, rule.unit)
        decision.limit_amount, decision.limit_unit = rule.amount, rule.unit.value
        decision.due_on, decision.due_provisional = deadline.date, deadline.provisional
    before = masked_summary(court_case)
    court_case.green_channel = decision
    session.flush()
    record(session, action="court_case.green_channel", subject_type="court_case", subject_id=court_case.id,
           before=before, after=masked_summary(court_case), detail={"reasons": reasons}, **actor.fields())
    emit(session, court_case, "court_case.green_channel_decided", actor,
         granted=granted, decided_on=decision.decided_on, flagged_on=court_case.flagged_on, due_on=decision.due_on,
         due_provisional=decision.due_provisional, limit_amount=decision.limit_amount, limit_unit=decision.limit_unit)
    return decision


def record_filing(
    session: Session, *, court_case_id: str, filing_in: dict[str, Any], actor: Actor, today: date | None = None,
) -> CourtCase:
    """Record 立案 (once); a granted green channel's clock closes as met or missed.

    :raise AlreadyFiled: 立案 is recorded already.
    :raise DeferralUndecided: a 缓交 application waits for its decision (art. 49).
    :raise FiledBeforeDeferralDecision: the date is before a 缓交 decision.
    """
    court_case = get_or_raise(session, court_case_id, principal=actor.principal)
    if court_case.filed_on is not None:
        raise AlreadyFiled()
    filed_on: date = filing_in.get("filed_on") or beijing_today()
    _not_future(filed_on, today or beijing_today(), "filed_on")
    deferrals = [a for a in court_case.fee_relief_applications if a.kind == DEFERRAL]
    if any(not a.decided for a in deferrals):
        raise DeferralUndecided()
    if any(a.decided_on is not None and a.decided_on > filed_on for a in deferrals):
        raise FiledBeforeDeferralDecision(filed_on=["not before a 缓交 decision"])
    before = masked_summary(court_case)
    court_case.filed_on, court_case.filed_by, court_case.status = filed_on, actor.name, FILED
    green = court_case.green_channel
    if green is not None and green.granted and green.due_on is not None:
        green.met = filed_on <= green.due_on
    session.flush()
    record(session, action="court_case.file", subject_type="court_case", subject_id=court_case.id,
           before=before, after=masked_summary(court_case), **actor.fields())
    emit(session, court_case, "court_case.filed", actor, filed_on=filed_on,
         green_channel_due_on=green.due_on if green is not None else None,
         green_channel_met=green.met if green is not None else None)
    return court_case
