"""petitions: the public query code (查询码), encrypted

Revision ID: petitions_0004_query_code
Revises: petitions_0003_personal_data

Petitions registered before this get a code now, so a reprinted receipt of an old petition
carries one too (the personal-data key must be configured when this runs, as for 0003).  The
downgrade drops the codes: receipts printed since then stop working for the status query.
"""
import secrets

from alembic import op
import sqlalchemy as sa

revision = 'petitions_0004_query_code'
down_revision = 'petitions_0003_personal_data'
branch_labels = None
depends_on = None

_PURPOSE = "petition.query_code"
# A copy of query_code.ALPHABET and LENGTH as they were: a migration does not follow later code.
_ALPHABET, _LENGTH = "23456789ABCDEFGHJKMNPQRSTUVWXYZ", 8


def upgrade() -> None:
    from shared.pii.crypto import encrypt

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('query_code_enc', sa.String(length=120), nullable=True))

    conn = op.get_bind()
    petitions = sa.table("petitions", sa.column("id", sa.String), sa.column("query_code_enc", sa.String))
    for (petition_id,) in conn.execute(sa.select(petitions.c.id).where(petitions.c.query_code_enc.is_(None))).all():
        conn.execute(sa.update(petitions).where(petitions.c.id == petition_id)
                     .values(query_code_enc=encrypt(''.join(secrets.choice(_ALPHABET) for _ in range(_LENGTH)), purpose=_PURPOSE)))


def downgrade() -> None:
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('query_code_enc')
