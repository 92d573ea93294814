"""triage: the unit of each triage item (unit scoping, shared/auth)

Revision ID: triage_0002_units
Revises: triage_0001_items
"""
from alembic import op
import sqlalchemy as sa


revision = 'triage_0002_units'
down_revision = 'triage_0001_items'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_code', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_triage_items_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_items_unit_code'))
        batch_op.drop_column('unit_code')
