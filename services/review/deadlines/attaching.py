"""Attaching deadlines: the generic :func:`attach`, and the 12309/12368 rules of a triaged petition.

A deadline is attached with the rule in force on its start date (the day not counted), whose
amount, unit, custody flag and warning lead it copies, so a later change of the rule never moves a
running 期限. Attaching is a system action (a triage handler, another domain, a follow-up): it is
not scoped by unit; the caller names the unit that owns the deadline.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines import counting
from services.review.deadlines.events import opened_payload
from services.review.deadlines.history import record
from services.review.deadlines.models import OPEN, Deadline
from services.review.deadlines.rules import RuleNotFound, rule_in_force
from services.review.holidays.service import holiday_table
from shared.calendar import HolidayTable, Unit
from shared.events import new_event
from shared.outbox import enqueue

#: Which deadlines a petition's line starts (received_on is the start day, not counted).
PETITION_RULES = {
    "12309": ("12309.procedural_reply", "12309.result_reply"),
    "12368": ("court_12368.work_order",),
}


def attach(
    session: Session, *, subject: str, rule_code: str, start_on: _dt.date, unit_code: str | None,
    case_number: str | None = None, actor: str = "system", table: HolidayTable | None = None,
    follows_id: str | None = None, period: tuple[int, Unit] | None = None,
) -> Deadline:
    """Start a deadline of ``rule_code`` on ``subject`` from ``start_on`` (the day not counted),
    owned by ``unit_code`` (``None``: seen only by the task force). A system action: unscoped.

    ``period``: the amount and unit to count instead of the rule row's, when the deciding organ
    recorded the limit it applied (the court's 立案绿色通道 decision keeps its own): the 期限 then
    ends where that decision says, whatever this service's settings say today. The history's
    ``set`` row names both.

    Idempotent: the same subject, rule and start date give the existing deadline.
    """
    existing = session.scalar(select(Deadline).where(
        Deadline.subject == subject, Deadline.rule_code == rule_code, Deadline.start_on == start_on
    ))
    if existing is not None:
        return existing
    rule = rule_in_force(session, code=rule_code, on=start_on)
    amount, unit = period if period is not None else (rule.amount, Unit(rule.unit))
    deadline = Deadline(
        subject=subject, case_number=case_number, unit_code=unit_code, follows_id=follows_id,
        rule_id=rule.id, rule_code=rule.code, title=rule.title,
        amount=amount, unit=unit.value, custody=rule.custody, warn_before=rule.warn_before,
        start_on=start_on, status=OPEN,
    )
    computed = counting.compute(
        start_on=start_on, amount=amount, unit=unit, custody=rule.custody,
        warn_before=rule.warn_before, table=table or holiday_table(session),
    )
    deadline.base_due_on = computed.base_due_on
    deadline.due_on = computed.due_on
    deadline.warn_on = computed.warn_on
    deadline.provisional = computed.provisional
    session.add(deadline)
    session.flush()
    differs = (amount, unit.value) != (rule.amount, rule.unit)
    record(session, deadline, "set", actor=actor, rule_id=rule.id, amount=amount, unit=unit.value,
           basis=rule.basis, start_on=start_on, unit_code=unit_code,
           **({"follows_id": follows_id} if follows_id else {}),
           **({"rule_amount": rule.amount, "rule_unit": rule.unit} if differs else {}))
    # In the same transaction as the row: whoever follows the subject's clocks (intake's public
    # timeline) learns of it exactly when it exists.
    enqueue(session, new_event("deadline.opened", subject=subject, source="review", actor=actor,
                               data=opened_payload(deadline)))
    return deadline


def attach_for_petition(
    session: Session, *, petition_id: str, case_number: str, line: str, received_on: _dt.date,
    unit_code: str | None, on_missing: Callable[[str], None] | None = None,
) -> list[Deadline]:
    """The 12309 reply deadlines, or the 12368 work-order deadline, of a newly triaged petition,
    owned by the triage item's unit.

    ``on_missing``: called with the code of a rule not in force on ``received_on`` (none dated
    that early), and the other clocks attached; without it such a petition raises RuleNotFound.
    A petition intake acknowledged must still reach its queue: triage passes it and flags the item.
    """
    attached = []
    for code in PETITION_RULES.get(line, ()):
        try:
            attached.append(attach(session, subject=petition_id, case_number=case_number, rule_code=code,
                                   start_on=received_on, unit_code=unit_code))
        except RuleNotFound:
            if on_missing is None:
                raise
            on_missing(code)
    return attached
