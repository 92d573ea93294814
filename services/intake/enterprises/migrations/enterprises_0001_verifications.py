"""enterprises: enterprise_verifications (in-person checks that issue an enterprise access code)

Revision ID: enterprises_0001_verifications
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'enterprises_0001_verifications'
down_revision = None
branch_labels = ('enterprises',)
depends_on = None


def upgrade() -> None:
    op.create_table('enterprise_verifications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('licence_number', sa.String(length=40), nullable=False),
    sa.Column('licence_issued_on', sa.Date(), nullable=False),
    sa.Column('representative_name', sa.String(length=100), nullable=False),
    sa.Column('representative_id_number_enc', sa.String(length=120), nullable=False),  # ciphertext (shared/pii)
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('verified_by', sa.String(length=100), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('verified_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('credential_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_verifications')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('enterprise_verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_verifications_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_verifications_unit_code'), ['unit_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('enterprise_verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_verifications_unit_code'))
        batch_op.drop_index(batch_op.f('ix_enterprise_verifications_credit_code'))
    op.drop_table('enterprise_verifications')
