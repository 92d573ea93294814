"""triage: the 事项's workflow columns (分流, 承办, 督办) and the queue's copy of its nearest due date

Revision ID: triage_0004_workflow
Revises: triage_0003_duplicates
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'triage_0004_workflow'
down_revision = 'triage_0003_duplicates'
branch_labels = None
depends_on = ('deadlines_0001_engine',)


def upgrade() -> None:
    with op.batch_alter_table('triage_items') as batch:
        batch.add_column(sa.Column('category', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('enterprise_reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('classified_at', shared.db.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('classified_by', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('enterprise_division', sa.String(length=6), nullable=True))
        batch.add_column(sa.Column('handling_unit_code', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('handler_user_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('handler_name', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('round', sa.Integer(), nullable=False, server_default='1'))
        batch.add_column(sa.Column('supervised', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('missing_rules', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('next_due_on', sa.Date(), nullable=True))
    # The copy starts equal to what the queue computed until now.
    op.execute(
        "UPDATE triage_items SET next_due_on = (SELECT MIN(d.due_on) FROM deadlines d "
        "WHERE d.subject = triage_items.petition_id AND d.status = 'open')"
    )
    op.create_index('ix_triage_items_unit_due', 'triage_items', ['unit_code', 'next_due_on', 'id'], unique=False)
    op.create_index('ix_triage_items_handling_due', 'triage_items', ['handling_unit_code', 'next_due_on', 'id'],
                    unique=False)
    op.create_index('ix_triage_items_status_due', 'triage_items', ['status', 'next_due_on', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_triage_items_status_due', table_name='triage_items')
    op.drop_index('ix_triage_items_handling_due', table_name='triage_items')
    op.drop_index('ix_triage_items_unit_due', table_name='triage_items')
    with op.batch_alter_table('triage_items') as batch:
        for column in ('next_due_on', 'missing_rules', 'supervised', 'round', 'handler_name', 'handler_user_id', 'handling_unit_code',
                       'enterprise_division', 'classified_by', 'classified_at', 'enterprise_reason', 'category'):
            batch.drop_column(column)
