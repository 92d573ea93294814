"""feedback: 考评反馈 (one 评价 per handling round) and the handling rounds

Revision ID: feedback_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'feedback_0001_tables'
down_revision = None
branch_labels = ('feedback',)
depends_on = ('triage_0004_workflow',)


def _stamps() -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
            sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'feedbacks',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('petition_id', sa.String(length=36), nullable=False),
        sa.Column('case_number', sa.String(length=40), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=True),
        sa.Column('rating', sa.String(length=20), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=True),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('method', sa.String(length=20), nullable=True),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.Column('recorded_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('source_event_id', sa.String(length=36), nullable=True),
        sa.Column('decision', sa.String(length=10), nullable=True),
        sa.Column('decided_by', sa.String(length=100), nullable=True),
        sa.Column('decided_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedbacks')),
        sa.UniqueConstraint('petition_id', 'round', name='uq_feedbacks_petition_round'),
    )
    op.create_index('ix_feedbacks_unit_recorded', 'feedbacks', ['unit_code', 'recorded_at'], unique=False)
    op.create_table(
        'handling_rounds',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('petition_id', sa.String(length=36), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=True),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('feedback_id', sa.String(length=36), nullable=True),
        sa.Column('deadline_id', sa.String(length=36), nullable=True),
        sa.Column('replied_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('closed_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column('close_reason', sa.Text(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedbacks.id'], name=op.f('fk_handling_rounds_feedback_id_feedbacks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_handling_rounds')),
        sa.UniqueConstraint('petition_id', 'round', name='uq_handling_rounds_petition_round'),
    )
    op.create_index('ix_handling_rounds_unit_replied', 'handling_rounds', ['unit_code', 'replied_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_handling_rounds_unit_replied', table_name='handling_rounds')
    op.drop_table('handling_rounds')
    op.drop_index('ix_feedbacks_unit_recorded', table_name='feedbacks')
    op.drop_table('feedbacks')
