"""Producer settings against the real broker, and migrations on a real PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaProducer
from kafka.errors import KafkaConfigurationError
from sqlalchemy import create_engine, inspect

from shared.config import KafkaSettings
from shared.kafka.producer import make_producer
from tests.support.infra import Databases

REPO = Path(__file__).resolve().parents[2]


def test_our_producer_is_idempotent_with_acks_all(kafka_settings: KafkaSettings) -> None:
    producer = make_producer(kafka_settings)
    try:
        assert producer.config["enable_idempotence"] is True
        assert producer.config["acks"] in ("all", -1)
    finally:
        producer.close(timeout=5)


def test_a_conflicting_setting_raises_instead_of_silently_dropping_idempotence(kafka_settings: KafkaSettings) -> None:
    with pytest.raises(KafkaConfigurationError):
        make_producer(kafka_settings, acks=1)
    # The trap we avoid: left at its default, the same conflict turns idempotence off quietly.
    quiet = KafkaProducer(bootstrap_servers=kafka_settings.bootstrap_servers.split(","), acks=1)
    try:
        assert quiet.config["enable_idempotence"] is False
    finally:
        quiet.close(timeout=5)


EXPECTED_TABLES = {
    "intake": {"petitions", "case_number_counters", "outbox", "processed_events", "idempotency_keys"},
    "review": {"triage_items", "units", "staff_accounts", "web_sessions", "outbox", "processed_events", "idempotency_keys"},
    "notify": {"deliveries", "outbox", "processed_events", "idempotency_keys"},
}
# The deadline engine (services/review/deadlines, holidays).
EXPECTED_TABLES["review"] |= {
    "deadline_rules", "deadlines", "deadline_events", "deadline_suspensions", "deadline_extensions",
    "deadline_notices", "calendar_years",
}

# The delivery state machine (notify 0004): the attempt log.
EXPECTED_TABLES["notify"] |= {"delivery_attempts"}
# The public timeline's read model (intake status), the per-number lock (intake public), the
# in-person enterprise checks (intake enterprises).
EXPECTED_TABLES["intake"] |= {"status_steps", "status_deadlines", "status_query_locks", "enterprise_verifications"}
# The portal's domains: each person's read marks (notify inbox), the public status query's
# per-address window (intake public).
EXPECTED_TABLES["notify"] |= {"inbox_reads"}
EXPECTED_TABLES["intake"] |= {"status_query_attempts"}
# Intake's credentials (argon2id hashes of 查询码).
EXPECTED_TABLES["intake"] |= {"public_credentials"}
# Issue 9: the whole record (visit representatives), 信访材料, 重复件, 涉企 court cases.
EXPECTED_TABLES["intake"] |= {"petition_representatives", "attachments", "duplicate_links", "court_cases",
                              "court_case_parties", "court_green_channel_decisions", "court_fee_relief_applications"}
EXPECTED_TABLES["review"] |= {"triage_duplicates"}
# Issue 10: 跟踪督办 (services/review/supervision).
EXPECTED_TABLES["review"] |= {"supervisions", "supervision_reports", "supervision_escalations"}
# Issue 11: 羁押必要性审查 (services/review/cases/custody).
EXPECTED_TABLES["review"] |= {"custody_reviews", "custody_review_measures", "custody_review_grounds",
                              "custody_review_corrections", "custody_review_documents", "custody_register",
                              "custody_mandatory_triggers"}
# Issue 10: 分流 decisions, 审查办理, 考评反馈, 12368 工单; the public 评价 in intake.
EXPECTED_TABLES["review"] |= {"triage_routings", "handling_entries", "handling_replies", "handling_rounds", "feedbacks",
                              "work_orders", "work_order_transfers", "work_order_escalations"}
EXPECTED_TABLES["intake"] |= {"status_feedback"}
# Issue 16: failed sign-ins per client address.
EXPECTED_TABLES["review"] |= {"sign_in_failures"}
EXPECTED_TABLES["review"] |= {"leniency_lists", "leniency_checks", "leniency_punishments", "leniency_recommendations"}
EXPECTED_TABLES["review"] |= {"dishonesty_listings", "dishonesty_consumption_orders", "dishonesty_corrections",
                              "dishonesty_reconsiderations", "dishonesty_certificates", "dishonesty_verify_attempts"}
# The units review routed a petition to, which may read it (services/intake/petitions/grants.py).
EXPECTED_TABLES["intake"] |= {"petition_unit_grants"}
# Issue 13: notify's public notices (书面通知) with their documents (deliveries 0005).
EXPECTED_TABLES["notify"] |= {"public_notices", "contact_opt_outs"}
# Issue 11: 涉企挂案 (services/review/cases/hanging).
EXPECTED_TABLES["review"] |= {"hanging_cases", "hanging_case_suspects", "hanging_case_measures", "hanging_case_property",
                              "hanging_case_imports"}
# Issue 11: 挂案清理 (services/review/cases/clearance).
EXPECTED_TABLES["review"] |= {"hanging_clearance_flags", "hanging_clearance_actions", "hanging_clearance_outcomes",
                              "hanging_clearance_campaigns", "hanging_clearance_campaign_units", "hanging_clearance_scans"}

# Columns added to an existing table by a later revision (review 0004: a deadline's unit, its follow-up link;
# notify 0004: a delivery's attempts and schedule).
EXPECTED_COLUMNS = {
    "review": {"deadlines": {"unit_code", "follows_id"}, "triage_items": {"unit_code"}},
    "notify": {"deliveries": {"attempts", "next_attempt_at", "sent_at", "last_error", "trace_id"}},
}
# Issue 13 (notify deliveries 0005): what a delivery of a public notice proves.
EXPECTED_COLUMNS["notify"]["deliveries"] |= {"notice_id", "mandatory", "opt_out_ignored", "contact_enc", "body_html",
                                            "document_sha256"}

# The audit log is in every service's database (shared/audit), sealed and sequenced since platform_0003.
for _service, _tables in EXPECTED_TABLES.items():
    _tables.add("audit_log")
    EXPECTED_COLUMNS.setdefault(_service, {})["audit_log"] = {"txid", "nonce", "row_mac", "seq", "prev_hash", "hash"}


def _upgrade_cli(env_extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")} | env_extra
    done = subprocess.run(
        [sys.executable, "-m", "services.cli", "db", "upgrade"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_db_upgrade_on_postgresql_creates_each_services_own_tables(databases: Databases) -> None:
    import uuid

    from sqlalchemy import text

    suffix = uuid.uuid4().hex[:8]
    names = {svc: f"m_{svc}_{suffix}" for svc in EXPECTED_TABLES}
    with databases.admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    databases.created.extend(names.values())
    template = databases.infra.database_url(f"m_{{service}}_{suffix}")
    out = _upgrade_cli({"DATABASE_URL": template})
    out += _upgrade_cli({"DATABASE_URL": template})  # a second run is a no-op
    assert out.count("up to date") == 6
    for svc, name in names.items():
        engine = create_engine(databases.infra.database_url(name))
        tables = set(inspect(engine).get_table_names())
        columns = {t: {c["name"] for c in inspect(engine).get_columns(t)} for t in EXPECTED_COLUMNS.get(svc, {})}
        engine.dispose()
        assert tables == EXPECTED_TABLES[svc] | {f"alembic_version_{svc}"}
        for table, names in EXPECTED_COLUMNS.get(svc, {}).items():
            assert names <= columns[table], (svc, table)


def test_db_upgrade_on_sqlite(tmp_path: Path) -> None:
    _upgrade_cli({"HUHANG_VAR": str(tmp_path)})
    for svc, expected in EXPECTED_TABLES.items():
        engine = create_engine(f"sqlite:///{tmp_path / f'{svc}.db'}")
        assert set(inspect(engine).get_table_names()) == expected | {f"alembic_version_{svc}"}
        for table, names in EXPECTED_COLUMNS.get(svc, {}).items():
            assert names <= {c["name"] for c in inspect(engine).get_columns(table)}, (svc, table)
        engine.dispose()


def test_concurrent_upgrades_of_one_database_both_succeed(databases: Databases) -> None:
    """Two pods migrating at once: one waits on the advisory lock, then finds nothing to do."""
    import uuid

    from sqlalchemy import text

    name = f"c_review_{uuid.uuid4().hex[:8]}"
    with databases.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    databases.created.append(name)
    url = databases.infra.database_url(name)
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")} | {"REVIEW_DATABASE_URL": url}
    # Separate processes, as pods are (Alembic's context is process-global, so threads would not do).
    procs = [
        subprocess.Popen([sys.executable, "-m", "services.cli", "db", "upgrade", "--service", "review"],
                         cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err[-2000:] for _, err in results]
    engine = create_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"triage_items", "deadlines", "staff_accounts", "audit_log"} <= tables
