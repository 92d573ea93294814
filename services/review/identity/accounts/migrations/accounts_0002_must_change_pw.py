"""accounts: must_change_password (an administrator's reset leaves a temporary password)

Revision ID: accounts_0002_must_change_pw
Revises: accounts_0001_accounts_sessions
"""
from alembic import op
import sqlalchemy as sa


revision = 'accounts_0002_must_change_pw'
down_revision = 'accounts_0001_accounts_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_accounts') as batch:
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('staff_accounts') as batch:
        batch.drop_column('must_change_password')
