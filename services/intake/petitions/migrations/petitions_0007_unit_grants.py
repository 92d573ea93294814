"""petitions: petition_unit_grants — the units review 交办'd or 移送'd a petition to may read it

Revision ID: petitions_0007_unit_grants
Revises: petitions_0006_full_record
"""
from alembic import op
import sqlalchemy as sa

import shared.db.base

revision = 'petitions_0007_unit_grants'
down_revision = 'petitions_0006_full_record'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('petition_unit_grants',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('granted_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_unit_grants')),
    sa.UniqueConstraint('petition_id', 'unit_code', name='uq_petition_unit_grants_petition_unit'),
    )
    op.create_index(op.f('ix_petition_unit_grants_unit_code'), 'petition_unit_grants', ['unit_code'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_petition_unit_grants_unit_code'), table_name='petition_unit_grants')
    op.drop_table('petition_unit_grants')
