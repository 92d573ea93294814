"""audit log of notify (append-only, hash-chained)

Revision ID: 0003_notify_audit
Revises: 0001_notify
"""
from shared.audit.migration_ops import create_audit_log, drop_audit_log

revision = '0003_notify_audit'
down_revision = '0001_notify'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_log()


def downgrade() -> None:
    drop_audit_log()
