"""leniency: 首违不罚 (list versions, checks, recorded punishments, 检察建议 drafts)

Revision ID: leniency_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'leniency_0001_tables'
down_revision = None
branch_labels = ('leniency',)
depends_on = ('units_0001_units',)

_INFO = {'service': 'review'}


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, shared.db.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table('leniency_lists',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('document_number', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('region', sa.String(length=20), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_until', sa.Date(), nullable=True),
    sa.Column('effective_from_confirmed', sa.Boolean(), nullable=False),
    sa.Column('effective_from_note', sa.Text(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('lookback_months', sa.Integer(), nullable=False),
    sa.Column('lookback_confirmed', sa.Boolean(), nullable=False),
    sa.Column('first_scope', sa.String(length=10), nullable=False),
    sa.Column('first_note', sa.Text(), nullable=True),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('loaded_by', sa.String(length=100), nullable=False),
    _at('loaded_at'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leniency_lists')),
    sa.UniqueConstraint('code', 'version', name='uq_leniency_lists_code_version'),
    info=_INFO)
    op.create_index('ix_leniency_lists_code_from', 'leniency_lists', ['code', 'effective_from'], unique=False)

    op.create_table('leniency_checks',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('checked_by', sa.String(length=100), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=False),
    sa.Column('authority', sa.String(length=200), nullable=True),
    sa.Column('act', sa.Text(), nullable=False),
    sa.Column('list_code', sa.String(length=40), nullable=False),
    sa.Column('item_code', sa.String(length=12), nullable=False),
    sa.Column('list_id', sa.String(length=36), nullable=True),
    sa.Column('list_version', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=20), nullable=True),
    sa.Column('act_on', sa.Date(), nullable=False),
    sa.Column('corrected', sa.Boolean(), nullable=True),
    sa.Column('corrected_on', sa.Date(), nullable=True),
    sa.Column('discovered_on', sa.Date(), nullable=True),
    sa.Column('within_order_period', sa.Boolean(), nullable=True),
    sa.Column('harm', sa.String(length=12), nullable=True),
    sa.Column('harm_text', sa.Text(), nullable=True),
    sa.Column('illegal_gains', sa.Boolean(), nullable=True),
    sa.Column('first_claimed', sa.Boolean(), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('strength', sa.String(length=8), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('unconfirmed', sa.JSON(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    _at('created_at'), _at('updated_at'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leniency_checks')),
    info=_INFO)
    op.create_index('ix_leniency_checks_credit_act', 'leniency_checks', ['credit_code', 'act_on'], unique=False)
    op.create_index('ix_leniency_checks_unit_created', 'leniency_checks', ['unit_code', 'created_at'], unique=False)

    op.create_table('leniency_punishments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('act_on', sa.Date(), nullable=False),
    sa.Column('decision_number', sa.String(length=100), nullable=False),
    sa.Column('check_id', sa.String(length=36), nullable=True),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    _at('created_at'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leniency_punishments')),
    info=_INFO)
    op.create_index('ix_leniency_punishments_credit', 'leniency_punishments', ['credit_code', 'act_on'], unique=False)

    op.create_table('leniency_recommendations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('check_id', sa.String(length=36), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('organ_code', sa.String(length=40), nullable=False),
    sa.Column('organ_name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=False),
    sa.Column('addressee', sa.String(length=200), nullable=False),
    sa.Column('drafted_by', sa.String(length=100), nullable=False),
    sa.Column('drafted_on', sa.Date(), nullable=False),
    _at('created_at'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leniency_recommendations')),
    sa.UniqueConstraint('check_id', name='uq_leniency_recommendations_check'),
    sa.UniqueConstraint('organ_code', 'year', 'serial', name='uq_leniency_recommendations_serial'),
    info=_INFO)


def downgrade() -> None:
    op.drop_table('leniency_recommendations')
    op.drop_index('ix_leniency_punishments_credit', table_name='leniency_punishments')
    op.drop_table('leniency_punishments')
    op.drop_index('ix_leniency_checks_unit_created', table_name='leniency_checks')
    op.drop_index('ix_leniency_checks_credit_act', table_name='leniency_checks')
    op.drop_table('leniency_checks')
    op.drop_index('ix_leniency_lists_code_from', table_name='leniency_lists')
    op.drop_table('leniency_lists')
