"""attachments: the files of a petition (信访材料), kept in the blob store

Revision ID: attachments_0001_attachments
Revises:
Depends on: petitions_0002_units
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'attachments_0001_attachments'
down_revision = None
branch_labels = ('attachments',)
depends_on = 'petitions_0002_units'


def upgrade() -> None:
    op.create_table('attachments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_attachments_petition_id_petitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('petition_id', 'sha256', name='uq_attachments_petition_id_sha256'),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachments_storage_key')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_unit_code'))
        batch_op.drop_index(batch_op.f('ix_attachments_petition_id'))

    op.drop_table('attachments')
