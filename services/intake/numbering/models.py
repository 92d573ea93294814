"""The counters case numbers are drawn from: one row per receiving organ, line and year."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base


class CaseNumberCounter(Base):
    """The last serial handed out for one organ's line in one 收案年度.

    Allocation increments it in the registering transaction (services/intake/numbering/service.py):
    the row lock orders concurrent registrations of the same organ, line and year, and a rollback
    takes the increment back with the petition, so the serials run 1, 2, 3… without gaps.
    """

    __tablename__ = "case_number_counters"
    __table_args__ = ({"info": {"service": "intake"}},)

    # The organ the number is issued under (a department's is its organ: receiving_units.ORGAN_OF_DEPARTMENT).
    unit_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    line: Mapped[str] = mapped_column(String(5), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
