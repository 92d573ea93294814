"""Case numbers on PostgreSQL: parallel registrations, some rolled back, give each organ exactly 1..N.

SQLite serialises every writer (BEGIN IMMEDIATE), so the unit tests cannot show what the counter
row's lock does under real concurrency; here each registration is a thread with its own session
and transaction through the real `register`, every 7th fails after its number was drawn, and the
numbers that stayed must be 1..N per organ with no duplicate and no gap — twice in a row, the
second round continuing at N+1.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from services.intake.numbering import service as numbering
from services.intake.numbering.models import CaseNumberCounter
from services.intake.petitions import service as petitions
from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.actor import Actor
from shared.db.engine import make_engine, make_session_factory
from tests.support.infra import Databases

# Two receiving organs on the same line: their counters must not hold each other up or mix.
UNITS = {"NY-JCY-KS": "宛检", "NY-JCY-WC": "宛城检"}
REGISTRATIONS = 200
WORKERS = 24


class Failed(Exception):
    """The request failed after its number was drawn: the transaction rolls back."""


@pytest.fixture
def pg(databases: Databases) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    engine = make_engine(databases.fresh("intake"), pool_size=WORKERS, max_overflow=0)
    yield engine, make_session_factory(engine)
    engine.dispose()


def _round(sessions: sessionmaker[Session]) -> tuple[Counter[str], list[str]]:
    """REGISTRATIONS registrations at once, alternating the two units; (committed per unit, numbers kept)."""
    start = threading.Barrier(WORKERS)
    body = copy.deepcopy(PETITION_EXAMPLE)
    units = list(UNITS)

    def one(i: int) -> tuple[str, str | None]:
        unit = units[i % 2]
        if i < WORKERS:
            start.wait()  # the first wave goes together, so the year's first rows race as well
        try:
            with sessions() as session, session.begin():
                number = petitions.register(session, petition_in=body, actor=Actor(name=f"clerk{i}", unit=unit)
                                            ).petition.case_number
                if i % 7 == 0:
                    raise Failed(number)
            return unit, number
        except Failed:
            return unit, None

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(one, range(REGISTRATIONS)))
    committed = Counter(unit for unit, number in outcomes if number is not None)
    return committed, [number for _, number in outcomes if number is not None]


def _serials(sessions: sessionmaker[Session]) -> dict[str, list[int]]:
    with sessions() as session:
        rows = session.execute(select(Petition.unit_code, Petition.case_number)).all()
    found: dict[str, list[int]] = {unit: [] for unit in UNITS}
    for unit, number in rows:
        parsed = numbering.parse(number)
        assert parsed is not None and parsed.daizi == UNITS[unit] and parsed.line == "12309", number
        found[unit].append(parsed.serial)
    return {unit: sorted(serials) for unit, serials in found.items()}


def test_parallel_registrations_with_rollbacks_number_each_organ_1_to_n_twice_in_a_row(
    pg: tuple[Engine, sessionmaker[Session]],
) -> None:
    _, sessions = pg
    total: Counter[str] = Counter()
    for _ in range(2):
        committed, kept = _round(sessions)
        assert sum(committed.values()) == REGISTRATIONS - len(range(0, REGISTRATIONS, 7))
        total += committed
        assert len(set(kept)) == len(kept)
        serials = _serials(sessions)
        for unit in UNITS:
            assert serials[unit] == list(range(1, total[unit] + 1)), (unit, serials[unit])
    with sessions() as session:
        counters = {c.unit_code: c.last_serial for c in session.scalars(select(CaseNumberCounter))}
    # A department numbers under its organ: NY-JCY-KS's counter is the 市院's.
    assert counters == {"NY-JCY": total["NY-JCY-KS"], "NY-JCY-WC": total["NY-JCY-WC"]}


def test_the_lock_holds_one_organs_counter_only_and_until_commit(pg: tuple[Engine, sessionmaker[Session]]) -> None:
    _, sessions = pg

    def take(session: Session, unit: str) -> str:
        return numbering.allocate(session, unit_code=unit, line="12309")

    with sessions() as first:
        assert take(first, "NY-JCY").endswith("〕1号")
        with sessions() as other:
            other.execute(text("SET LOCAL lock_timeout = '2s'"))
            assert take(other, "NY-JCY-WC").startswith("宛城检")  # another organ: not held up
            other.commit()
        with sessions() as same:
            same.execute(text("SET LOCAL lock_timeout = '200ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                take(same, "NY-JCY")  # the same organ waits for the first transaction
            same.rollback()
        first.commit()
    with sessions() as after:
        assert take(after, "NY-JCY").endswith("〕2号")
        after.commit()


def test_the_downgrade_restarts_the_old_sequence_past_the_earlier_numbers(databases: Databases) -> None:
    from alembic import command

    from shared.db.migrate import alembic_config, upgrade

    url = databases.fresh("intake")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO petitions (id, case_number, line, channel, petition_type, status, petitioner_name, "
            "is_enterprise, claim, received_at, received_on, registered_by, created_at, updated_at) VALUES "
            "('p1', '12309-2026-000007', '12309', '信', '控告', 'registered', '张三', false, '诉求', now(), "
            "current_date, 'system', now(), now())"))
    command.downgrade(alembic_config("intake", url), "numbering@base")
    with engine.begin() as conn:
        next_id = conn.execute(text(
            "INSERT INTO case_number_allocations (line, allocated_at) VALUES ('12309', now()) RETURNING id")).scalar()
    assert next_id == 8
    upgrade("intake", url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('case_number_allocations')")).scalar() is None
    engine.dispose()
