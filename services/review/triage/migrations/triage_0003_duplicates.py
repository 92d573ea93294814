"""triage: 重复件 filed under the original case's item (petition.received with duplicate_of)

Revision ID: triage_0003_duplicates
Revises: triage_0002_units
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'triage_0003_duplicates'
down_revision = 'triage_0002_units'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('triage_duplicates',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('original_petition_id', sa.String(length=36), nullable=False),
    sa.Column('original_case_number', sa.String(length=40), nullable=True),
    sa.Column('channel', sa.String(length=1), nullable=False),
    sa.Column('summary', sa.String(length=400), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('split_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_duplicates')),
    sa.UniqueConstraint('petition_id', name=op.f('uq_triage_duplicates_petition_id')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('triage_duplicates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_duplicates_original_petition_id'), ['original_petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_triage_duplicates_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('triage_duplicates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_duplicates_unit_code'))
        batch_op.drop_index(batch_op.f('ix_triage_duplicates_original_petition_id'))

    op.drop_table('triage_duplicates')
