"""numbering: case_number_counters (per organ, line and 收案年度) replace the global case_number_allocations

Revision ID: numbering_0001_counters
Revises:
Depends on: petitions_0001_petitions

Petitions keep the numbers they were given (``12309-2026-000001``); the new ones
(``宛检12309〔2026〕1号``) cannot equal any of them, so fresh counters start at 1.  Numbers of the
new form already in the table (an upgrade after a downgrade) seed their counters, so none is
issued twice.  The downgrade brings the global sequence back past the highest earlier number for
the same reason.
"""
from alembic import op
import sqlalchemy as sa
import shared.db.base


revision = 'numbering_0001_counters'
down_revision = None
branch_labels = ('numbering',)
depends_on = 'petitions_0001_petitions'

_petitions = sa.table("petitions", sa.column("case_number", sa.String))


def upgrade() -> None:
    from services.intake.numbering.service import parse
    from services.intake.petitions.receiving_units import DAIZI

    counters = op.create_table('case_number_counters',
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('line', sa.String(length=5), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_code', 'line', 'year', name=op.f('pk_case_number_counters')),
    info={'service': 'intake'}
    )
    assert counters is not None
    organ_of = {daizi: code for code, daizi in DAIZI.items()}
    highest: dict[tuple[str, str, int], int] = {}
    for (text,) in op.get_bind().execute(sa.select(_petitions.c.case_number)).all():
        number = parse(text)
        if number is None or number.daizi not in organ_of:
            continue  # an earlier number: a different form, no clash possible
        key = (organ_of[number.daizi], number.line, number.year)
        highest[key] = max(highest.get(key, 0), number.serial)
    if highest:
        op.bulk_insert(counters, [{"unit_code": u, "line": line, "year": y, "last_serial": s}
                                  for (u, line, y), s in highest.items()])
    op.drop_table('case_number_allocations')


def downgrade() -> None:
    allocations = op.create_table('case_number_allocations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('line', sa.String(length=5), nullable=False),
    sa.Column('allocated_at', shared.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_number_allocations')),
    info={'service': 'intake'}
    )
    assert allocations is not None
    conn = op.get_bind()
    earlier = [int(text.rsplit("-", 1)[1]) for (text,) in conn.execute(sa.select(_petitions.c.case_number)).all()
               if text[:5] in ("12309", "12368") and text[5:6] == "-"]
    if earlier:
        # The old allocator formats its row id: start it after the highest number it ever gave.
        from datetime import datetime, timezone
        op.bulk_insert(allocations, [{"id": max(earlier), "line": "12309", "allocated_at": datetime.now(timezone.utc)}])
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('case_number_allocations', 'id'), :n)"),
                         {"n": max(earlier)})
    op.drop_table('case_number_counters')
