"""hanging: 涉企挂案 cases, suspects, coercive measures, seized property and import batches

Revision ID: hanging_0001_cases
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'hanging_0001_cases'
down_revision = None
branch_labels = ('hanging',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hanging_case_imports',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('file_format', sa.String(length=8), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.Column('created_count', sa.Integer(), nullable=False),
        sa.Column('updated_count', sa.Integer(), nullable=False),
        sa.Column('unchanged_count', sa.Integer(), nullable=False),
        sa.Column('imported_by', sa.String(length=100), nullable=False),
        sa.Column('imported_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_case_imports')),
        sa.UniqueConstraint('unit_code', 'file_sha256', name='uq_hanging_case_imports_unit_sha'),
    )
    op.create_index('ix_hanging_case_imports_unit_at', 'hanging_case_imports', ['unit_code', 'imported_at'], unique=False)
    op.create_table(
        'hanging_cases',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=False),
        sa.Column('case_number', sa.String(length=64), nullable=False),
        sa.Column('investigating_organ', sa.String(length=100), nullable=False),
        sa.Column('investigating_organ_code', sa.String(length=40), nullable=True),
        sa.Column('case_title', sa.String(length=200), nullable=False),
        sa.Column('charge', sa.String(length=100), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.Column('outcome_on', sa.Date(), nullable=True),
        sa.Column('investigation_concluded_on', sa.Date(), nullable=True),
        sa.Column('continued_until', sa.Date(), nullable=True),
        sa.Column('enterprise_name', sa.String(length=200), nullable=False),
        sa.Column('enterprise_credit_code', sa.String(length=18), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('import_batch_id', sa.String(length=36), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('row_version', sa.Integer(), nullable=False),
        sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['import_batch_id'], ['hanging_case_imports.id'],
                                name=op.f('fk_hanging_cases_import_batch_id_hanging_case_imports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_cases')),
        sa.UniqueConstraint('investigating_organ', 'case_number', name='uq_hanging_cases_organ_number'),
    )
    op.create_index('ix_hanging_cases_unit_status_filed', 'hanging_cases', ['unit_code', 'status', 'filed_on'], unique=False)
    op.create_index(op.f('ix_hanging_cases_enterprise_credit_code'), 'hanging_cases', ['enterprise_credit_code'], unique=False)
    op.create_table(
        'hanging_case_suspects',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('id_number_enc', sa.String(length=120), nullable=True),
        sa.Column('id_number_index', sa.String(length=64), nullable=True),
        sa.Column('id_number_masked', sa.String(length=24), nullable=True),
        sa.Column('role', sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['hanging_cases.id'], name=op.f('fk_hanging_case_suspects_case_id_hanging_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_case_suspects')),
    )
    op.create_index(op.f('ix_hanging_case_suspects_case_id'), 'hanging_case_suspects', ['case_id'], unique=False)
    op.create_index(op.f('ix_hanging_case_suspects_id_number_index'), 'hanging_case_suspects', ['id_number_index'], unique=False)
    op.create_table(
        'hanging_case_measures',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('suspect_name', sa.String(length=100), nullable=True),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('lifted_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['hanging_cases.id'], name=op.f('fk_hanging_case_measures_case_id_hanging_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_case_measures')),
    )
    op.create_index(op.f('ix_hanging_case_measures_case_id'), 'hanging_case_measures', ['case_id'], unique=False)
    op.create_table(
        'hanging_case_property',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column('seized_on', sa.Date(), nullable=True),
        sa.Column('returned_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['hanging_cases.id'], name=op.f('fk_hanging_case_property_case_id_hanging_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_case_property')),
    )
    op.create_index(op.f('ix_hanging_case_property_case_id'), 'hanging_case_property', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_hanging_case_property_case_id'), table_name='hanging_case_property')
    op.drop_table('hanging_case_property')
    op.drop_index(op.f('ix_hanging_case_measures_case_id'), table_name='hanging_case_measures')
    op.drop_table('hanging_case_measures')
    op.drop_index(op.f('ix_hanging_case_suspects_id_number_index'), table_name='hanging_case_suspects')
    op.drop_index(op.f('ix_hanging_case_suspects_case_id'), table_name='hanging_case_suspects')
    op.drop_table('hanging_case_suspects')
    op.drop_index(op.f('ix_hanging_cases_enterprise_credit_code'), table_name='hanging_cases')
    op.drop_index('ix_hanging_cases_unit_status_filed', table_name='hanging_cases')
    op.drop_table('hanging_cases')
    op.drop_index('ix_hanging_case_imports_unit_at', table_name='hanging_case_imports')
    op.drop_table('hanging_case_imports')
