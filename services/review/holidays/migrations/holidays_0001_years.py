"""holidays: stored 国务院办公厅 放假安排 years

Revision ID: holidays_0001_years
Revises: 
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'holidays_0001_years'
down_revision = None
branch_labels = ('holidays',)
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sa.String(length=400), nullable=False),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('imported_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years')),
    info={'service': 'review'}
    )


def downgrade() -> None:
    op.drop_table('calendar_years')
