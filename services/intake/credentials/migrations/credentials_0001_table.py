"""credentials: public_credentials (argon2id hashes of 查询码 and access codes)

Revision ID: credentials_0001_table
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'credentials_0001_table'
down_revision = None
branch_labels = ('credentials',)
depends_on = None


def upgrade() -> None:
    op.create_table('public_credentials',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('lookup_key', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=200), nullable=False),
    sa.Column('issued_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('revoked_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_credentials')),
    info={'service': 'intake'}
    )
    op.create_index('ix_public_credentials_lookup', 'public_credentials', ['kind', 'lookup_key'], unique=False)
    op.create_index('uq_public_credentials_active', 'public_credentials', ['kind', 'subject_id'], unique=True,
                    postgresql_where=sa.text('revoked_at IS NULL'), sqlite_where=sa.text('revoked_at IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_public_credentials_active', table_name='public_credentials')
    op.drop_index('ix_public_credentials_lookup', table_name='public_credentials')
    op.drop_table('public_credentials')
