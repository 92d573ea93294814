"""Registering a petition the public sent online: the address's window first, then the clerk's own registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.intake.online.schemas import CHANNEL
from services.intake.petitions import receiving_units
from services.intake.petitions import service as petitions
from services.intake.public import throttle
from shared.actor import Actor
from shared.audit.service import record

# The window is counted apart from the status query's: a bucket of its own per address.
_BUCKET = "online-petition"


class TooManyPetitions(throttle.RateLimited):
    code = "too_many_online_petitions"
    message_en = "Too many online petitions from this address: wait and try again, or call 12309 / 12368"
    message_zh = "提交过于频繁，请稍后再试，或拨打 12309 / 12368"


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: int


def submit(session: Session, *, petition_in: dict[str, Any], actor: Actor, window: Window, now: datetime,
           idempotency_key: str | None = None, request_hash: str | None = None) -> petitions.Registration:
    """Register an online petition for the organ it names (or its line's centre); flushes, the caller commits.

    :raise TooManyPetitions: the address has used its window (audited as denied; the row is kept).
    """
    decision = throttle.take(session, client_addr=f"{_BUCKET}:{actor.client_addr or 'unknown'}",
                             window=throttle.Window(window.limit, window.seconds), now=now)
    if not decision.allowed:
        record(session, action="petition.create", outcome="denied", subject_type="petition",
               detail={"channel": CHANNEL, "reason": "rate_limited"}, **actor.fields())
        raise TooManyPetitions(decision.retry_after_s)
    body = {key: value for key, value in petition_in.items() if key != "unit_code"} | {"channel": CHANNEL}
    unit = petition_in.get("unit_code") or receiving_units.centre_of(petition_in["line"])
    return petitions.register(session, petition_in=body, actor=actor, unit_code=unit,
                              idempotency_key=idempotency_key, request_hash=request_hash)
