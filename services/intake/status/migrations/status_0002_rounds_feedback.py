"""status: the round of a step (a reopened matter), and the petitioner's 评价 per round

Revision ID: status_0002_rounds_feedback
Revises: status_0001_read_model
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'status_0002_rounds_feedback'
down_revision = 'status_0001_read_model'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('status_steps') as batch:
        batch.add_column(sa.Column('round', sa.Integer(), nullable=True))
    op.create_table(
        'status_feedback',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('subject_id', sa.String(length=64), nullable=False),
        sa.Column('case_number', sa.String(length=60), nullable=True),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('rating', sa.String(length=20), nullable=False),
        sa.Column('reasons', sa.String(length=2000), nullable=True),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('submitted_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('recorded', sa.Boolean(), nullable=False),
        sa.Column('source_event_id', sa.String(length=36), nullable=True),
        sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_status_feedback')),
        sa.UniqueConstraint('subject_id', 'round', name='uq_status_feedback_subject_round'),
    )


def downgrade() -> None:
    op.drop_table('status_feedback')
    with op.batch_alter_table('status_steps') as batch:
        batch.drop_column('round')
