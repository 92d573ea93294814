"""Audit chain and personal data over the real PostgreSQL (and, for the API, the real services)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
import requests
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared import audit
from shared.audit import AuditEntry
from shared.audit import service as audit_service
from shared.db.base import utcnow
from tests.support.auth import AuthKeys
from tests.support.stack import REPO, Stack

ID = PETITION_EXAMPLE["petitioner"]["id_number"]
PHONE = PETITION_EXAMPLE["petitioner"]["phone"]
_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def test_concurrent_writers_keep_one_unbroken_chain(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("review")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with sessions() as s, s.begin():
                    audit.record(s, action="test.concurrent", actor=f"w{n}", subject_id=str(i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sessions() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        report = audit.verify_chain(s)
    assert len(rows) == 80
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))  # no fork: every row has its own predecessor
    assert report.ok, report.problems


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_the_trigger_refuses_changes(pg_session_for, statement: str) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    with sessions() as s, s.begin():
        audit.record(s, action="test.row", actor="a")
    with sessions() as s, s.begin(), pytest.raises(DBAPIError, match="append-only"):
        s.execute(text(statement))
    with sessions() as s:
        assert audit.verify_chain(s).rows == 1


def test_purge_on_postgres_removes_only_old_rows(pg_session_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _url, sessions = pg_session_for("notify")
    long_ago = utcnow() - timedelta(days=400)
    monkeypatch.setattr(audit_service, "utcnow", lambda: long_ago)
    for i in range(3):
        with sessions() as s, s.begin():
            audit.record(s, action="test.old", actor=f"a{i}")
    monkeypatch.undo()
    with sessions() as s, s.begin():
        young = audit.record(s, action="test.young", actor="b").id
    with sessions() as s, s.begin():
        assert audit.purge(s, older_than_days=183).removed == 3
    with sessions() as s:
        assert audit.verify_chain(s).ok
    # Even with the purge flag set, the trigger keeps a young row.
    with sessions() as s, s.begin(), pytest.raises(DBAPIError, match="append-only"):
        s.execute(text("SELECT set_config('huhang.audit_purge', 'on', true)"))
        s.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": young})


def _verify_cli(service: str, url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env[f"{service.upper()}_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "audit", "verify", "--service", service],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )


def test_verify_command_exits_nonzero_after_tampering(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    url, sessions = pg_session_for("review")
    ids = []
    for i in range(4):
        with sessions() as s, s.begin():
            ids.append(audit.record(s, action="test.row", actor=f"a{i}").id)
    clean = _verify_cli("review", url)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "review: OK; 4 row(s)" in clean.stdout

    # What a superuser could do: switch the guard off, change one row, remove another.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        conn.execute(text("UPDATE audit_log SET outcome = 'denied' WHERE id = :id"), {"id": ids[1]})
        conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[3]})
        conn.execute(text("INSERT INTO audit_log (occurred_at, actor, action, outcome, key_id, prev_hash, hash) "
                          "SELECT now(), 'intruder', 'test.row', 'success', 'v1', hash, repeat('f', 64) "
                          "FROM audit_log WHERE id = :id"), {"id": ids[2]})
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))
    engine.dispose()
    tampered = _verify_cli("review", url)
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    assert f"ALTERED id={ids[1]}" in tampered.stdout
    assert "problem(s)" in tampered.stdout and "intruder" not in tampered.stdout


def test_purge_command_refuses_less_than_six_months(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    url, _sessions = pg_session_for("notify")
    env = dict(os.environ, NOTIFY_DATABASE_URL=url)
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "audit", "purge", "--older-than", "30", "--service", "notify"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0 and "183" in done.stderr


def test_real_services_store_no_plaintext_and_answer_masked(stack: Stack, test_keys: AuthKeys) -> None:
    intake = stack.start_api("intake")
    clerk = test_keys.headers("intake_clerk")
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers=clerk, timeout=10)
    assert created.status_code == 201, created.text
    petition = created.json()
    second = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers=clerk, timeout=10).json()
    assert second["possible_duplicate_of"] == petition["id"]

    # pg_dump-style: every raw column of petitions and audit_log, as text, holds no 18-digit ID.
    engine = create_engine(stack.database_urls["intake"])
    with engine.connect() as conn:
        dump = "\n".join(
            str(tuple(row)) for table in ("petitions", "audit_log", "outbox")
            for row in conn.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - fixed names
        )
    engine.dispose()
    assert petition["id"] in dump
    assert not _ID_PATTERN.search(dump) and PHONE not in dump

    answers = {
        "POST /petitions": created,
        "GET /petitions": requests.get(f"{intake}/api/v1/petitions", headers=clerk, timeout=10),
        "GET /petitions/<id>": requests.get(f"{intake}/api/v1/petitions/{petition['id']}", headers=clerk, timeout=10),
        "POST /petitions/search": requests.post(f"{intake}/api/v1/petitions/search", json={"id_number": ID}, headers=clerk, timeout=10),
        "GET /audit": requests.get(f"{intake}/api/v1/audit/intake", headers=test_keys.headers("auditor"), timeout=10),
    }
    for name, resp in answers.items():
        assert resp.status_code in (200, 201), (name, resp.text)
        assert ID not in resp.text and PHONE not in resp.text, name
    assert "4113**********1236" in answers["GET /petitions/<id>"].text

    revealed = requests.post(
        f"{intake}/api/v1/petitions/{petition['id']}/reveal", json={"reason": "电话回访"}, headers=clerk, timeout=10
    )
    assert revealed.status_code == 200 and revealed.json()["id_number"] == ID
    log = requests.get(
        f"{intake}/api/v1/audit/intake", params={"action": "pii.reveal"}, headers=test_keys.headers("auditor"), timeout=10
    ).json()
    assert [(e["subject_id"], e["outcome"], e["actor"]) for e in log] == [(petition["id"], "success", "t-intake_clerk")]
    assert ID not in str(log)

    # And the API processes' own log lines carry no number in clear.
    assert ID not in (stack.log_dir / "intake-api.log").read_text(errors="replace")
