"""A 12368 court for work-order tests: the deadline rules, staff accounts of 南阳中院, 12368 items.

The accounts' ids are the test principals' (tests/support/auth.py), so a principal acting here
is the account an order is assigned to.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.orm import Session, sessionmaker

from services.review.deadlines.rules import seed_rules
from services.review.identity.accounts.models import StaffAccount
from services.review.triage import service as triage
from services.review.triage.inputs import PetitionReceived
from shared.actor import Actor
from shared.auth import Principal
from shared.db.base import utcnow
from tests.support.auth import AuthKeys

CENTER = "NY-FY-SF"
MS2 = "NY-FY-MS2"
MS1 = "NY-FY-MS1"
RELATED = "（2026）豫13民初1234号"


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in Beijing on ``day``, as an aware UTC instant."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc) + timedelta(hours=hour - 8)


@dataclass(frozen=True)
class Staff:
    principal: Principal

    @property
    def actor(self) -> Actor:
        return Actor.of(self.principal)

    @property
    def username(self) -> str:
        return self.principal.username


class Court:
    """南阳中院's people (the 12368 clerk, 民二庭's judge and head, 民一庭's judge) and its 12368 items."""

    def __init__(self, sessions: sessionmaker[Session], keys: AuthKeys) -> None:
        self.sessions = sessions
        self.clerk = Staff(keys.principal("court_clerk", CENTER, username="t-clerk"))
        self.judge = Staff(keys.principal("judge", MS2, username="t-judge-ms2"))
        self.head = Staff(keys.principal("unit_leader", MS2, username="t-head-ms2"))
        self.other_judge = Staff(keys.principal("judge", MS1, username="t-judge-ms1"))
        self.court_judge = Staff(keys.principal("judge", "NY-FY", username="t-judge-fy"))
        self.prosecutor = Staff(keys.principal("case_handler", "NY-JCY-WC", username="t-handler"))
        with sessions() as s, s.begin():
            seed_rules(s, env={})
            for staff, name in ((self.judge, "王法官"), (self.head, "李庭长"), (self.other_judge, "赵法官"),
                                (self.court_judge, "院领导"), (self.clerk, "12368书记员")):
                p = staff.principal
                s.add(StaffAccount(id=p.user_id, username=p.username, display_name=name, unit_code=p.unit_code,
                                   roles=sorted(p.roles), password_hash="x", password_changed_at=utcnow()))

    def item(self, received_on: date, *, line: str = "12368", enterprise: bool = True,
             unit_code: str = CENTER) -> str:
        """A 12368 contact (联系法官) received on ``received_on``, pending at the 诉讼服务中心."""
        petition_id = str(uuid.uuid4())
        petition = PetitionReceived(
            petition_id=petition_id, case_number=f"宛中法{line}〔2026〕{uuid.uuid4().int % 10000}号", line=line,
            channel="电", petition_type="联系法官", is_enterprise=enterprise, petitioner_masked="张*",
            summary="询问开庭时间", received_at=at(received_on), received_on=received_on,
            enterprise_name="南阳某机械有限公司" if enterprise else None, unit_code=unit_code)
        with self.sessions() as s, s.begin():
            triage.create_from_petition(s, petition, event_id=str(uuid.uuid4()), trace_id=None)
        return petition_id
