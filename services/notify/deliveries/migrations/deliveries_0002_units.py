"""the unit of each deliverie row (unit scoping, shared/auth)

Revision ID: deliveries_0002_units
Revises: deliveries_0001_deliveries
"""
from alembic import op
import sqlalchemy as sa


revision = 'deliveries_0002_units'
down_revision = 'deliveries_0001_deliveries'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_code', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_deliveries_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_unit_code'))
        batch_op.drop_column('unit_code')
