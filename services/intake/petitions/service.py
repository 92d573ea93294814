"""Registering petitions (登记): the row, its case number, its audit row and its event, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.credentials import service as credentials
from services.intake.duplicates import service as duplicates
from services.intake.numbering import service as numbering
from services.intake.petitions import personal
from services.intake.petitions.events import received_data
from services.intake.petitions.models import Petition, VisitRepresentative
from services.intake.petitions.queries import get_or_raise
from shared import idempotency
from shared.actor import Actor
from shared.audit.service import record
from shared.auth.units import line_of_unit
from shared.calendar.clock import beijing_date
from shared.db.base import utcnow
from shared.errors import DomainError, ErrorKind
from shared.events import new_event
from shared.outbox import enqueue

IDEMPOTENCY_SCOPE = "petitions.create"
# Who registers (登记): the 12309 and 12368 desks, and judges taking a court contact themselves.
REGISTER_ROLES = ("intake_clerk", "court_clerk", "judge")


class LineNotServedByUnit(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "line_not_served_by_unit"
    field = "line"
    message_en = "Your unit does not receive petitions on this line (12309: procuratorate, 12368: court)"
    message_zh = "本单位不受理该渠道的事项（12309 属检察院，12368 属法院）"


class ReceivedInFuture(DomainError):
    code = "received_in_future"
    field = "received_at"
    message_en = "received_at lies in the future"
    message_zh = "收到时间不能晚于当前时间"


#: The earliest day a petition may be registered as received: the day the 12309 reply limits
#: (《人民检察院办理群众来信工作规定》, issued 2019-11-21) took effect, the oldest rule the deadline
#: engine counts a petition's clocks by (docs/intake.md).  An older date has no rule to count by.
RECEIVED_FLOOR = date(2019, 11, 21)


class ReceivedBeforeFloor(DomainError):
    code = "received_before_floor"
    field = "received_at"
    message_en = "received_at lies before 2019-11-21, the earliest day this platform counts reply limits from"
    message_zh = "收到日期不能早于2019年11月21日（本平台计算答复期限的最早规定施行之日）"


@dataclass(frozen=True)
class Registration:
    petition: Petition
    replayed: bool  # True when an earlier request with the same Idempotency-Key created it
    # The 查询码 as issued, for this answer and the receipt printed with it; None on a replay (only
    # its hash is kept, so a lost code is re-issued: `reissue_query_code`).
    query_code: str | None = None


def _create(session: Session, petition_in: dict[str, Any], *, actor: Actor,
            unit_code: str | None = None) -> tuple[Petition, str]:
    now = utcnow()
    received_at: datetime = petition_in.get("received_at") or now
    if received_at > now:
        raise ReceivedInFuture()
    received_on = beijing_date(received_at)
    if received_on < RECEIVED_FLOOR:
        raise ReceivedBeforeFloor(received_on=received_on.isoformat())
    petitioner = petition_in["petitioner"]
    enterprise = petition_in.get("enterprise") or {}
    related = petition_in.get("related_case_number")
    visit = petition_in.get("visit") or {}
    # The slow part (argon2) before the number: its counter stays locked from allocation to commit.
    drawn = credentials.draw("petition")
    petition = Petition(
        case_number=numbering.allocate(session, unit_code=unit_code, line=petition_in["line"], at=now),
        line=petition_in["line"],
        channel=petition_in["channel"],
        petition_type=petition_in["petition_type"],
        subject=petition_in["subject"],
        petitioner_kind=petitioner.get("kind", "natural"),
        petitioner_relation=petitioner.get("relation"),
        petitioner_name=petitioner["name"],
        petitioner_id_number=petitioner.get("id_number"),
        petitioner_phone=petitioner.get("phone"),
        petitioner_address=petitioner.get("address"),
        is_enterprise=bool(enterprise),
        enterprise_name=enterprise.get("name"),
        enterprise_credit_code=enterprise.get("credit_code"),
        enterprise_size=enterprise.get("size"),
        enterprise_industry=enterprise.get("industry"),
        enterprise_ownership=enterprise.get("ownership"),
        claim=petition_in["claim"],
        facts=petition_in.get("facts"),
        reasons=petition_in.get("reasons"),
        related_case_number=related.text if related else None,
        related_case_kind=related.kind if related else None,
        related_case_year=related.year if related else None,
        related_case_organ=related.organ if related else None,
        related_case_type=related.type_code if related else None,
        postmarked_on=(petition_in.get("letter") or {}).get("postmarked_on"),
        visitor_count=visit.get("visitor_count"),
        received_at=received_at,
        received_on=received_on,
        registered_by=actor.name,
        unit_code=unit_code,
    )
    petition.representatives = [
        VisitRepresentative(position=i, name=r["name"], id_number=r.get("id_number"), phone=r.get("phone"))
        for i, r in enumerate(visit.get("representatives") or [], start=1)
    ]
    session.add(petition)
    session.flush()
    record(
        session, action="petition.create", subject_type="petition", subject_id=petition.id,
        after=personal.masked_summary(petition), **actor.fields(),
    )
    # 重复件: the same matter as an earlier case of this person or enterprise joins that case.
    link = duplicates.link_new_petition(session, petition=petition, subject=petition.subject or "",
                                        actor=actor)
    enqueue(
        session,
        new_event(
            "petition.received",
            subject=petition.id,
            source="intake",
            actor=actor.name,
            data={**received_data(petition), **duplicates.received_fields(session, link)},
        ),
    )
    issued = credentials.issue(session, kind="petition", subject_id=petition.id, lookup_key=petition.case_number,
                               actor=actor, subject_type="petition", drawn=drawn, new_subject=True)
    return petition, issued.code


def reissue_query_code(session: Session, *, petition_id: str, reason: str, actor: Actor) -> tuple[Petition, str]:
    """A new 查询码 for a petition the actor may see; the old one stops working (audited, reason kept).

    :raise NotFound: no such petition, or one of a unit the actor may not see.
    """
    petition = get_or_raise(session, petition_id, principal=actor.principal)
    issued = credentials.issue(session, kind="petition", subject_id=petition.id, lookup_key=petition.case_number,
                               actor=actor, subject_type="petition", reason=reason)
    return petition, issued.code


def register(
    session: Session,
    *,
    petition_in: dict[str, Any],
    actor: Actor,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
    unit_code: str | None = None,
) -> Registration:
    """Register a petition and queue `petition.received`; a repeated Idempotency-Key replays.

    Flushes; the caller commits.  The petition belongs to the actor's unit (the clerk's), or to
    `unit_code` when the public chose the receiving unit (网上信访, no clerk); that unit must
    receive on the petition's line.  The `petition.create` audit row names the actor.  A
    concurrent request with the same key loses the race on the key's primary key inside a
    savepoint, which is rolled back, and answers with the winner's petition.

    :raise LineNotServedByUnit: a court unit registering 12309, or a procuratorate unit 12368.
    """
    receiving_unit = unit_code or actor.unit
    if receiving_unit is not None and line_of_unit(receiving_unit) != petition_in["line"]:
        raise LineNotServedByUnit()
    if idempotency_key is None:
        petition, code = _create(session, petition_in, actor=actor, unit_code=receiving_unit)
        return Registration(petition, replayed=False, query_code=code)

    fingerprint = request_hash or idempotency.fingerprint(petition_in)
    for _ in range(2):
        existing = idempotency.lookup(session, scope=IDEMPOTENCY_SCOPE, key=idempotency_key, request_hash=fingerprint)
        if existing is not None:
            return Registration(get_or_raise(session, existing), replayed=True)
        try:
            with session.begin_nested():
                petition, code = _create(session, petition_in, actor=actor, unit_code=receiving_unit)
                idempotency.remember(
                    session, scope=IDEMPOTENCY_SCOPE, key=idempotency_key,
                    request_hash=fingerprint, resource_id=petition.id,
                )
            return Registration(petition, replayed=False, query_code=code)
        except IntegrityError:
            # Another request with this key committed first; the next pass finds it.
            continue
    raise DomainError("could not register the petition; retry", "登记失败，请重试")
