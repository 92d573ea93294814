"""`huhang audit link` and `huhang audit verify [--no-chain]` over a SQLite database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from services.cli import main
from shared import audit
from shared.audit import AuditEntry


@pytest.fixture
def sessions(engine_for, monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    engine, factory = engine_for("notify")
    monkeypatch.setenv("NOTIFY_DATABASE_URL", str(engine.url))
    with factory() as s, s.begin():
        for i in range(2):
            audit.record(s, action="test.row", actor=f"a{i}")
    return factory  # type: ignore[no-any-return]


def _unchained(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None))) or 0)


def test_verify_links_first_and_no_chain_only_reads(sessions: sessionmaker[Session]) -> None:
    as_found = CliRunner().invoke(main, ["audit", "verify", "--service", "notify", "--no-chain"])
    assert as_found.exit_code == 0, as_found.output
    assert "notify: OK; 2 row(s), 2 not yet chained; head seq=None" in as_found.output
    assert _unchained(sessions) == 2
    linked = CliRunner().invoke(main, ["audit", "verify", "--service", "notify"])
    assert linked.exit_code == 0 and "notify: OK; 2 row(s), 0 not yet chained; head seq=2" in linked.output
    assert _unchained(sessions) == 0


def test_verify_exits_1_on_an_altered_tail_row(sessions: sessionmaker[Session]) -> None:
    with sessions() as s, s.begin():
        s.execute(text("UPDATE audit_log SET outcome = 'denied' WHERE actor = 'a1'"))
    result = CliRunner().invoke(main, ["audit", "verify", "--service", "notify", "--no-chain"])
    assert result.exit_code == 1 and "ALTERED" in result.output and "1 problem(s)" in result.output


def test_link_links_every_committed_row(sessions: sessionmaker[Session]) -> None:
    result = CliRunner().invoke(main, ["audit", "link", "--service", "notify"])
    assert result.exit_code == 0 and "notify: linked 2 row(s)" in result.output
    assert _unchained(sessions) == 0
