"""Case numbers: the format, who numbers under which 代字, the 收案年度 boundary, no gap after a rollback, the migration."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from services.intake.numbering import service as numbering
from services.intake.numbering.models import CaseNumberCounter
from services.intake.petitions import receiving_units
from services.intake.petitions import service as petitions
from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_EXAMPLE
from services.review.identity.units.tree import SEED_FILE, parse
from shared.actor import Actor
from shared.db.migrate import alembic_config, upgrade

# 10:00 Beijing on a working day of 2026.
AT = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def sessions(engine_for) -> Iterator[sessionmaker[Session]]:  # type: ignore[no-untyped-def]
    _, factory = engine_for("intake")
    yield factory


def _take(sessions: sessionmaker[Session], unit: str | None, line: str = "12309", at: datetime = AT) -> str:
    with sessions.begin() as session:
        return numbering.allocate(session, unit_code=unit, line=line, at=at)


def test_the_format_is_daizi_line_year_in_hexagonal_brackets_serial_without_leading_zeros(sessions) -> None:  # type: ignore[no-untyped-def]
    assert [_take(sessions, "NY-JCY") for _ in range(3)] == ["宛检12309〔2026〕1号", "宛检12309〔2026〕2号", "宛检12309〔2026〕3号"]
    assert _take(sessions, "NY-FY-WC", "12368") == "宛城法12368〔2026〕1号"
    assert str(numbering.CaseNumber("宛检", "12309", 2026, 12)) == "宛检12309〔2026〕12号"


def test_each_organ_counts_on_its_own_and_a_department_counts_with_its_organ(sessions) -> None:  # type: ignore[no-untyped-def]
    assert _take(sessions, "NY-JCY-KS") == "宛检12309〔2026〕1号"
    assert _take(sessions, "NY-JCY-WC") == "宛城检12309〔2026〕1号"
    assert _take(sessions, "NY-JCY-XS") == "宛检12309〔2026〕2号"  # another department of the 市院: the same counter
    assert _take(sessions, "NY-JCY") == "宛检12309〔2026〕3号"
    assert _take(sessions, "NY-FY-SF", "12368") == "宛中法12368〔2026〕1号"
    with sessions() as session:
        rows = {(c.unit_code, c.line, c.year): c.last_serial for c in session.query(CaseNumberCounter)}
    assert rows == {("NY-JCY", "12309", 2026): 3, ("NY-JCY-WC", "12309", 2026): 1, ("NY-FY", "12368", 2026): 1}


def test_an_unknown_unit_or_none_numbers_under_the_lines_city_organ_and_is_logged(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="services.intake.numbering.service"):
        assert _take(sessions, "NY-JCY-NEW") == "宛检12309〔2026〕1号"
    assert "NY-JCY-NEW" in caplog.text
    assert _take(sessions, None) == "宛检12309〔2026〕2号"
    assert _take(sessions, None, "12368") == "宛中法12368〔2026〕1号"
    assert _take(sessions, "NY-FY-NEW", "12368") == "宛中法12368〔2026〕2号"


def test_an_unknown_line_is_a_programming_error(sessions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError), sessions.begin() as session:
        numbering.allocate(session, unit_code="NY-JCY", line="110", at=AT)


def test_the_year_is_the_beijing_year_of_registration(sessions) -> None:  # type: ignore[no-untyped-def]
    last_minute = datetime(2026, 12, 31, 15, 59, tzinfo=timezone.utc)  # 2026-12-31 23:59 北京时间
    new_year = datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc)  # 2027-01-01 00:00 北京时间, still 2026 in UTC
    assert _take(sessions, "NY-JCY", at=last_minute) == "宛检12309〔2026〕1号"
    assert _take(sessions, "NY-JCY", at=new_year) == "宛检12309〔2027〕1号"
    assert _take(sessions, "NY-JCY", at=last_minute + timedelta(seconds=59)) == "宛检12309〔2026〕2号"


def test_a_rolled_back_savepoint_gives_its_serial_back(sessions) -> None:  # type: ignore[no-untyped-def]
    assert _take(sessions, "NY-JCY") == "宛检12309〔2026〕1号"
    with sessions.begin() as session:
        savepoint = session.begin_nested()
        assert numbering.allocate(session, unit_code="NY-JCY", line="12309", at=AT) == "宛检12309〔2026〕2号"
        savepoint.rollback()
        assert numbering.allocate(session, unit_code="NY-JCY", line="12309", at=AT) == "宛检12309〔2026〕2号"
    # The year's first number rolled back: its counter row goes with it, and the next first is 1 again.
    with sessions() as session:
        assert numbering.allocate(session, unit_code="NY-JCY-DZ", line="12309", at=AT) == "邓检12309〔2026〕1号"
        session.rollback()
    assert _take(sessions, "NY-JCY-DZ") == "邓检12309〔2026〕1号"


def test_a_registration_rolled_back_after_its_number_leaves_no_gap(sessions) -> None:  # type: ignore[no-untyped-def]
    clerk = Actor(name="clerk", unit="NY-JCY-KS")
    body = copy.deepcopy(PETITION_EXAMPLE)
    with pytest.raises(RuntimeError), sessions.begin() as session:
        first = petitions.register(session, petition_in=body, actor=clerk).petition.case_number
        raise RuntimeError("the request failed after registering")
    with sessions.begin() as session:
        again = petitions.register(session, petition_in=body, actor=clerk).petition.case_number
    assert again == first and numbering.parse(again) is not None
    with sessions() as session:
        assert [p.case_number for p in session.query(Petition)] == [again]


def test_parse_and_what_a_person_types() -> None:
    assert numbering.parse("宛中法12368〔2027〕7号") == numbering.CaseNumber("宛中法", "12368", 2027, 7)
    assert numbering.normalise(" 宛检１２３０９（２０２６）１２ ") == "宛检12309〔2026〕12号"
    assert numbering.normalise("宛检12309[2026]12号") == "宛检12309〔2026〕12号"
    assert numbering.normalise("12309－2026－000001") == "12309-2026-000001"
    for good in ("宛检12309〔2026〕12号", "12368-2026-000045"):
        assert numbering.is_case_number(good), good
    for other in ("宛检12309〔2026〕012号",  # no 虚位
                  "宛检12309〔2026〕0号",
                  "（2026）豫13民初1号",  # a court 案号
                  "宛检刑诉〔2026〕3号",  # the organ's own 文书号
                  "宛检12310〔2026〕3号", "12309-2026-1"):
        assert not numbering.is_case_number(other) and numbering.parse(other) is None, other


def test_every_organ_has_a_daizi_of_its_own_and_every_department_numbers_under_its_organ() -> None:
    units = parse(SEED_FILE.read_text(encoding="utf-8"))
    organs = {u.code for u in units if u.kind in ("procuratorate", "court")}
    departments = {u.code: u.parent for u in units if u.kind == "department"}
    assert set(receiving_units.DAIZI) == organs
    assert receiving_units.ORGAN_OF_DEPARTMENT == departments
    assert len(set(receiving_units.DAIZI.values())) == len(receiving_units.DAIZI), "two organs share a 代字"
    for code, line in receiving_units.ORGAN_CODE_OF_LINE.items():
        assert code == line or numbering.issuing_organ(None, line=code) == line


def test_the_longest_number_fits_every_column_that_holds_one() -> None:
    longest = max(receiving_units.DAIZI.values(), key=len)
    number = str(numbering.CaseNumber(longest, "12309", 2026, 9_999_999))
    column = Petition.__table__.c.case_number.type.length  # type: ignore[attr-defined]
    assert len(number) <= min(column, 40, 60, 64), number  # petitions, triage items; deadlines; credentials' lookup key


def test_migration_keeps_earlier_numbers_and_seeds_counters_past_numbers_of_the_new_form(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade("intake", url)
    engine = create_engine(url)
    row = ("INSERT INTO petitions (id, case_number, line, channel, petition_type, status, petitioner_name, "
           "is_enterprise, claim, received_at, received_on, registered_by, created_at, updated_at) VALUES "
           "(:id, :n, '12309', '信', '控告', 'registered', '张三', 0, '诉求', '2026-01-05 01:00:00', "
           "'2026-01-05', 'system', '2026-01-05 01:00:00', '2026-01-05 01:00:00')")
    with engine.begin() as conn:
        for i, number in enumerate(("12309-2026-000007", "宛检12309〔2026〕5号", "宛检12309〔2026〕3号", "卧检12309〔2025〕9号")):
            conn.execute(text(row), {"id": f"p{i}", "n": number})
    command.downgrade(alembic_config("intake", url), "numbering@base")
    with engine.begin() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        assert "case_number_counters" not in tables
        # The old allocator would give its next row id as the serial: past the earlier 000007.
        conn.execute(text("INSERT INTO case_number_allocations (line, allocated_at) VALUES ('12309', '2026-01-06')"))
        assert conn.execute(text("SELECT max(id) FROM case_number_allocations")).scalar() == 8
        conn.execute(text("DELETE FROM case_number_allocations"))
    upgrade("intake", url)
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        counters = set(conn.execute(text("SELECT unit_code, line, year, last_serial FROM case_number_counters")).all())
    assert "case_number_allocations" not in tables
    assert counters == {("NY-JCY", "12309", 2026, 5), ("NY-JCY-WL", "12309", 2025, 9)}
    with sessionmaker(bind=engine).begin() as session:
        assert numbering.allocate(session, unit_code="NY-JCY-KS", line="12309", at=AT) == "宛检12309〔2026〕6号"
    engine.dispose()
