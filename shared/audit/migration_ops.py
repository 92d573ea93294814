"""Alembic operations that create the audit_log table and its append-only guard, and later change them.

Called by the platform revisions platform_0002_audit and platform_0003_audit_sequencer
(shared/db/platform_migrations).  Treat each revision's operations as frozen: a later change to
the table is a new migration with operations of its own, never an edit of those here (it would
not re-run where the revision already ran).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import shared.db.base

# On PostgreSQL: UPDATE and TRUNCATE always refused; DELETE only by `purge` (which sets the
# transaction-local flag) and only of rows older than the legal minimum.  This stops mistakes and
# the application's own role; a superuser can still disable it, which the hash chain catches.
_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('huhang.audit_purge', true) = 'on'
       AND OLD.occurred_at < now() - interval '183 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""
_GUARD_ROW = (
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
)
_GUARD_TRUNCATE = (
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
)


def create_audit_log() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("occurred_at", shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("actor_unit", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.String(length=200), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("client_addr", sa.String(length=64), nullable=True),
        sa.Column("trace_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
        info={"service": "*"},
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action_time", ["action", "occurred_at"], unique=False)
        batch_op.create_index("ix_audit_log_actor_time", ["actor", "occurred_at"], unique=False)
        batch_op.create_index("ix_audit_log_subject", ["subject_type", "subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_occurred_at"), ["occurred_at"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_GUARD_FUNCTION)
        op.execute(_GUARD_ROW)
        op.execute(_GUARD_TRUNCATE)


def drop_audit_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("audit_log")


# --- platform_0003_audit_sequencer: rows sealed at write, linked after commit by the sequencer ----
#
# The guard as of platform_0003: a row is inserted sealed (row_mac) and unlinked; the one UPDATE
# allowed sets its link (seq, prev_hash, hash) from NULL to values and changes nothing else (the
# sequencer's); DELETE only by `purge`, only of chained rows older than the legal minimum.  The
# statement-level checks are nested so OLD/NEW are only read where the operation has them.
_SEQUENCED_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.row_mac IS NOT NULL AND NEW.seq IS NULL AND NEW.prev_hash IS NULL AND NEW.hash IS NULL THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: INSERT of an unsealed or already linked row refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash'] = to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] THEN
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF current_setting('huhang.audit_purge', true) = 'on'
           AND OLD.seq IS NOT NULL
           AND OLD.occurred_at < now() - interval '183 days' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""
_SEQUENCED_GUARD_ROW = (
    "CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
)


def add_audit_sequencing() -> None:
    """Columns of the sealed, sequenced chain; rows already there keep their chain (seq = id)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # The backfill below updates every row, which the old guard refuses; the new guard follows.
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("txid", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("nonce", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("row_mac", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=True)
    # Id order was chain order (ids were taken under the chain lock), and these rows are older than
    # any transaction to come: txid 0 puts them first in commit-safe order too.
    op.execute("UPDATE audit_log SET seq = id, txid = 0")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("txid", existing_type=sa.BigInteger(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_seq"), ["seq"])
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_row_mac"), ["row_mac"])
        batch_op.create_index(
            "ix_audit_log_unchained", ["txid", "id"], unique=False,
            postgresql_where=sa.text("seq IS NULL"), sqlite_where=sa.text("seq IS NULL"),
        )
    if postgres:
        op.execute(_SEQUENCED_GUARD_FUNCTION)
        op.execute(_SEQUENCED_GUARD_ROW)


def remove_audit_sequencing() -> None:
    """Back to one hash per row, chained in id order: every sealed row is re-hashed in the old form.

    Needs the audit key (as the upgrade of personal data needs the PII keys), and refuses when the
    log does not verify, so a downgrade never launders a tampered row into a valid old-form chain.
    Writers are kept out meanwhile (PostgreSQL: an exclusive lock on the table until commit).
    """
    from shared.audit.chain import GENESIS, compute_hash_v1, verify

    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    rows = [_LogRow(**dict(r._mapping)) for r in bind.execute(sa.select(_LOG))]
    report = verify(rows)
    if not report.ok:
        raise RuntimeError(
            f"audit_log does not verify ({len(report.problems)} problem(s); first: {report.problems[0].message}): "
            "refusing to re-hash it into the old form; run `huhang audit verify` and investigate first"
        )
    chained = sorted((r for r in rows if r.seq is not None), key=lambda r: r.seq or 0)
    start = chained[0].prev_hash if chained else GENESIS  # GENESIS, or a purge's anchor
    previous: str | None = None
    # The old code walks in id order; rows in the old form come first (their ids are older) and stay.
    for row in sorted(rows, key=lambda r: r.id):
        if row.row_mac is not None:
            row.prev_hash = previous if previous is not None else start
            row.hash = compute_hash_v1(row)
            bind.execute(sa.update(_LOG).where(_LOG.c.id == row.id).values(prev_hash=row.prev_hash, hash=row.hash))
        previous = row.hash
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_unchained")
        batch_op.drop_constraint(batch_op.f("uq_audit_log_row_mac"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_audit_log_seq"), type_="unique")
        batch_op.drop_column("seq")
        batch_op.drop_column("row_mac")
        batch_op.drop_column("nonce")
        batch_op.drop_column("txid")
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
    if postgres:
        op.execute(_GUARD_FUNCTION)
        op.execute(_GUARD_ROW)


# The columns the downgrade reads, typed as the chain needs them (not the live model: it moves on).
_LOG = sa.table(
    "audit_log",
    *(sa.column(name, sa.String()) for name in (
        "actor", "actor_unit", "action", "outcome", "subject_type", "subject_id", "client_addr", "trace_id",
        "key_id", "nonce", "row_mac", "prev_hash", "hash",
    )),
    sa.column("id", sa.BigInteger()),
    sa.column("occurred_at", shared.db.base.UTCDateTime(timezone=True)),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("detail", sa.JSON()),
    sa.column("txid", sa.BigInteger()),
    sa.column("seq", sa.BigInteger()),
)


@dataclass
class _LogRow:
    """One audit row as the downgrade reads it (fits shared.audit.chain.ChainRow)."""

    id: int
    occurred_at: datetime
    actor: str
    actor_unit: str | None
    action: str
    outcome: str
    subject_type: str | None
    subject_id: str | None
    before: Any
    after: Any
    client_addr: str | None
    trace_id: str | None
    detail: Any
    key_id: str
    txid: int
    nonce: str | None
    row_mac: str | None
    seq: int | None
    prev_hash: str | None
    hash: str | None
