"""custody: 羁押必要性审查 (reviews, measures, grounds, corrections, documents, the register and its triggers)

Revision ID: custody_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'custody_0001_tables'
down_revision = None
branch_labels = ('custody',)
depends_on = ('deadlines_0002_units_followups',)


def upgrade() -> None:
    op.create_table('custody_mandatory_triggers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('register_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('rule_code', sa.String(length=60), nullable=False),
    sa.Column('arose_on', sa.Date(), nullable=False),
    sa.Column('review_id', sa.String(length=36), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_mandatory_triggers')),
    sa.UniqueConstraint('register_id', 'kind', 'key', name='uq_custody_mandatory_triggers'),
    info={'service': 'review'}
    )
    op.create_table('custody_register',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('person_name', sa.String(length=100), nullable=False),
    sa.Column('id_number_enc', sa.String(length=160), nullable=True),
    sa.Column('id_number_index', sa.String(length=64), nullable=True),
    sa.Column('id_number_masked', sa.String(length=24), nullable=True),
    sa.Column('criminal_case_number', sa.String(length=80), nullable=False),
    sa.Column('charge', sa.String(length=100), nullable=False),
    sa.Column('handling_organ', sa.String(length=120), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('stage_entered_on', sa.Date(), nullable=False),
    sa.Column('arrested_on', sa.Date(), nullable=True),
    sa.Column('likely_sentence_months', sa.Integer(), nullable=True),
    sa.Column('likely_short_sentence', sa.Boolean(), nullable=True),
    sa.Column('returned_from_supplementary_on', sa.Date(), nullable=True),
    sa.Column('first_instance_started_on', sa.Date(), nullable=True),
    sa.Column('second_instance_started_on', sa.Date(), nullable=True),
    sa.Column('judged_on', sa.Date(), nullable=True),
    sa.Column('special_situations', sa.JSON(), nullable=False),
    sa.Column('enterprise_role', sa.String(length=30), nullable=True),
    sa.Column('enterprise_name', sa.String(length=200), nullable=True),
    sa.Column('enterprise_credit_code', sa.String(length=18), nullable=True),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_register')),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_custody_register_id_number_index'), 'custody_register', ['id_number_index'], unique=False)
    op.create_index('ix_custody_register_unit', 'custody_register', ['unit_code', 'released_on'], unique=False)
    op.create_table('custody_review_corrections',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('review_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('issued_by', sa.String(length=100), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_review_corrections')),
    sa.UniqueConstraint('review_id', name='uq_custody_review_corrections_review'),
    info={'service': 'review'}
    )
    op.create_table('custody_review_documents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('review_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('organ_code', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('addressee', sa.String(length=200), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_review_documents')),
    sa.UniqueConstraint('organ_code', 'kind', 'year', 'serial', name='uq_custody_review_documents_number'),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_custody_review_documents_review_id'), 'custody_review_documents', ['review_id'], unique=False)
    op.create_table('custody_review_grounds',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('review_id', sa.String(length=36), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('ticked', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_review_grounds')),
    sa.UniqueConstraint('review_id', 'item_code', name='uq_custody_review_grounds_item'),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_custody_review_grounds_review_id'), 'custody_review_grounds', ['review_id'], unique=False)
    op.create_table('custody_review_measures',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('review_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_review_measures')),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_custody_review_measures_review_id'), 'custody_review_measures', ['review_id'], unique=False)
    op.create_table('custody_reviews',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('organ_code', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('received_by_unit_code', sa.String(length=40), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reached_on', sa.Date(), nullable=True),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('trigger_rule', sa.String(length=60), nullable=True),
    sa.Column('trigger_basis', sa.Text(), nullable=True),
    sa.Column('trigger_detail', sa.Text(), nullable=True),
    sa.Column('register_id', sa.String(length=36), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('person_name', sa.String(length=100), nullable=False),
    sa.Column('id_number_enc', sa.String(length=160), nullable=True),
    sa.Column('id_number_index', sa.String(length=64), nullable=True),
    sa.Column('id_number_masked', sa.String(length=24), nullable=True),
    sa.Column('criminal_case_number', sa.String(length=80), nullable=False),
    sa.Column('charge', sa.String(length=100), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('handling_organ', sa.String(length=120), nullable=False),
    sa.Column('enterprise_role', sa.String(length=30), nullable=True),
    sa.Column('enterprise_name', sa.String(length=200), nullable=True),
    sa.Column('enterprise_credit_code', sa.String(length=18), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('production_stopped', sa.Boolean(), nullable=True),
    sa.Column('contracts_at_risk', sa.Integer(), nullable=True),
    sa.Column('contracts_amount', sa.Integer(), nullable=True),
    sa.Column('impact_text', sa.Text(), nullable=True),
    sa.Column('applicant_kind', sa.String(length=20), nullable=True),
    sa.Column('applicant_name', sa.String(length=100), nullable=True),
    sa.Column('applicant_email_enc', sa.String(length=400), nullable=True),
    sa.Column('applicant_phone_enc', sa.String(length=200), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('opened_by', sa.String(length=100), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('not_filed_reasons', sa.Text(), nullable=True),
    sa.Column('decision', sa.String(length=30), nullable=True),
    sa.Column('decision_basis', sa.Text(), nullable=True),
    sa.Column('decision_reasons', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('reply', sa.String(length=20), nullable=True),
    sa.Column('reply_on', sa.Date(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('reply_due_notified', sa.Boolean(), nullable=False),
    sa.Column('routing_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('initial_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('decision_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('reply_deadline_id', sa.String(length=36), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('sort_due_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_reviews')),
    sa.UniqueConstraint('organ_code', 'year', 'serial', name='uq_custody_reviews_number'),
    info={'service': 'review'}
    )
    op.create_index(op.f('ix_custody_reviews_id_number_index'), 'custody_reviews', ['id_number_index'], unique=False)
    op.create_index('ix_custody_reviews_received_by', 'custody_reviews', ['received_by_unit_code'], unique=False)
    op.create_index(op.f('ix_custody_reviews_register_id'), 'custody_reviews', ['register_id'], unique=False)
    op.create_index(op.f('ix_custody_reviews_reply_deadline_id'), 'custody_reviews', ['reply_deadline_id'], unique=False)
    op.create_index('ix_custody_reviews_state_due', 'custody_reviews', ['state', 'sort_due_on', 'id'], unique=False)
    op.create_index('ix_custody_reviews_unit_due', 'custody_reviews', ['unit_code', 'sort_due_on', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_custody_reviews_unit_due', table_name='custody_reviews')
    op.drop_index('ix_custody_reviews_state_due', table_name='custody_reviews')
    op.drop_index(op.f('ix_custody_reviews_reply_deadline_id'), table_name='custody_reviews')
    op.drop_index(op.f('ix_custody_reviews_register_id'), table_name='custody_reviews')
    op.drop_index('ix_custody_reviews_received_by', table_name='custody_reviews')
    op.drop_index(op.f('ix_custody_reviews_id_number_index'), table_name='custody_reviews')
    op.drop_table('custody_reviews')
    op.drop_index(op.f('ix_custody_review_measures_review_id'), table_name='custody_review_measures')
    op.drop_table('custody_review_measures')
    op.drop_index(op.f('ix_custody_review_grounds_review_id'), table_name='custody_review_grounds')
    op.drop_table('custody_review_grounds')
    op.drop_index(op.f('ix_custody_review_documents_review_id'), table_name='custody_review_documents')
    op.drop_table('custody_review_documents')
    op.drop_table('custody_review_corrections')
    op.drop_index('ix_custody_register_unit', table_name='custody_register')
    op.drop_index(op.f('ix_custody_register_id_number_index'), table_name='custody_register')
    op.drop_table('custody_register')
    op.drop_table('custody_mandatory_triggers')
