"""petitions: petitioners' ID and phone numbers encrypted, with a blind index

Revision ID: petitions_0003_personal_data
Revises: petitions_0002_units
Depends on: platform_0002_audit (the release that encrypted them brought the audit log: a
downgrade past the audit log takes the encryption back with it, as it always did)

Existing rows are encrypted in place (the keys must be configured when this runs: see
docs/personal-data.md); the plaintext columns are then dropped.  The downgrade decrypts back.
"""
from alembic import op
import sqlalchemy as sa

revision = 'petitions_0003_personal_data'
down_revision = 'petitions_0002_units'
branch_labels = None
depends_on = 'platform_0002_audit'

_PURPOSE = {"id_number": "petition.id_number", "phone": "petition.phone"}


def _petitions(*names: str) -> sa.TableClause:
    # A lightweight table of only the columns this migration reads and writes.
    return sa.table("petitions", sa.column("id", sa.String), *(sa.column(n, sa.String) for n in names))


def upgrade() -> None:
    from shared.pii.crypto import blind_index, encrypt

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('petitioner_id_number_enc', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('petitioner_id_number_bidx', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('petitioner_phone_enc', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('petitioner_phone_bidx', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('possible_duplicate_of', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_petitions_petitioner_id_number_bidx'), ['petitioner_id_number_bidx'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_petitioner_phone_bidx'), ['petitioner_phone_bidx'], unique=False)

    conn = op.get_bind()
    old = _petitions("petitioner_id_number", "petitioner_phone")
    new = _petitions("petitioner_id_number_enc", "petitioner_id_number_bidx", "petitioner_phone_enc", "petitioner_phone_bidx")
    rows = conn.execute(sa.select(old).where(sa.or_(old.c.petitioner_id_number.isnot(None), old.c.petitioner_phone.isnot(None)))).all()
    for row in rows:
        values = {}
        for kind, plain in (("id_number", row.petitioner_id_number), ("phone", row.petitioner_phone)):
            if plain:
                plain = plain.strip().upper() if kind == "id_number" else plain.strip()
                values[f"petitioner_{kind}_enc"] = encrypt(plain, purpose=_PURPOSE[kind])
                values[f"petitioner_{kind}_bidx"] = blind_index(plain, kind=kind)
        conn.execute(sa.update(new).where(new.c.id == row.id).values(**values))

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('petitioner_id_number')
        batch_op.drop_column('petitioner_phone')


def downgrade() -> None:
    from shared.pii.crypto import decrypt

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('petitioner_id_number', sa.String(length=18), nullable=True))
        batch_op.add_column(sa.Column('petitioner_phone', sa.String(length=20), nullable=True))

    conn = op.get_bind()
    enc = _petitions("petitioner_id_number_enc", "petitioner_phone_enc")
    plain = _petitions("petitioner_id_number", "petitioner_phone")
    rows = conn.execute(sa.select(enc).where(sa.or_(enc.c.petitioner_id_number_enc.isnot(None), enc.c.petitioner_phone_enc.isnot(None)))).all()
    for row in rows:
        conn.execute(sa.update(plain).where(plain.c.id == row.id).values(
            petitioner_id_number=row.petitioner_id_number_enc and decrypt(row.petitioner_id_number_enc, purpose=_PURPOSE["id_number"]),
            petitioner_phone=row.petitioner_phone_enc and decrypt(row.petitioner_phone_enc, purpose=_PURPOSE["phone"]),
        ))

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_petitioner_phone_bidx'))
        batch_op.drop_index(batch_op.f('ix_petitions_petitioner_id_number_bidx'))
        batch_op.drop_column('possible_duplicate_of')
        batch_op.drop_column('petitioner_phone_bidx')
        batch_op.drop_column('petitioner_phone_enc')
        batch_op.drop_column('petitioner_id_number_bidx')
        batch_op.drop_column('petitioner_id_number_enc')
