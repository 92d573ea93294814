"""deliveries: the delivery state machine: pending/sent/failed, attempts, next attempt, and the attempt log

Rows written before the dispatcher
said `delivered`; they were in the staff inbox already, so they become `sent` (and back on
downgrade).

Revision ID: deliveries_0003_delivery_states
Revises: deliveries_0002_units
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'deliveries_0003_delivery_states'
down_revision = 'deliveries_0002_units'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', shared.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', shared.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('trace_id', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_deliveries_due', ['status', 'next_attempt_at'], unique=False)
    # Delivered to the inbox when they were written: sent, at that moment, in one try.
    op.execute(
        "UPDATE deliveries SET status = 'sent', sent_at = created_at, attempts = 1 WHERE status = 'delivered'"
    )

    op.create_table('delivery_attempts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('delivery_id', sa.String(length=36), nullable=False),
    sa.Column('attempt_no', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('dispatcher', sa.String(length=100), nullable=False),
    sa.Column('started_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('retry_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_delivery_attempts_delivery_id_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempts')),
    sa.UniqueConstraint('delivery_id', 'attempt_no', name='uq_delivery_attempts_delivery_attempt_no'),
    info={'service': 'notify'}
    )
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempts_delivery_id'), ['delivery_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempts_delivery_id'))
    op.drop_table('delivery_attempts')

    # The old code knew one status; pending and failed rows keep theirs (it never reads them).
    op.execute("UPDATE deliveries SET status = 'delivered' WHERE status = 'sent'")
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_deliveries_due')
        batch_op.drop_column('trace_id')
        batch_op.drop_column('last_error')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
