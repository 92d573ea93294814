"""the owning unit of a deadline (scoping) and the deadline a 12309 monthly follow-up continues

Existing rows get the unit of the triage item of their subject (a petition id); rows whose
subject is no triage item's petition keep NULL, which only the task force sees.

Revision ID: deadlines_0002_units_followups
Revises: deadlines_0001_engine
Depends on: triage_0002_units (triage_items.unit_code, read by the backfill)
"""
from alembic import op
import sqlalchemy as sa


revision = 'deadlines_0002_units_followups'
down_revision = 'deadlines_0001_engine'
branch_labels = None
depends_on = 'triage_0002_units'


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_code', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('follows_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_deadlines_unit_code'), ['unit_code'], unique=False)
        batch_op.create_index('ix_deadlines_follows_id', ['follows_id'], unique=True)
    # Backfill: a petition's deadlines belong to the unit of its triage item.
    op.execute(
        "UPDATE deadlines SET unit_code = ("
        " SELECT triage_items.unit_code FROM triage_items WHERE triage_items.petition_id = deadlines.subject"
        ") WHERE unit_code IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_follows_id')
        batch_op.drop_index(batch_op.f('ix_deadlines_unit_code'))
        batch_op.drop_column('follows_id')
        batch_op.drop_column('unit_code')
