"""deliveries: public notices (书面通知) with their document, opt-outs, and the delivery columns that prove them

Revision ID: deliveries_0005_public_notices
Revises: deliveries_0004_listing
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'deliveries_0005_public_notices'
down_revision = 'deliveries_0004_listing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('public_notices',
    sa.Column('notice_id', sa.String(length=36), nullable=False),
    sa.Column('notice_kind', sa.String(length=80), nullable=False),
    sa.Column('subject_id', sa.String(length=200), nullable=False),
    sa.Column('case_number', sa.String(length=200), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('email_enc', sa.Text(), nullable=True),
    sa.Column('phone_enc', sa.Text(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('document_name', sa.String(length=200), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('document', sa.LargeBinary(), nullable=True),
    sa.Column('source_event_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('notice_id', name=op.f('pk_public_notices')),
    info={'service': 'notify'}
    )
    with op.batch_alter_table('public_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_public_notices_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_public_notices_unit_code'), ['unit_code'], unique=False)

    op.create_table('contact_opt_outs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('contact_index', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('created_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_opt_outs')),
    sa.UniqueConstraint('channel', 'contact_index', name='uq_contact_opt_outs_channel_contact'),
    info={'service': 'notify'}
    )

    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('mandatory', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('opt_out_ignored', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('contact_enc', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('document_sha256', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_deliveries_notice_id'), ['notice_id'], unique=False)
        batch_op.create_unique_constraint('uq_deliveries_notice_channel', ['notice_id', 'channel'])
        batch_op.create_foreign_key(batch_op.f('fk_deliveries_notice_id_public_notices'), 'public_notices',
                                    ['notice_id'], ['notice_id'])


def downgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_deliveries_notice_id_public_notices'), type_='foreignkey')
        batch_op.drop_constraint('uq_deliveries_notice_channel', type_='unique')
        batch_op.drop_index(batch_op.f('ix_deliveries_notice_id'))
        batch_op.drop_column('document_sha256')
        batch_op.drop_column('body_html')
        batch_op.drop_column('contact_enc')
        batch_op.drop_column('opt_out_ignored')
        batch_op.drop_column('mandatory')
        batch_op.drop_column('notice_id')
    op.drop_table('contact_opt_outs')
    with op.batch_alter_table('public_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_public_notices_subject_id'))
        batch_op.drop_index(batch_op.f('ix_public_notices_unit_code'))
    op.drop_table('public_notices')
