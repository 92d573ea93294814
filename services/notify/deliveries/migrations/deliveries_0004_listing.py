"""deliveries: an index for the newest-first lists of the pages (keyset paging on created_at, id)

Revision ID: deliveries_0004_listing
Revises: deliveries_0003_delivery_states
"""
from alembic import op


revision = 'deliveries_0004_listing'
down_revision = 'deliveries_0003_delivery_states'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_deliveries_listing', ['created_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_listing')
