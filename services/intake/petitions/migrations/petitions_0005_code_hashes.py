"""petitions: query codes move to public_credentials as argon2id hashes; the encrypted copies go

Revision ID: petitions_0005_code_hashes
Revises: petitions_0004_query_code
Depends on: credentials_0001_table

Every petition's current code is decrypted once, hashed as services/intake/credentials/hashing.py
does today, stored as the petition's active credential, and the encrypted column dropped: a code
printed on an earlier receipt keeps working, and nothing can print it again.  The downgrade cannot
recover the codes (that is the point): it issues fresh ones, so receipts printed before it stop
working for the status query.
"""
import secrets

from alembic import op
import sqlalchemy as sa

revision = 'petitions_0005_code_hashes'
down_revision = 'petitions_0004_query_code'
branch_labels = None
depends_on = 'credentials_0001_table'

_PURPOSE = "petition.query_code"
_ALPHABET, _LENGTH = "23456789ABCDEFGHJKMNPQRSTUVWXYZ", 8


def upgrade() -> None:
    import uuid
    from datetime import datetime, timezone

    from services.intake.credentials.hashing import hash_code
    from shared.pii.crypto import decrypt

    conn = op.get_bind()
    petitions = sa.table("petitions", sa.column("id", sa.String), sa.column("case_number", sa.String),
                         sa.column("query_code_enc", sa.String))
    credentials = sa.table("public_credentials", *(sa.column(n) for n in (
        "id", "kind", "subject_id", "lookup_key", "code_hash", "issued_at", "issued_by")))
    now = datetime.now(timezone.utc)
    rows = conn.execute(sa.select(petitions.c.id, petitions.c.case_number, petitions.c.query_code_enc)
                        .where(petitions.c.query_code_enc.is_not(None))).all()
    for petition_id, case_number, token in rows:
        conn.execute(sa.insert(credentials).values(
            id=str(uuid.uuid4()), kind="petition", subject_id=petition_id, lookup_key=case_number,
            code_hash=hash_code(decrypt(token, purpose=_PURPOSE)), issued_at=now, issued_by="migration"))
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_column('query_code_enc')


def downgrade() -> None:
    from shared.pii.crypto import encrypt

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('query_code_enc', sa.String(length=120), nullable=True))
    conn = op.get_bind()
    petitions = sa.table("petitions", sa.column("id", sa.String), sa.column("query_code_enc", sa.String))
    for (petition_id,) in conn.execute(sa.select(petitions.c.id)).all():
        conn.execute(sa.update(petitions).where(petitions.c.id == petition_id).values(
            query_code_enc=encrypt(''.join(secrets.choice(_ALPHABET) for _ in range(_LENGTH)), purpose=_PURPOSE)))
    conn.execute(sa.text("DELETE FROM public_credentials WHERE kind = 'petition'"))
