"""Registering petitions (登记): the row, its case number, its audit row and its event, in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.credentials import service as credentials
from services.intake.numbering import service as numbering
from services.intake.petitions import personal
from services.intake.petitions.models import Petition
from shared import idempotency
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal, scope
from shared.auth.units import line_of_unit
from shared.calendar.clock import beijing_date
from shared.db.base import utcnow
from shared.errors import DomainError, ErrorKind, NotFound
from shared.events import new_event
from shared.outbox import enqueue
from shared.pii import mask_name

IDEMPOTENCY_SCOPE = "petitions.create"
# Who registers (登记): the 12309 and 12368 desks, and judges taking a court contact themselves.
REGISTER_ROLES = ("intake_clerk", "court_clerk", "judge")


class LineNotServedByUnit(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "line_not_served_by_unit"
    message_en = "Your unit does not receive petitions on this line (12309: procuratorate, 12368: court)"
    message_zh = "本单位不受理该渠道的事项（12309 属检察院，12368 属法院）"


class ReceivedInFuture(DomainError):
    code = "received_in_future"
    message_en = "received_at lies in the future"
    message_zh = "收到时间不能晚于当前时间"


@dataclass(frozen=True)
class Registration:
    petition: Petition
    replayed: bool  # True when an earlier request with the same Idempotency-Key created it
    # The 查询码 as issued, for this answer and the receipt printed with it; None on a replay (only
    # its hash is kept, so a lost code is re-issued: `reissue_query_code`).
    query_code: str | None = None


def get(session: Session, petition_id: str, *, principal: Principal | None = None) -> Petition | None:
    """One petition if it exists and `principal` may see its unit (None: a system caller)."""
    query = scope(select(Petition).where(Petition.id == petition_id), Petition.unit_code, principal)
    return session.scalar(query)


def get_or_raise(session: Session, petition_id: str, *, principal: Principal | None = None) -> Petition:
    """:raise NotFound: no such petition, or one of a unit the principal may not see (same answer)."""
    petition = get(session, petition_id, principal=principal)
    if petition is None:
        raise NotFound()
    return petition


def list_(
    session: Session, *, line: str | None = None, is_enterprise: bool | None = None, limit: int = 50, offset: int = 0,
    principal: Principal | None = None,
) -> list[Petition]:
    query = scope(select(Petition), Petition.unit_code, principal).order_by(Petition.received_at.desc(), Petition.id)
    if line is not None:
        query = query.where(Petition.line == line)
    if is_enterprise is not None:
        query = query.where(Petition.is_enterprise == is_enterprise)
    return list(session.scalars(query.limit(limit).offset(offset)))


def _create(session: Session, petition_in: dict[str, Any], *, actor: Actor) -> tuple[Petition, str]:
    now = utcnow()
    received_at: datetime = petition_in.get("received_at") or now
    if received_at > now:
        raise ReceivedInFuture()
    received_on = beijing_date(received_at)
    petitioner = petition_in["petitioner"]
    enterprise = petition_in.get("enterprise")
    # The slow part (argon2) before the number: its counter stays locked from allocation to commit.
    drawn = credentials.draw("petition")
    petition = Petition(
        case_number=numbering.allocate(session, unit_code=actor.unit, line=petition_in["line"], at=now),
        line=petition_in["line"],
        channel=petition_in["channel"],
        petition_type=petition_in["petition_type"],
        petitioner_name=petitioner["name"],
        petitioner_id_number=(petitioner.get("id_number") or None) and petitioner["id_number"].upper(),
        petitioner_phone=petitioner.get("phone"),
        petitioner_address=petitioner.get("address"),
        is_enterprise=enterprise is not None,
        enterprise_name=enterprise["name"] if enterprise else None,
        enterprise_credit_code=enterprise["credit_code"].upper() if enterprise else None,
        claim=petition_in["claim"],
        facts=petition_in.get("facts"),
        reasons=petition_in.get("reasons"),
        received_at=received_at,
        received_on=received_on,
        registered_by=actor.name,
        unit_code=actor.unit,
    )
    session.add(petition)
    session.flush()
    petition.possible_duplicate_of = personal.find_duplicate(session, petition)
    record(
        session, action="petition.create", subject_type="petition", subject_id=petition.id,
        after=personal.masked_summary(petition), **actor.fields(),
    )
    enqueue(
        session,
        new_event(
            "petition.received",
            subject=petition.id,
            source="intake",
            actor=actor.name,
            data={
                "petition_id": petition.id,
                "case_number": petition.case_number,
                "line": petition.line,
                "channel": petition.channel,
                "petition_type": petition.petition_type,
                "is_enterprise": petition.is_enterprise,
                "petitioner_masked": mask_name(petition.petitioner_name),
                "enterprise_name": petition.enterprise_name,
                "summary": petition.claim[:200],
                "received_at": received_at,
                "received_on": received_on,
                "unit_code": actor.unit,
            },
        ),
    )
    issued = credentials.issue(session, kind="petition", subject_id=petition.id, lookup_key=petition.case_number,
                               actor=actor, subject_type="petition", drawn=drawn)
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
) -> Registration:
    """Register a petition and queue `petition.received`; a repeated Idempotency-Key replays.

    Flushes; the caller commits.  The petition belongs to the actor's unit (the clerk's), which
    must receive on the petition's line; the `petition.create` audit row names the actor.  A
    concurrent request with the same key loses the race on the key's primary key inside a
    savepoint, which is rolled back, and answers with the winner's petition.

    :raise LineNotServedByUnit: a court unit registering 12309, or a procuratorate unit 12368.
    """
    if actor.unit is not None and line_of_unit(actor.unit) != petition_in["line"]:
        raise LineNotServedByUnit()
    if idempotency_key is None:
        petition, code = _create(session, petition_in, actor=actor)
        return Registration(petition, replayed=False, query_code=code)

    fingerprint = request_hash or idempotency.fingerprint(petition_in)
    for _ in range(2):
        existing = idempotency.lookup(session, scope=IDEMPOTENCY_SCOPE, key=idempotency_key, request_hash=fingerprint)
        if existing is not None:
            return Registration(get_or_raise(session, existing), replayed=True)
        try:
            with session.begin_nested():
                petition, code = _create(session, petition_in, actor=actor)
                idempotency.remember(
                    session, scope=IDEMPOTENCY_SCOPE, key=idempotency_key,
                    request_hash=fingerprint, resource_id=petition.id,
                )
            return Registration(petition, replayed=False, query_code=code)
        except IntegrityError:
            # Another request with this key committed first; the next pass finds it.
            continue
    raise DomainError("could not register the petition; retry", "登记失败，请重试")
