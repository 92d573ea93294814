"""clearance: 挂案 flags, actions, outcomes, campaigns and daily scans

Revision ID: clearance_0001_tables
Revises:
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'clearance_0001_tables'
down_revision = None
branch_labels = ('clearance',)
depends_on = ('hanging_0001_cases',)


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, shared.db.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'hanging_clearance_flags',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=False),
        sa.Column('rule_code', sa.String(length=60), nullable=False),
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('unit', sa.String(length=20), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('flagged_on', sa.Date(), nullable=False),
        sa.Column('resolved_on', sa.Date(), nullable=True),
        _at('announced_at', True),
        _at('created_at'),
        sa.ForeignKeyConstraint(['case_id'], ['hanging_cases.id'], name=op.f('fk_hanging_clearance_flags_case_id_hanging_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_clearance_flags')),
        sa.UniqueConstraint('case_id', 'rule_code', name='uq_hanging_clearance_flags_case_rule'),
    )
    op.create_index('ix_hanging_clearance_flags_unit_rule', 'hanging_clearance_flags',
                    ['unit_code', 'rule_code', 'started_on', 'case_id'])
    op.create_index('ix_hanging_clearance_flags_unannounced', 'hanging_clearance_flags', ['announced_at', 'id'])
    op.create_table(
        'hanging_clearance_actions',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('flag_id', sa.String(length=36), nullable=True),
        sa.Column('rule_code', sa.String(length=60), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('organ_code', sa.String(length=40), nullable=False),
        sa.Column('organ_name', sa.String(length=100), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('serial', sa.Integer(), nullable=False),
        sa.Column('document_number', sa.String(length=60), nullable=False),
        sa.Column('deadline_id', sa.String(length=36), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('replied_on', sa.Date(), nullable=True),
        sa.Column('reply_text', sa.Text(), nullable=True),
        sa.Column('overdue_announced_on', sa.Date(), nullable=True),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        _at('created_at'), _at('updated_at'),
        sa.ForeignKeyConstraint(['case_id'], ['hanging_cases.id'],
                                name=op.f('fk_hanging_clearance_actions_case_id_hanging_cases'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_clearance_actions')),
        sa.UniqueConstraint('organ_code', 'kind', 'year', 'serial', name='uq_hanging_clearance_actions_number'),
    )
    op.create_index('ix_hanging_clearance_actions_case', 'hanging_clearance_actions', ['case_id', 'sent_on'])
    op.create_index('ix_hanging_clearance_actions_waiting', 'hanging_clearance_actions', ['kind', 'replied_on', 'due_on'])
    op.create_table(
        'hanging_clearance_outcomes',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('outcome_on', sa.Date(), nullable=False),
        sa.Column('continued_until', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        _at('recorded_at'),
        sa.ForeignKeyConstraint(['case_id'], ['hanging_cases.id'],
                                name=op.f('fk_hanging_clearance_outcomes_case_id_hanging_cases'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_clearance_outcomes')),
    )
    op.create_index('ix_hanging_clearance_outcomes_case', 'hanging_clearance_outcomes', ['case_id', 'recorded_at'])
    op.create_table(
        'hanging_clearance_campaigns',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('owner_unit_code', sa.String(length=40), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        _at('created_at'), _at('updated_at'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_clearance_campaigns')),
    )
    op.create_table(
        'hanging_clearance_campaign_units',
        sa.Column('campaign_id', sa.String(length=36), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['campaign_id'], ['hanging_clearance_campaigns.id'],
                                name=op.f('fk_hanging_clearance_campaign_units_campaign_id_hanging_clearance_campaigns'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('campaign_id', 'unit_code', name=op.f('pk_hanging_clearance_campaign_units')),
    )
    op.create_table(
        'hanging_clearance_scans',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('scan_on', sa.Date(), nullable=False),
        sa.Column('cutoff_on', sa.Date(), nullable=False),
        sa.Column('flagged', sa.Integer(), nullable=False),
        sa.Column('resolved', sa.Integer(), nullable=False),
        _at('started_at'), _at('finished_at', True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hanging_clearance_scans')),
        sa.UniqueConstraint('scan_on', name='uq_hanging_clearance_scans_day'),
    )


def downgrade() -> None:
    for name in ('hanging_clearance_scans', 'hanging_clearance_campaign_units', 'hanging_clearance_campaigns',
                 'hanging_clearance_outcomes', 'hanging_clearance_actions', 'hanging_clearance_flags'):
        op.drop_table(name)
