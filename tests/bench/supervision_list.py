"""The 督办 list with 1,000,000 督办 (and their items) across 30 units, beside a bare indexed query.

Measured in this process, each page its own transaction as the API runs it: the list's one query
(services/review/supervision/listing.py `page`: the 督办 joined to its item, scoped to the
principal's units, filtered, nearest due date first, a keyset page of 50) and the ORM rows built
from it.  Four variants, alternating request by request with their baselines:

- **基层院, first page**: a 宛城区院 handler (one unit, ~33,000 督办), every state;
- **市院, open, first page**: 市院's leader (the 19 procuratorate units), state ``unclosed``;
- **市院, overdue, deep page**: the same, only overdue, the page after row ~10,000 (a keyset cursor);
- **task force, deep page**: every unit, every state, the page after row ~500,000.

**Baseline** of each, same run, same database: a bare ``SELECT`` of the same rows from
``supervisions`` alone on the same index (the same unit and state conditions, the same order and
key, no join, no ORM), its own transaction.

The data: N items and N 督办 (default 1,000,000), made in SQL by ``INSERT … SELECT
generate_series``, kept as a template database (``huhang_bench_s<N>_<schema>``) that the next run
copies in seconds.

    python -m tests.bench.supervision_list [--rows 1000000] [--requests 200] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.bench.stats import summary_ms, write_result
from tests.bench.templates import load_without_secondary_indexes, schema_mark, seeded_copy, vacuum_analyze
from tests.support.infra import Databases, infrastructure

REPO = Path(__file__).resolve().parents[2]
TODAY = _dt.date(2026, 11, 27)
# 30 units of the tree (services/review/identity/units/units.toml) the 督办 are spread over, each
# supervised by its parent (departments and 基层院 by their 院; 基层法院 by 中院).
UNITS = ["NY-JCY-KS", "NY-JCY-XS", "NY-JCY-XZ", "NY-JCY-MS", "NY-JCY-WC", "NY-JCY-WL", "NY-JCY-NZ", "NY-JCY-FC",
         "NY-JCY-XX", "NY-JCY-ZP", "NY-JCY-NX", "NY-JCY-XC", "NY-JCY-SQ", "NY-JCY-TH", "NY-JCY-XY", "NY-JCY-TB",
         "NY-JCY-DZ", "NY-FY-SF", "NY-FY-WC", "NY-FY-WL", "NY-FY-NZ", "NY-FY-FC", "NY-FY-XX", "NY-FY-ZP", "NY-FY-NX",
         "NY-FY-XC", "NY-FY-SQ", "NY-FY-TH", "NY-FY-XY", "NY-FY-TB"]
PAGE = 50


def _schema_mark() -> str:
    return schema_mark("services/review/*/migrations/**/*.py", "services/review/*/*/migrations/**/*.py")


_UNITS_SQL = "(ARRAY[" + ",".join(f"'{u}'" for u in UNITS) + "])"
_SEED_ITEMS = f"""
INSERT INTO triage_items (id, petition_id, case_number, line, channel, petition_type, is_enterprise, petitioner_masked,
                          summary, received_on, status, source_event_id, unit_code, handling_unit_code, round,
                          supervised, created_at, updated_at)
SELECT md5('i' || g)::uuid::text, md5('p' || g)::uuid::text, '宛检12309〔2026〕' || g || '号', '12309',
       (ARRAY['信','访','网','电'])[1 + g % 4], '控告', g % 3 = 0, '王*国', '涉企事项第' || g || '号',
       DATE '2026-06-01' + (g % 150), 'handling', md5('e' || g)::uuid::text, 'NY-JCY-KS',
       {_UNITS_SQL}[1 + g % 30], 1, g % 7 <> 0, now(), now()
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS g
"""
# States: 70% open, 10% reported, 5% rejected, 15% closed; due dates spread over today-60 .. today+60.
_SEED_SUPERVISIONS = f"""
INSERT INTO supervisions (id, petition_id, kind, state, supervising_unit_code, supervised_unit_code, instructions,
                          period_amount, period_unit, deadline_id, due_on, sort_due_on, opened_by, opened_on, reports,
                          closed_on_time, created_at, updated_at)
SELECT md5('s' || g)::uuid::text, md5('p' || g)::uuid::text,
       CASE WHEN (g / 7) % 5 = 0 THEN 'escalated' ELSE 'listed' END,
       CASE WHEN (g / 30) % 20 < 14 THEN 'open' WHEN (g / 30) % 20 < 16 THEN 'reported'
            WHEN (g / 30) % 20 < 17 THEN 'rejected' ELSE 'closed' END,
       CASE WHEN {_UNITS_SQL}[1 + g % 30] LIKE 'NY-FY%' THEN 'NY-FY' ELSE 'NY-JCY' END,
       {_UNITS_SQL}[1 + g % 30], '请于期限内报告办理情况', 5, 'working_day', md5('d' || g)::uuid::text,
       DATE '{TODAY.isoformat()}' + (CAST(g AS bigint) * 7919 % 121 - 60)::integer, DATE '{TODAY.isoformat()}' + (CAST(g AS bigint) * 7919 % 121 - 60)::integer,
       'bench', DATE '2026-09-01', 0,
       CASE WHEN (g / 30) % 20 >= 17 THEN true END, now(), now()
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS g
"""


def build_template(admin: Any, dbs: Databases, name: str, rows: int) -> float:
    started = time.perf_counter()
    building = f"{name}_building"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{building}" TEMPLATE "{dbs.template("review")}"'))
    engine = create_engine(dbs.infra.database_url(building))
    step = 200_000
    with engine.begin() as conn:
        from services.review.identity.units import service as units
        from sqlalchemy.orm import Session

        with Session(bind=conn) as session:
            units.seed(session)
            session.flush()
        load_without_secondary_indexes(conn, ("triage_items", "supervisions"), (_SEED_ITEMS, _SEED_SUPERVISIONS),
                                       rows=rows, step=step)
    vacuum_analyze(engine, ("triage_items", "supervisions"))
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
    return time.perf_counter() - started


def _cursor_at(engine: Any, where: str, offset: int) -> str:
    with engine.connect() as conn:
        due, key = conn.execute(text(f"SELECT sort_due_on, id FROM supervisions WHERE {where} "
                                     "ORDER BY sort_due_on, id OFFSET :n LIMIT 1"), {"n": offset}).one()
    return f"{due.isoformat()}~{key}"


def _principal(role: str, unit: str) -> Any:
    from services.review.identity.units.tree import descendants_or_self
    from shared.auth.principal import make_principal

    return make_principal(user_id="bench", username=f"bench-{role}", unit_code=unit, roles=[role],
                          visible_units=descendants_or_self(unit))


def run(url: str, rows: int, count: int) -> dict[str, dict[str, float]]:
    from services.review.supervision import listing
    from shared.db.engine import make_engine, make_session_factory

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    jcy = sorted(u for u in UNITS if u.startswith("NY-JCY"))
    jcy_in = "(" + ",".join(f"'{u}'" for u in sorted(_principal("unit_leader", "NY-JCY").visible_units or ())) + ")"
    open_in = "('open','reported','rejected')"
    overdue_cursor = _cursor_at(engine, f"supervised_unit_code IN {jcy_in} AND state IN {open_in} "
                                        f"AND sort_due_on < DATE '{TODAY.isoformat()}'", rows // 100)
    deep_cursor = _cursor_at(engine, "true", rows // 2)
    assert jcy  # the tree's procuratorate units are among the 30

    def page(principal: Any, filters: Any, after: str | None = None) -> int:
        with sessions() as session, session.begin():
            return len(listing.page(session, principal=principal, filters=filters, today=TODAY, limit=PAGE,
                                    after=after).rows)

    def keyset(after: str) -> str:
        due, key = after.split("~")
        return f"(sort_due_on, id) > (DATE '{due}', '{key}')"

    def bare(where: str) -> Callable[[], int]:
        sql = text(f"SELECT id, petition_id, state, due_on, supervising_unit_code, supervised_unit_code "
                   f"FROM supervisions WHERE {where} ORDER BY sort_due_on, id LIMIT {PAGE + 1}")

        def go() -> int:
            with engine.connect() as conn:
                found = len(conn.execute(sql).all())
                conn.commit()
                return found - 1 if found > PAGE else found
        return go

    handler = _principal("case_handler", "NY-JCY-WC")
    leader = _principal("unit_leader", "NY-JCY")
    variants: dict[str, Callable[[], int]] = {
        "基层院, first page": lambda: page(handler, listing.ListFilters()),
        "  bare indexed query": bare("supervised_unit_code = 'NY-JCY-WC'"),
        "市院, open, first page": lambda: page(leader, listing.ListFilters(state=listing.OPEN_STATES)),
        "  bare indexed query ": bare(f"supervised_unit_code IN {jcy_in} AND state IN {open_in}"),
        "市院, overdue, deep page": lambda: page(leader, listing.ListFilters(overdue=True), overdue_cursor),
        "  bare indexed query  ": bare(f"supervised_unit_code IN {jcy_in} AND state IN {open_in} "
                                       f"AND sort_due_on < DATE '{TODAY.isoformat()}' AND {keyset(overdue_cursor)}"),
        "task force, deep page": lambda: page(None, listing.ListFilters(), deep_cursor),
        "  bare indexed query   ": bare(keyset(deep_cursor)),
    }
    for run_ in variants.values():  # warm-up: connections, plans; and each returns a full page
        for _ in range(5):
            assert run_() == PAGE
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(count):
        for name, run_ in variants.items():
            started = time.perf_counter()
            run_()
            times[name].append(time.perf_counter() - started)
    engine.dispose()
    return {name: summary_ms(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="督办 (and items) in the database")
    parser.add_argument("--requests", type=int, default=200, help="pages of each variant")
    parser.add_argument("--rebuild", action="store_true", help="seed the template again even if it exists")
    args = parser.parse_args()
    with infrastructure() as infra, seeded_copy(
            infra, template=f"huhang_bench_s{args.rows}_{_schema_mark()}", rows=args.rows, build=build_template,
            rebuild=args.rebuild, tag="s") as db:
        seeded_s, copied_s = db.seeded_s, db.copied_s
        figures = run(db.url, args.rows, args.requests)
    names = list(figures)
    ratio = {names[i]: {p: round(figures[names[i]][p] / figures[names[i + 1]][p], 1) for p in ("p50", "p99")}
             for i in range(0, len(names), 2)}
    print(f"\n督办 list, {args.rows:,} 督办 across {len(UNITS)} units, {PAGE} a page, {args.requests} pages of each (ms)"
          f"{f'; seeded in {seeded_s:.0f} s' if seeded_s else '; seeded database reused'}, copied in {copied_s:.1f} s")
    print(f"{'':30}{'p50':>9}{'p99':>9}{'ratio p50':>11}{'ratio p99':>11}")
    for name, fig in figures.items():
        r = ratio.get(name, {"p50": "", "p99": ""})
        print(f"{name:30}{fig['p50']:>9}{fig['p99']:>9}{r['p50']:>11}{r['p99']:>11}")
    write_result("supervision_list", {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "rows": args.rows,
        "units": len(UNITS), "per_page": PAGE, "requests_per_variant": args.requests, "seed_seconds": seeded_s,
        "copy_seconds": round(copied_s, 1), "figures_ms": figures, "ratio_to_bare_query": ratio})


if __name__ == "__main__":
    main()
