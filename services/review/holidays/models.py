"""Holiday years an administrator imported (`huhang calendar import FILE`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, UTCDateTime, utcnow


class CalendarYear(Base):
    """One year's 放假安排 in the file format of shared/calendar/FORMAT.md, kept verbatim."""

    __tablename__ = "calendar_years"
    __table_args__ = ({"info": {"service": "review"}},)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(400), nullable=False)
    published: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200), nullable=False)
