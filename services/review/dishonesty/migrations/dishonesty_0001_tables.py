"""dishonesty: 失信被执行人 listings, 限制消费令, corrections, 复议, 诚信证明 and the public check's window

Revision ID: dishonesty_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'dishonesty_0001_tables'
down_revision = None
branch_labels = ('dishonesty',)
depends_on = ('deadlines_0002_units_followups',)


def upgrade() -> None:
    op.create_table('dishonesty_listings',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('court_code', sa.String(length=40), nullable=False),
    sa.Column('court_name', sa.String(length=100), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('debtor_kind', sa.String(length=12), nullable=False),
    sa.Column('debtor_name', sa.String(length=200), nullable=False),
    sa.Column('debtor_name_enc', sa.Text(), nullable=True),
    sa.Column('debtor_number_enc', sa.Text(), nullable=False),
    sa.Column('debtor_number_index', sa.String(length=64), nullable=False),
    sa.Column('debtor_number_masked', sa.String(length=40), nullable=False),
    sa.Column('legal_representative', sa.String(length=100), nullable=True),
    sa.Column('obligation', sa.Text(), nullable=False),
    sa.Column('ground', sa.Integer(), nullable=False),
    sa.Column('on_application', sa.Boolean(), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('term_years', sa.Integer(), nullable=True),
    sa.Column('extension_years', sa.Integer(), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('contact_email_enc', sa.Text(), nullable=True),
    sa.Column('contact_phone_enc', sa.Text(), nullable=True),
    sa.Column('registered_by', sa.String(length=100), nullable=False),
    sa.Column('removal_ground', sa.String(length=30), nullable=True),
    sa.Column('removal_evidence', sa.Text(), nullable=True),
    sa.Column('network_searches', sa.Integer(), nullable=True),
    sa.Column('removal_recorded_on', sa.Date(), nullable=True),
    sa.Column('removal_recorded_by', sa.String(length=100), nullable=True),
    sa.Column('removal_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('removed_by', sa.String(length=100), nullable=True),
    sa.Column('relisting_blocked_until', sa.Date(), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_listings'))
    )
    op.create_index('ix_dishonesty_listings_debtor', 'dishonesty_listings', ['debtor_number_index'], unique=False)
    op.create_index('ix_dishonesty_listings_expiry', 'dishonesty_listings', ['status', 'expires_on'], unique=False)
    op.create_index('ix_dishonesty_listings_unit_status', 'dishonesty_listings', ['unit_code', 'status'], unique=False)
    op.create_table('dishonesty_consumption_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('listing_id', sa.String(length=36), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('lifted_on', sa.Date(), nullable=True),
    sa.Column('lifted_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['dishonesty_listings.id'], name=op.f('fk_dishonesty_consumption_orders_listing_id_dishonesty_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_consumption_orders')),
    sa.UniqueConstraint('listing_id', name='uq_dishonesty_consumption_orders_listing')
    )
    op.create_table('dishonesty_corrections',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('listing_id', sa.String(length=36), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('review_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('review_reasons', sa.Text(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=100), nullable=True),
    sa.Column('correct_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('apply_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('corrected_on', sa.Date(), nullable=True),
    sa.Column('correction_note', sa.Text(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['dishonesty_listings.id'], name=op.f('fk_dishonesty_corrections_listing_id_dishonesty_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_corrections'))
    )
    op.create_index('ix_dishonesty_corrections_listing', 'dishonesty_corrections', ['listing_id'], unique=False)
    op.create_table('dishonesty_reconsiderations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('listing_id', sa.String(length=36), nullable=False),
    sa.Column('correction_id', sa.String(length=36), nullable=False),
    sa.Column('higher_court_code', sa.String(length=40), nullable=True),
    sa.Column('higher_court_name', sa.String(length=100), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('decide_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('decision_reasons', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('correct_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['correction_id'], ['dishonesty_corrections.id'], name=op.f('fk_dishonesty_reconsiderations_correction_id_dishonesty_corrections')),
    sa.ForeignKeyConstraint(['listing_id'], ['dishonesty_listings.id'], name=op.f('fk_dishonesty_reconsiderations_listing_id_dishonesty_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_reconsiderations')),
    sa.UniqueConstraint('correction_id', name='uq_dishonesty_reconsiderations_correction')
    )
    op.create_table('dishonesty_certificates',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('listing_id', sa.String(length=36), nullable=False),
    sa.Column('organ_code', sa.String(length=40), nullable=False),
    sa.Column('organ_name', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('code_index', sa.String(length=64), nullable=False),
    sa.Column('enterprise_shown', sa.String(length=200), nullable=False),
    sa.Column('performed', sa.Text(), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('notice_id', sa.String(length=36), nullable=False),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_by', sa.String(length=100), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['dishonesty_listings.id'], name=op.f('fk_dishonesty_certificates_listing_id_dishonesty_listings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_certificates')),
    sa.UniqueConstraint('code_index', name='uq_dishonesty_certificates_code'),
    sa.UniqueConstraint('organ_code', 'year', 'serial', name='uq_dishonesty_certificates_serial')
    )
    op.create_table('dishonesty_verify_attempts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('attempted_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dishonesty_verify_attempts'))
    )
    op.create_index(op.f('ix_dishonesty_verify_attempts_attempted_at'), 'dishonesty_verify_attempts', ['attempted_at'], unique=False)
    op.create_index(op.f('ix_dishonesty_verify_attempts_client_key'), 'dishonesty_verify_attempts', ['client_key'], unique=False)


def downgrade() -> None:
    op.drop_table('dishonesty_verify_attempts')
    op.drop_table('dishonesty_certificates')
    op.drop_table('dishonesty_reconsiderations')
    op.drop_table('dishonesty_corrections')
    op.drop_table('dishonesty_consumption_orders')
    op.drop_table('dishonesty_listings')
