"""duplicates: 重复件 links from a later petition to the earliest case of its matter

Revision ID: duplicates_0001_links
Revises:
Depends on: petitions_0001_petitions (the links point at petitions)
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'duplicates_0001_links'
down_revision = None
branch_labels = ('duplicates',)
depends_on = 'petitions_0001_petitions'


def upgrade() -> None:
    op.create_table('duplicate_links',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('original_petition_id', sa.String(length=36), nullable=False),
    sa.Column('basis', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('linked_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('split_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('split_by', sa.String(length=100), nullable=True),
    sa.Column('split_reason', sa.String(length=500), nullable=True),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['original_petition_id'], ['petitions.id'], name=op.f('fk_duplicate_links_original_petition_id_petitions')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_duplicate_links_petition_id_petitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_links')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('duplicate_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_links_original_petition_id'), ['original_petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_links_unit_code'), ['unit_code'], unique=False)
        batch_op.create_index('uq_duplicate_links_active_petition', ['petition_id'], unique=True,
                              postgresql_where=sa.text('split_at IS NULL'), sqlite_where=sa.text('split_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('duplicate_links', schema=None) as batch_op:
        batch_op.drop_index('uq_duplicate_links_active_petition')
        batch_op.drop_index(batch_op.f('ix_duplicate_links_unit_code'))
        batch_op.drop_index(batch_op.f('ix_duplicate_links_original_petition_id'))

    op.drop_table('duplicate_links')
