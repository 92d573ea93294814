"""triage: the triage queue (受理分流)

Revision ID: triage_0001_items
Revises: 
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'triage_0001_items'
down_revision = None
branch_labels = ('triage',)
depends_on = None


def upgrade() -> None:
    op.create_table('triage_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('line', sa.String(length=5), nullable=False),
    sa.Column('channel', sa.String(length=1), nullable=False),
    sa.Column('petition_type', sa.String(length=20), nullable=False),
    sa.Column('is_enterprise', sa.Boolean(), nullable=False),
    sa.Column('petitioner_masked', sa.String(length=100), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_items')),
    sa.UniqueConstraint('petition_id', name=op.f('uq_triage_items_petition_id')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_items_received_on'), ['received_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_items_received_on'))

    op.drop_table('triage_items')
