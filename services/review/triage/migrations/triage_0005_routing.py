"""triage: the 分流 decisions (triage_routings) and the queue's filter indexes

Revision ID: triage_0005_routing
Revises: triage_0004_workflow
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'triage_0005_routing'
down_revision = 'triage_0004_workflow'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('triage_routings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('from_unit_code', sa.String(length=40), nullable=True),
    sa.Column('to_unit_code', sa.String(length=40), nullable=True),
    sa.Column('to_organ', sa.String(length=200), nullable=True),
    sa.Column('suggested_unit_code', sa.String(length=40), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.Column('materials', sa.JSON(), nullable=True),
    sa.Column('deadline_id', sa.String(length=36), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_routings')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('triage_routings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_routings_petition_id'), ['petition_id'], unique=False)
    # The queue at 1M items (docs/benchmarks.md): the task force's sort, the per-status counts of a unit.
    op.create_index('ix_triage_items_due', 'triage_items', ['next_due_on', 'id'], unique=False)
    op.create_index('ix_triage_items_unit_status', 'triage_items', ['unit_code', 'status'], unique=False)
    op.create_index('ix_triage_items_handling_status', 'triage_items', ['handling_unit_code', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_triage_items_handling_status', table_name='triage_items')
    op.drop_index('ix_triage_items_unit_status', table_name='triage_items')
    op.drop_index('ix_triage_items_due', table_name='triage_items')
    with op.batch_alter_table('triage_routings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_routings_petition_id'))
    op.drop_table('triage_routings')

