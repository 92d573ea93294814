"""挂案 rows for the clearance tests, written straight into hanging's tables (hanging's import and hand
entry have their own tests), and principals of 捕诉 prosecutors of a unit."""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy.orm import Session

from services.review.cases.hanging.models import HangingCase, HangingCaseMeasure, HangingCaseProperty
from services.review.identity.units.tree import descendants_or_self
from shared.actor import Actor
from shared.auth import Principal

Measure = tuple[str, _dt.date, _dt.date | None, _dt.date | None]  # kind, started, ends, lifted


def add_case(session: Session, *, unit: str = "NY-JCY-WC", filed_on: _dt.date, measures: Iterable[Measure] = (),
             concluded_on: _dt.date | None = None, status: str = "open", outcome: str | None = None,
             outcome_on: _dt.date | None = None, number: str | None = None, seized: bool = False) -> HangingCase:
    case = HangingCase(
        unit_code=unit, case_number=number or f"宛公经立字〔{filed_on.year}〕{uuid.uuid4().int % 100000}号",
        investigating_organ="南阳市公安局宛城分局", case_title="某公司涉嫌合同诈骗案", charge="合同诈骗罪",
        filed_on=filed_on, status=status, outcome=outcome, outcome_on=outcome_on,
        investigation_concluded_on=concluded_on, enterprise_name="南阳某机械有限公司",
        enterprise_credit_code="91411300MA00000001", source="manual", created_by="test",
    )
    session.add(case)
    session.flush()
    for n, (kind, started, ends, lifted) in enumerate(measures, start=1):
        session.add(HangingCaseMeasure(case_id=case.id, position=n, kind=kind, started_on=started, ends_on=ends,
                                       lifted_on=lifted))
    if seized:
        session.add(HangingCaseProperty(case_id=case.id, position=1, kind="frozen", description="基本账户存款",
                                        amount=Decimal("1200000.00"), seized_on=filed_on))
    session.flush()
    return case


def prosecutor(unit: str = "NY-JCY-WC", *roles: str) -> Actor:
    below = descendants_or_self(unit)
    principal = Principal(user_id=str(uuid.uuid4()), username=f"t-prosecutor-{unit}", unit_code=unit,
                          roles=frozenset(roles or ("prosecutor",)), visible_units=frozenset(below))
    return Actor(name=f"user:{principal.username}", unit=unit, principal=principal)


