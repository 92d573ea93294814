"""platform: the outbox, inbox and idempotency-key tables every service has

Revision ID: platform_0001_messaging
Revises:
"""
from shared.idempotency.migration_ops import create_idempotency_keys, drop_idempotency_keys
from shared.inbox.migration_ops import create_processed_events, drop_processed_events
from shared.outbox.migration_ops import create_outbox, drop_outbox

revision = "platform_0001_messaging"
down_revision = None
branch_labels = ("platform",)
depends_on = None


def upgrade() -> None:
    create_idempotency_keys()
    create_outbox()
    create_processed_events()


def downgrade() -> None:
    drop_processed_events()
    drop_outbox()
    drop_idempotency_keys()
