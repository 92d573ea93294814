"""petitions: the whole record — 事由, who speaks for whom, the enterprise, postmark, visitors and representatives, the related case

Revision ID: petitions_0006_full_record
Revises: petitions_0005_code_hashes

The categories become those of issue 9 (控告, 刑事申诉, 民事申诉, 行政申诉, 国家赔偿, 举报, 求助,
咨询, 意见建议; 12368 also 联系法官, 案件查询): earlier rows are mapped (其他信访/信访 → 求助,
诉讼咨询 → 咨询, 投诉举报 → 举报); the downgrade maps them back where the old list had no match.
"""
from alembic import op
import sqlalchemy as sa

revision = 'petitions_0006_full_record'
down_revision = 'petitions_0005_code_hashes'
branch_labels = None
depends_on = None

_RENAMED = {("12309", "其他信访"): "求助", ("12368", "信访"): "求助", ("12368", "诉讼咨询"): "咨询",
            ("12368", "投诉举报"): "举报"}


def upgrade() -> None:
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('petitioner_kind', sa.String(length=30), nullable=False, server_default='natural'))
        batch_op.add_column(sa.Column('petitioner_relation', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('enterprise_size', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('enterprise_industry', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('enterprise_ownership', sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column('subject', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('postmarked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('visitor_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('related_case_number', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('related_case_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('related_case_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('related_case_organ', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('related_case_type', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_petitions_related_case_number'), ['related_case_number'], unique=False)
    op.create_table('petition_representatives',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('petition_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id_number_enc', sa.String(length=120), nullable=True),
    sa.Column('id_number_bidx', sa.String(length=64), nullable=True),
    sa.Column('phone_enc', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_representatives_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_representatives')),
    info={'service': 'intake'}
    )
    with op.batch_alter_table('petition_representatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_representatives_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petition_representatives_id_number_bidx'), ['id_number_bidx'], unique=False)
    petitions = sa.table("petitions", sa.column("line", sa.String), sa.column("petition_type", sa.String))
    for (line, old), new in _RENAMED.items():
        op.execute(sa.update(petitions).where(petitions.c.line == line, petitions.c.petition_type == old)
                   .values(petition_type=new))


def downgrade() -> None:
    petitions = sa.table("petitions", sa.column("line", sa.String), sa.column("petition_type", sa.String))
    back = {("12309", "求助"): "其他信访", ("12309", "咨询"): "其他信访", ("12309", "意见建议"): "其他信访",
            ("12368", "求助"): "信访", ("12368", "咨询"): "诉讼咨询", ("12368", "举报"): "投诉举报",
            ("12368", "民事申诉"): "信访", ("12368", "行政申诉"): "信访", ("12368", "刑事申诉"): "信访",
            ("12368", "国家赔偿"): "信访"}
    for (line, new), old in back.items():
        op.execute(sa.update(petitions).where(petitions.c.line == line, petitions.c.petition_type == new)
                   .values(petition_type=old))
    with op.batch_alter_table('petition_representatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_representatives_id_number_bidx'))
        batch_op.drop_index(batch_op.f('ix_petition_representatives_petition_id'))
    op.drop_table('petition_representatives')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_related_case_number'))
        for name in ('related_case_type', 'related_case_organ', 'related_case_year', 'related_case_kind',
                     'related_case_number', 'visitor_count', 'postmarked_on', 'subject', 'enterprise_ownership',
                     'enterprise_industry', 'enterprise_size', 'petitioner_relation', 'petitioner_kind'):
            batch_op.drop_column(name)
