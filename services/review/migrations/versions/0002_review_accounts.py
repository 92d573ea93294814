"""units, staff accounts and web sessions of review; the unit of triage items

Revision ID: 0002_review_accounts
Revises: 0001_review
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = '0002_review_accounts'
down_revision = '0001_review'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('units',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=40), nullable=True),
    sa.Column('receives', sa.String(length=5), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_units')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_parent_code'), ['parent_code'], unique=False)

    op.create_table('staff_accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('password_changed_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('totp_secret_enc', sa.Text(), nullable=True),
    sa.Column('totp_last_step', sa.BigInteger(), nullable=True),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('last_sign_in_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_accounts')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_accounts_username')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_accounts_unit_code'), ['unit_code'], unique=False)

    op.create_table('web_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_account_id'), ['account_id'], unique=False)

    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_code', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_triage_items_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('triage_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_items_unit_code'))
        batch_op.drop_column('unit_code')
    op.drop_table('web_sessions')
    op.drop_table('staff_accounts')
    op.drop_table('units')
