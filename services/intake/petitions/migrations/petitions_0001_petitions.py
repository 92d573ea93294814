"""petitions: the petitions table and the case-number allocations

Revision ID: petitions_0001_petitions
Revises: 
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'petitions_0001_petitions'
down_revision = None
branch_labels = ('petitions',)
depends_on = None


def upgrade() -> None:
    op.create_table('case_number_allocations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('line', sa.String(length=5), nullable=False),
    sa.Column('allocated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_number_allocations')),
    info={'service': 'intake'}
    )
    op.create_table('petitions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('line', sa.String(length=5), nullable=False),
    sa.Column('channel', sa.String(length=1), nullable=False),
    sa.Column('petition_type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('petitioner_name', sa.String(length=100), nullable=False),
    sa.Column('petitioner_id_number', sa.String(length=18), nullable=True),
    sa.Column('petitioner_phone', sa.String(length=20), nullable=True),
    sa.Column('petitioner_address', sa.String(length=300), nullable=True),
    sa.Column('is_enterprise', sa.Boolean(), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=True),
    sa.Column('enterprise_credit_code', sa.String(length=18), nullable=True),
    sa.Column('claim', sa.Text(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('received_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('registered_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions')),
    sa.UniqueConstraint('case_number', name=op.f('uq_petitions_case_number')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_enterprise_credit_code'), ['enterprise_credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_received_on'), ['received_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_received_on'))
        batch_op.drop_index(batch_op.f('ix_petitions_enterprise_credit_code'))

    op.drop_table('petitions')
    op.drop_table('case_number_allocations')
