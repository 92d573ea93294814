"""platform: the audit log (append-only, hash-chained) every service keeps

Revision ID: platform_0002_audit
Revises: platform_0001_messaging
"""
from shared.audit.migration_ops import create_audit_log, drop_audit_log

revision = "platform_0002_audit"
down_revision = "platform_0001_messaging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_log()


def downgrade() -> None:
    drop_audit_log()
