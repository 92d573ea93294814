"""inbox: per-person read marks of staff-inbox notices

Revision ID: inbox_0001_reads
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'inbox_0001_reads'
down_revision = None
branch_labels = ('inbox',)
# The foreign key needs the deliveries table.
depends_on = 'deliveries_0001_deliveries'


def upgrade() -> None:
    op.create_table('inbox_reads',
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('delivery_id', sa.String(length=36), nullable=False),
    sa.Column('read_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_inbox_reads_delivery_id_deliveries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('username', 'delivery_id', name=op.f('pk_inbox_reads')),
    info={'service': 'notify'}
    )


def downgrade() -> None:
    op.drop_table('inbox_reads')
