"""supervision: 跟踪督办 (supervisions, their reports, the escalations of overdue deadlines)

Revision ID: supervision_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'supervision_0001_tables'
down_revision = None
branch_labels = ('supervision',)
depends_on = ('triage_0004_workflow',)


def upgrade() -> None:
    op.create_table('supervisions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('supervising_unit_code', sa.String(length=40), nullable=False),
    sa.Column('supervised_unit_code', sa.String(length=40), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('period_amount', sa.Integer(), nullable=False),
    sa.Column('period_unit', sa.String(length=20), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('sort_due_on', sa.Date(), nullable=False),
    sa.Column('escalated_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('opened_by', sa.String(length=100), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.Column('closed_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=100), nullable=True),
    sa.Column('closed_on_time', sa.Boolean(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisions')),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_supervisions_petition_id'), 'supervisions', ['petition_id'], unique=False)
    op.create_index('ix_supervisions_supervised_due', 'supervisions', ['supervised_unit_code', 'sort_due_on', 'id'],
                    unique=False)
    op.create_index('ix_supervisions_supervising_due', 'supervisions', ['supervising_unit_code', 'sort_due_on', 'id'],
                    unique=False)
    op.create_index('ix_supervisions_state_due', 'supervisions', ['state', 'sort_due_on', 'id'], unique=False)
    op.create_index('ix_supervisions_due', 'supervisions', ['sort_due_on', 'id'], unique=False)

    op.create_table('supervision_reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('supervision_id', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reported_by', sa.String(length=100), nullable=False),
    sa.Column('reported_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_reports')),
    info={'service': 'review'}
    )
    op.create_index('ix_supervision_reports_supervision', 'supervision_reports', ['supervision_id', 'reported_at'],
                    unique=False)

    op.create_table('supervision_escalations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('from_unit_code', sa.String(length=40), nullable=True),
    sa.Column('to_unit_code', sa.String(length=40), nullable=True),
    sa.Column('supervision_id', sa.String(length=36), nullable=True),
    sa.Column('deadline_due_on', sa.Date(), nullable=False),
    sa.Column('escalated_on', sa.Date(), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_escalations')),
    sa.UniqueConstraint('deadline_id', name='uq_supervision_escalations_deadline'),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_supervision_escalations_petition_id'), 'supervision_escalations', ['petition_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_supervision_escalations_petition_id'), table_name='supervision_escalations')
    op.drop_table('supervision_escalations')
    op.drop_index('ix_supervision_reports_supervision', table_name='supervision_reports')
    op.drop_table('supervision_reports')
    for name in ('ix_supervisions_due', 'ix_supervisions_state_due', 'ix_supervisions_supervising_due',
                 'ix_supervisions_supervised_due', op.f('ix_supervisions_petition_id')):
        op.drop_index(name, table_name='supervisions')
    op.drop_table('supervisions')
