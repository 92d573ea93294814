"""public: the per-number lock after wrong codes (status_query_locks)

Revision ID: public_0002_query_locks
Revises: public_0001_query_attempts
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'public_0002_query_locks'
down_revision = 'public_0001_query_attempts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('status_query_locks',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('period_started_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_status_query_locks')),
    info={'service': 'intake'}
    )


def downgrade() -> None:
    op.drop_table('status_query_locks')
