"""deadlines: rules, deadlines, suspensions, extensions, history and notices

Revision ID: deadlines_0001_engine
Revises: 
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'deadlines_0001_engine'
down_revision = None
branch_labels = ('deadlines',)
depends_on = None


def upgrade() -> None:
    op.create_table('deadline_rules',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('custody', sa.Boolean(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('warn_before', sa.Integer(), nullable=False),
    sa.Column('settings', sa.String(length=40), nullable=False),
    sa.Column('default_amount', sa.Integer(), nullable=False),
    sa.Column('default_unit', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rules')),
    sa.UniqueConstraint('code', 'effective_from', name='uq_deadline_rules_code_from'),
    info={'service': 'review'}
    )
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_rules_code'), ['code'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=True),
    sa.Column('rule_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rule_code', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('custody', sa.Boolean(), nullable=False),
    sa.Column('warn_before', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('base_due_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('warn_on', sa.Date(), nullable=True),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('met_at', shared.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('met_on_time', sa.Boolean(), nullable=True),
    sa.Column('due_soon_sent_for', sa.Date(), nullable=True),
    sa.Column('overdue_sent_for', sa.Date(), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['deadline_rules.id'], name=op.f('fk_deadlines_rule_id_deadline_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines')),
    sa.UniqueConstraint('subject', 'rule_code', 'start_on', name='uq_deadlines_subject_rule_start'),
    info={'service': 'review'}
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_status_due', ['status', 'due_on'], unique=False)
        batch_op.create_index('ix_deadlines_status_warn', ['status', 'warn_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadlines_subject'), ['subject'], unique=False)

    op.create_table('deadline_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('occurred_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_deadline_events_deadline_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_events')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('deadline_events', schema=None) as batch_op:
        batch_op.create_index('ix_deadline_events_deadline', ['deadline_id', 'id'], unique=False)

    op.create_table('deadline_extensions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('approved_by', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_deadline_extensions_deadline_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extensions')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extensions_deadline_id'), ['deadline_id'], unique=False)

    op.create_table('deadline_notices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('emitted_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_deadline_notices_deadline_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_notices')),
    sa.UniqueConstraint('deadline_id', 'kind', 'due_on', name='uq_deadline_notices_once'),
    info={'service': 'review'}
    )
    op.create_table('deadline_suspensions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deadline_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('resumed_on', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('lifted_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_deadline_suspensions_deadline_id_deadlines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_suspensions')),
    info={'service': 'review'}
    )
    with op.batch_alter_table('deadline_suspensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_suspensions_deadline_id'), ['deadline_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deadline_suspensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_suspensions_deadline_id'))

    op.drop_table('deadline_suspensions')
    op.drop_table('deadline_notices')
    with op.batch_alter_table('deadline_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extensions_deadline_id'))

    op.drop_table('deadline_extensions')
    with op.batch_alter_table('deadline_events', schema=None) as batch_op:
        batch_op.drop_index('ix_deadline_events_deadline')

    op.drop_table('deadline_events')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadlines_subject'))
        batch_op.drop_index('ix_deadlines_status_warn')
        batch_op.drop_index('ix_deadlines_status_due')

    op.drop_table('deadlines')
    with op.batch_alter_table('deadline_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_rules_code'))

    op.drop_table('deadline_rules')
