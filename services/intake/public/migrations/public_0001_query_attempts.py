"""public: the status query's rate-limit window

Revision ID: public_0001_query_attempts
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'public_0001_query_attempts'
down_revision = None
branch_labels = ('public',)
depends_on = None


def upgrade() -> None:
    op.create_table('status_query_attempts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('attempted_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_query_attempts')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('status_query_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_query_attempts_attempted_at'), ['attempted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_query_attempts_client_key'), ['client_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('status_query_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_query_attempts_client_key'))
        batch_op.drop_index(batch_op.f('ix_status_query_attempts_attempted_at'))

    op.drop_table('status_query_attempts')
