"""status: the public timeline's read model (status_steps, status_deadlines)

Revision ID: status_0001_read_model
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'status_0001_read_model'
down_revision = None
branch_labels = ('status',)
depends_on = None


def upgrade() -> None:
    op.create_table('status_steps',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=True),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_steps')),
    sa.UniqueConstraint('subject_id', 'step', name='uq_status_steps_subject_step'),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('status_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_steps_subject_id'), ['subject_id'], unique=False)

    op.create_table('status_deadlines',
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=True),
    sa.Column('rule_code', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('follows_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('overdue', sa.Boolean(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('deadline_id', name=op.f('pk_status_deadlines')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('status_deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_deadlines_subject_id'), ['subject_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('status_deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_deadlines_subject_id'))
    op.drop_table('status_deadlines')
    with op.batch_alter_table('status_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_steps_subject_id'))
    op.drop_table('status_steps')
