"""the unit of each petition row (unit scoping, shared/auth)

Revision ID: petitions_0002_units
Revises: petitions_0001_petitions
"""
from alembic import op
import sqlalchemy as sa


revision = 'petitions_0002_units'
down_revision = 'petitions_0001_petitions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_code', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_petitions_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_unit_code'))
        batch_op.drop_column('unit_code')
