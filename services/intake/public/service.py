"""The public status query (案件进度查询): case number + query code → what the public may see of the case.

No such case and a wrong code are one answer (None), found by the same path, so the query cannot
tell anyone which case numbers exist.  Every query is audited as ``public.status_query``
(success / failure / denied), with the client address and the case number typed, never the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.credentials import service as credentials
from services.intake.petitions import lines, receiving_units
from services.intake.petitions.models import Petition
from services.intake.public import throttle
from shared.actor import Actor
from shared.audit.service import record
from shared.errors import DomainError, ErrorKind

ACTION = "public.status_query"


class TooManyQueries(DomainError):
    kind = ErrorKind.TOO_MANY
    keeps_writes = True  # the refusal's audit row is committed
    code = "too_many_status_queries"
    message_en = "Too many status queries from this address: wait and try again"
    message_zh = "查询过于频繁，请稍后再试"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__()
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class PublicStatus:
    """All the public answer shows: no petitioner, no claim, nothing personal."""

    case_number: str
    line_name: str
    received_on: date
    status: str
    receiving_unit: str
    commitments: tuple[str, ...]


def query(
    session: Session, *, case_number: str, code: str, actor: Actor, settings: IntakeSettings, now: datetime,
) -> PublicStatus | None:
    """The public status of the case `case_number` if `code` is its query code, else None.

    Counts the query against the actor's address first and writes the audit row, both in the
    caller's transaction.
    :raise TooManyQueries: the address has used its window (audited as denied; the row is kept).
    """
    window = throttle.Window(settings.status_query_limit, settings.status_query_window_s)
    decision = throttle.take(session, client_addr=actor.client_addr, window=window, now=now)
    if not decision.allowed:
        record(session, action=ACTION, outcome="denied", subject_type="petition",
               detail={"case_number": case_number, "reason": "rate_limited"}, **actor.fields())
        raise TooManyQueries(decision.retry_after_s)
    petition_id = credentials.check(session, kind="petition", lookup_key=case_number, entered=code)
    petition = session.get(Petition, petition_id) if petition_id else None
    if petition is None:  # which failure it was, for the audit row only
        petition = session.scalar(select(Petition).where(Petition.case_number == case_number))
    found = petition_id is not None
    # The audit row may say which failure it was; the answer may not.
    reason = None if found else "unknown_case" if petition is None else "wrong_code"
    record(session, action=ACTION, outcome="success" if found else "failure", subject_type="petition",
           subject_id=petition.id if petition is not None else None,
           detail={"case_number": case_number, **({"reason": reason} if reason else {})}, **actor.fields())
    if not found or petition is None:
        return None
    return PublicStatus(
        case_number=petition.case_number,
        line_name=lines.LINE_TEXT.get(petition.line, petition.line),
        received_on=petition.received_on,
        status=lines.STATUS_TEXT.get(petition.status, petition.status),
        receiving_unit=receiving_units.name_of(petition.unit_code, line=petition.line),
        commitments=lines.commitments(petition.line, settings),
    )
