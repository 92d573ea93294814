"""court_cases: flagged court cases, their parties, the 立案绿色通道 decision and 诉讼费 relief applications

Revision ID: court_cases_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'court_cases_0001_tables'
down_revision = None
branch_labels = ('court_cases',)
depends_on = None


def upgrade() -> None:
    op.create_table('court_cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=64), nullable=False),
    sa.Column('court_code', sa.String(length=16), nullable=False),
    sa.Column('type_code', sa.String(length=16), nullable=False),
    sa.Column('case_type', sa.String(length=4), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('flagged_by', sa.String(length=100), nullable=False),
    sa.Column('flagged_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('flagged_on', sa.Date(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('filed_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_court_cases')),
    sa.UniqueConstraint('case_number', name=op.f('uq_court_cases_case_number')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('court_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_court_cases_flagged_on'), ['flagged_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_court_cases_unit_code'), ['unit_code'], unique=False)

    op.create_table('court_case_parties',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('court_case_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('id_number_enc', sa.String(length=120), nullable=True),
    sa.Column('id_number_bidx', sa.String(length=64), nullable=True),
    sa.Column('enterprise_size', sa.String(length=4), nullable=True),
    sa.Column('ownership', sa.String(length=12), nullable=True),
    sa.ForeignKeyConstraint(['court_case_id'], ['court_cases.id'], name=op.f('fk_court_case_parties_court_case_id_court_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_court_case_parties')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('court_case_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_court_case_parties_court_case_id'), ['court_case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_court_case_parties_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_court_case_parties_id_number_bidx'), ['id_number_bidx'], unique=False)

    op.create_table('court_green_channel_decisions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('court_case_id', sa.String(length=36), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('decided_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('limit_amount', sa.Integer(), nullable=True),
    sa.Column('limit_unit', sa.String(length=12), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['court_case_id'], ['court_cases.id'], name=op.f('fk_court_green_channel_decisions_court_case_id_court_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_court_green_channel_decisions')),
    sa.UniqueConstraint('court_case_id', name=op.f('uq_court_green_channel_decisions_court_case_id')),
    info={'service': 'intake'}
    )
    op.create_table('court_fee_relief_applications',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('court_case_id', sa.String(length=36), nullable=False),
    sa.Column('party_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('situation_code', sa.String(length=8), nullable=False),
    sa.Column('proof', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=4), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('requested_percent', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=True),
    sa.Column('granted_percent', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['court_case_id'], ['court_cases.id'], name=op.f('fk_court_fee_relief_applications_court_case_id_court_cases')),
    sa.ForeignKeyConstraint(['party_id'], ['court_case_parties.id'], name=op.f('fk_court_fee_relief_applications_party_id_court_case_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_court_fee_relief_applications')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('court_fee_relief_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_court_fee_relief_applications_court_case_id'), ['court_case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('court_fee_relief_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_court_fee_relief_applications_court_case_id'))

    op.drop_table('court_fee_relief_applications')
    op.drop_table('court_green_channel_decisions')
    with op.batch_alter_table('court_case_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_court_case_parties_id_number_bidx'))
        batch_op.drop_index(batch_op.f('ix_court_case_parties_credit_code'))
        batch_op.drop_index(batch_op.f('ix_court_case_parties_court_case_id'))

    op.drop_table('court_case_parties')
    with op.batch_alter_table('court_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_court_cases_unit_code'))
        batch_op.drop_index(batch_op.f('ix_court_cases_flagged_on'))

    op.drop_table('court_cases')
