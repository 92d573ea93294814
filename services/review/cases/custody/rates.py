"""Acceptance rates of the 建议 (建议释放, 建议变更) per unit, for the half-monthly reports (RULES §7).

A 建议 counts in the period of its decision day; it is accepted when the other organ's reply was 采纳,
refused when 不予采纳, pending while no reply came (a missing reply is also counted as ``unanswered`` once
its 纠正意见 was opened).  The rate is accepted / made (None when none were made).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.cases.custody.models import CustodyReview
from services.review.cases.custody.vocabulary import NO_REPLY, RECOMMENDATIONS, REPLY_ACCEPTED, REPLY_REFUSED
from services.review.cases.custody.models import CustodyCorrection


@dataclass(frozen=True)
class UnitRate:
    unit_code: str
    made: int
    accepted: int
    refused: int
    pending: int
    unanswered: int

    @property
    def rate(self) -> float | None:
        return None if self.made == 0 else self.accepted / self.made


def rates(session: Session, since: _dt.date, until: _dt.date, unit_codes: Sequence[str] | None) -> list[UnitRate]:
    """Per unit (``unit_codes``: the units to count, None: all), the 建议 decided on ``since``..``until``."""
    query = (select(CustodyReview.unit_code, CustodyReview.reply, CustodyCorrection.reason)
             .outerjoin(CustodyCorrection, CustodyCorrection.review_id == CustodyReview.id)
             .where(CustodyReview.decision.in_(RECOMMENDATIONS), CustodyReview.decided_on >= since,
                    CustodyReview.decided_on <= until))
    if unit_codes is not None:
        query = query.where(CustodyReview.unit_code.in_(sorted(unit_codes)))
    counts: dict[str, list[int]] = {}
    for unit, reply, correction in session.execute(query):
        row = counts.setdefault(unit, [0, 0, 0, 0, 0])
        row[0] += 1
        if reply == REPLY_ACCEPTED:
            row[1] += 1
        elif reply == REPLY_REFUSED:
            row[2] += 1
        else:
            row[3] += 1
        if correction == NO_REPLY:
            row[4] += 1
    return [UnitRate(unit, *row) for unit, row in sorted(counts.items())]
