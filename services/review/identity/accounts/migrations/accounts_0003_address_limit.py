"""accounts: failed sign-ins per client address (the limit on credential stuffing across accounts)

Revision ID: accounts_0003_address_limit
Revises: accounts_0002_must_change_pw
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'accounts_0003_address_limit'
down_revision = 'accounts_0002_must_change_pw'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_failures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('failed_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    op.create_index(op.f('ix_sign_in_failures_client_key'), 'sign_in_failures', ['client_key'], unique=False)
    op.create_index(op.f('ix_sign_in_failures_failed_at'), 'sign_in_failures', ['failed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sign_in_failures_failed_at'), table_name='sign_in_failures')
    op.drop_index(op.f('ix_sign_in_failures_client_key'), table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
