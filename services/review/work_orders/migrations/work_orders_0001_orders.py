"""work_orders: 12368 工单, their transfers and escalations

Revision ID: work_orders_0001_orders
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'work_orders_0001_orders'
down_revision = None
branch_labels = ('work_orders',)
depends_on = ('triage_0004_workflow',)


def upgrade() -> None:
    op.create_table('work_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('related_case_number', sa.String(length=60), nullable=False),
    sa.Column('origin_unit_code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('is_green_channel', sa.Boolean(), nullable=False),
    sa.Column('green_source', sa.String(length=12), nullable=True),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('assignee_user_id', sa.String(length=36), nullable=True),
    sa.Column('assignee_name', sa.String(length=100), nullable=True),
    sa.Column('owner_unit_code', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('assignment', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('reply_delivery', sa.String(length=12), nullable=True),
    sa.Column('replied_by', sa.String(length=100), nullable=True),
    sa.Column('replied_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('replied_on_time', sa.Boolean(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_orders')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index('ix_work_orders_assignee_status', ['assignee_user_id', 'status'], unique=False)
        batch_op.create_index('ix_work_orders_owner_status', ['owner_unit_code', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_orders_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index('ix_work_orders_unit_status', ['unit_code', 'status'], unique=False)

    op.create_table('work_order_escalations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('assignment', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('to_unit_code', sa.String(length=40), nullable=False),
    sa.Column('missed_deadline_id', sa.String(length=36), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('escalated_on', sa.Date(), nullable=False),
    sa.Column('escalated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['work_orders.id'], name=op.f('fk_work_order_escalations_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_escalations')),
    sa.UniqueConstraint('order_id', 'assignment', 'level', name='uq_work_order_escalations_once'),
    info={'service': 'review'}
    )
    with op.batch_alter_table('work_order_escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_order_escalations_order_id'), ['order_id'], unique=False)

    op.create_table('work_order_transfers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('from_unit_code', sa.String(length=40), nullable=False),
    sa.Column('from_assignee_name', sa.String(length=100), nullable=True),
    sa.Column('to_unit_code', sa.String(length=40), nullable=False),
    sa.Column('to_assignee_user_id', sa.String(length=36), nullable=True),
    sa.Column('to_assignee_name', sa.String(length=100), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('restarted', sa.Boolean(), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=True),
    sa.Column('transferred_by', sa.String(length=100), nullable=False),
    sa.Column('transferred_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['work_orders.id'], name=op.f('fk_work_order_transfers_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_order_transfers')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('work_order_transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_order_transfers_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('work_order_transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_transfers_order_id'))

    op.drop_table('work_order_transfers')
    with op.batch_alter_table('work_order_escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_order_escalations_order_id'))

    op.drop_table('work_order_escalations')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_work_orders_unit_status')
        batch_op.drop_index(batch_op.f('ix_work_orders_petition_id'))
        batch_op.drop_index('ix_work_orders_owner_status')
        batch_op.drop_index('ix_work_orders_assignee_status')

    op.drop_table('work_orders')
