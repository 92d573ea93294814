"""units: the unit tree (市院/基层院/部门; 中院/基层法院)

Revision ID: units_0001_units
Revises: 
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'units_0001_units'
down_revision = None
branch_labels = ('units',)
depends_on = None


def upgrade() -> None:
    op.create_table('units',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('receives', sa.String(length=5), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_units')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_parent_code'), ['parent_code'], unique=False)


def downgrade() -> None:
    op.drop_table('units')
