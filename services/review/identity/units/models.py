"""The `units` table: review's copy of the unit tree (seeded from units.toml)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, TimestampMixin


class Unit(TimestampMixin, Base):
    __tablename__ = "units"
    __table_args__ = ({"info": {"service": "review"}},)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(String(40), index=True)
    receives: Mapped[str | None] = mapped_column(String(5))
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
