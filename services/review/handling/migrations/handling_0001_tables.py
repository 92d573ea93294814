"""handling: the 事项's handling history (handling_entries) and its replies with their documents (handling_replies)

Revision ID: handling_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'handling_0001_tables'
down_revision = None
branch_labels = ('handling',)
depends_on = ('triage_0004_workflow',)


def upgrade() -> None:
    op.create_table('handling_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handling_entries')),
    info={'service': 'review'}
    )
    op.create_index('ix_handling_entries_petition', 'handling_entries', ['petition_id', 'created_at'], unique=False)
    op.create_table('handling_replies',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('case_number', sa.String(length=40), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('delivery', sa.String(length=20), nullable=False),
    sa.Column('replied_on', sa.Date(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('organ_code', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('replied_by', sa.String(length=100), nullable=False),
    sa.Column('deadlines_met', sa.JSON(), nullable=False),
    sa.Column('pdf_key', sa.String(length=200), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_size', sa.Integer(), nullable=False),
    sa.Column('docx_key', sa.String(length=200), nullable=False),
    sa.Column('docx_sha256', sa.String(length=64), nullable=False),
    sa.Column('docx_size', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handling_replies')),
    sa.UniqueConstraint('organ_code', 'year', 'serial', name='uq_handling_replies_number'),
    info={'service': 'review'}
    )
    op.create_index('ix_handling_replies_petition', 'handling_replies', ['petition_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_handling_replies_petition', table_name='handling_replies')
    op.drop_table('handling_replies')
    op.drop_index('ix_handling_entries_petition', table_name='handling_entries')
    op.drop_table('handling_entries')
