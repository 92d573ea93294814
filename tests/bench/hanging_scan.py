"""The daily 挂案 threshold scan over 1,000,000 cases, beside a bare SQL query selecting the same cases.

Measured in this process, each in its own transaction:

- **scan**: services/review/cases/clearance/thresholds.py ``scan``: one ``INSERT … SELECT`` per
  threshold rule row (the rules read from ``deadline_rules``, the bound of each computed with the
  engine's counting), every open case past a threshold flagged, plus the resolving ``UPDATE``;
  committed, then the flags are emptied (``TRUNCATE``) for the next repetition;
- **bare**: for each rule a hand-written ``SELECT count(*)`` of the same cases with PostgreSQL's own
  date arithmetic (``filed_on + interval '24 months' <= <the latest working day before today>``;
  equivalent, since a period's last day moved off rest days is before today exactly when its raw
  end is on or before that working day), no insert.
The counts of both must agree (the run fails otherwise).  Then **announce**: the first 2,000 new
flags announced (audit row + event through the outbox each, in batches of 500), reported per flag.

The data: N cases (default 1,000,000) across 20 procuratorate units, filed 2018–2026, a fifth with no
measure, two fifths with every measure lifted, a fifth with an unlifted 取保 that has ended, a fifth
with an arrest in force; half with 侦查 concluded; a tenth cleared.  Made in SQL by ``INSERT … SELECT
generate_series`` into a template database (``huhang_bench_h<N>_<schema>``) the next run copies.

    python -m tests.bench.hanging_scan [--rows 1000000] [--repeat 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.bench.stats import write_result
from tests.bench.templates import load_without_secondary_indexes, schema_mark, seeded_copy, vacuum_analyze
from tests.support.infra import Databases, infrastructure

REPO = Path(__file__).resolve().parents[2]
TODAY = _dt.date(2026, 11, 27)
ANNOUNCE_SAMPLE = 2_000  # flags announced after the scans (audit row + event each), reported per flag
UNITS = ["NY-JCY-WC", "NY-JCY-WL", "NY-JCY-NZ", "NY-JCY-FC", "NY-JCY-XX", "NY-JCY-ZP", "NY-JCY-NX", "NY-JCY-XC",
         "NY-JCY-SQ", "NY-JCY-TH", "NY-JCY-XY", "NY-JCY-TB", "NY-JCY-DZ", "NY-JCY-XS", "NY-JCY-WC", "NY-JCY-WL",
         "NY-JCY-NZ", "NY-JCY-FC", "NY-JCY-XX", "NY-JCY-ZP"]
_UNITS_SQL = "(ARRAY[" + ",".join(f"'{u}'" for u in UNITS) + "])"
_FILED = "(DATE '2018-01-01' + (CAST(g AS bigint) * 7919 % 3250)::integer)"
_SEED_CASES = f"""
INSERT INTO hanging_cases (id, unit_code, case_number, investigating_organ, case_title, charge, filed_on, status, outcome,
                           outcome_on, investigation_concluded_on, enterprise_name, source, created_by, row_version,
                           created_at, updated_at)
SELECT md5('c' || g)::uuid::text, {_UNITS_SQL}[1 + g % 20], '公经立字〔' || g || '〕号', '南阳市公安局第' || (g % 13) || '分局',
       '某公司涉嫌合同诈骗案', '合同诈骗罪', {_FILED},
       CASE WHEN g % 10 = 9 THEN 'cleared' ELSE 'open' END, CASE WHEN g % 10 = 9 THEN 'withdrawn' END,
       CASE WHEN g % 10 = 9 THEN {_FILED} + 400 END, CASE WHEN (g / 5) % 2 = 0 THEN {_FILED} + 90 END,
       '南阳某公司' || (g % 997), 'import', 'bench', 1, now(), now()
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS g
"""
# g % 5: 0 no measure; 1, 2 every measure lifted; 3 an unlifted 取保 that has ended; 4 an arrest in force.
_SEED_MEASURES = f"""
INSERT INTO hanging_case_measures (id, case_id, position, kind, started_on, ends_on, lifted_on)
SELECT md5('m' || g)::uuid::text, md5('c' || g)::uuid::text, 1,
       CASE g % 5 WHEN 1 THEN 'detention' WHEN 2 THEN 'bail' WHEN 3 THEN 'bail' ELSE 'arrest' END,
       {_FILED}, CASE WHEN g % 5 IN (2, 3) THEN {_FILED} + 364 END,
       CASE g % 5 WHEN 1 THEN {_FILED} + 30 WHEN 2 THEN {_FILED} + (g % 300) END
FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS g WHERE g % 5 <> 0
"""


def _schema_mark() -> str:
    return schema_mark("services/review/*/migrations/**/*.py", "services/review/*/*/migrations/**/*.py",
                       "services/review/*/*/*/migrations/**/*.py")


def build_template(admin: Any, dbs: Databases, name: str, rows: int) -> float:
    started = time.perf_counter()
    building = f"{name}_building"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{building}" TEMPLATE "{dbs.template("review")}"'))
    engine = create_engine(dbs.infra.database_url(building))
    step = 200_000
    with engine.begin() as conn:
        from sqlalchemy.orm import Session

        from services.review.deadlines.rules import seed_rules
        from services.review.identity.units import service as units

        with Session(bind=conn) as session:
            units.seed(session)
            seed_rules(session)
            session.flush()
        load_without_secondary_indexes(conn, ("hanging_cases", "hanging_case_measures"),
                                       (_SEED_CASES, _SEED_MEASURES), rows=rows, step=step)
    vacuum_analyze(engine, ("hanging_cases", "hanging_case_measures"))
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
    return time.perf_counter() - started


def _bare_sql(cutoff: _dt.date) -> dict[str, str]:
    w = f"DATE '{cutoff.isoformat()}'"
    return {
        "hanging_case.no_measure": "SELECT count(*) FROM hanging_cases c WHERE c.status = 'open' AND NOT EXISTS "
        f"(SELECT 1 FROM hanging_case_measures m WHERE m.case_id = c.id) AND (c.filed_on + interval '24 months')::date <= {w}",
        "hanging_case.urge": "SELECT count(*) FROM hanging_cases c WHERE c.status = 'open' AND "
        f"c.investigation_concluded_on IS NULL AND (c.filed_on + interval '3 months')::date <= {w}",
        "hanging_case.after_lifting": "SELECT count(*) FROM (SELECT m.case_id FROM hanging_case_measures m JOIN "
        "hanging_cases c ON c.id = m.case_id WHERE c.status = 'open' GROUP BY m.case_id HAVING count(*) = count(m.lifted_on) "
        f"AND (max(m.lifted_on) + interval '12 months')::date <= {w}) x",
        "hanging_case.after_bail_expiry": "SELECT count(*) FROM (SELECT m.case_id FROM hanging_case_measures m JOIN "
        "hanging_cases c ON c.id = m.case_id WHERE c.status = 'open' GROUP BY m.case_id HAVING "
        "sum(CASE WHEN m.lifted_on IS NULL AND m.kind IN ('bail','residential') AND m.ends_on IS NOT NULL THEN 1 ELSE 0 END) > 0 "
        "AND sum(CASE WHEN m.lifted_on IS NULL AND NOT (m.kind IN ('bail','residential') AND m.ends_on IS NOT NULL) "
        f"THEN 1 ELSE 0 END) = 0 AND (max(coalesce(m.lifted_on, m.ends_on)) + interval '12 months')::date <= {w}) x",
    }


def run(url: str, repeat: int) -> dict[str, Any]:
    from services.review.cases.clearance import jobs
    from services.review.cases.clearance.thresholds import scan
    from services.review.holidays.service import holiday_table
    from services.review.supervision.escalation import cutoff as latest_working_day
    from shared.db.engine import make_engine, make_session_factory

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        table = holiday_table(session)
    cutoff = latest_working_day(TODAY - _dt.timedelta(days=1), table)
    bare = _bare_sql(cutoff)
    scan_s: list[float] = []
    bare_s: list[float] = []
    counts: dict[str, int] = {}
    for _ in range(repeat):
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE hanging_clearance_flags"))
        started = time.perf_counter()
        with sessions() as session, session.begin():
            result = scan(session, today=TODAY, table=holiday_table(session))
        scan_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        with engine.connect() as conn:
            bare_counts = {rule: int(conn.execute(text(sql)).scalar_one()) for rule, sql in bare.items()}
            conn.commit()
        bare_s.append(time.perf_counter() - started)
        flagged = {k: v for k, v in result.flagged.items() if k in bare}
        assert flagged == bare_counts, (flagged, bare_counts)
        counts = bare_counts
    started = time.perf_counter()
    announced = 0
    while announced < ANNOUNCE_SAMPLE:
        with sessions() as session, session.begin():
            n = jobs.announce_batch(session, limit=500)
        announced += n
        if n < 500:
            break
    announce_s = time.perf_counter() - started
    engine.dispose()
    return {"scan_s": [round(s, 2) for s in scan_s], "bare_s": [round(s, 2) for s in bare_s], "counts": counts,
            "cutoff": cutoff.isoformat(), "announced": announced, "announce_s": round(announce_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="挂案 in the database")
    parser.add_argument("--repeat", type=int, default=3, help="scans (and bare queries) measured")
    parser.add_argument("--rebuild", action="store_true", help="seed the template again even if it exists")
    args = parser.parse_args()
    with infrastructure() as infra, seeded_copy(
            infra, template=f"huhang_bench_h{args.rows}_{_schema_mark()}", rows=args.rows, build=build_template,
            rebuild=args.rebuild, tag="h") as db:
        seeded_s, copied_s = db.seeded_s, db.copied_s
        figures = run(db.url, args.repeat)
    scan_best, bare_best = min(figures["scan_s"]), min(figures["bare_s"])
    ratio = round(scan_best / bare_best, 2)
    total = sum(figures["counts"].values())
    print(f"\n挂案 threshold scan, {args.rows:,} cases, {args.repeat} runs"
          f"{f'; seeded in {seeded_s:.0f} s' if seeded_s else '; seeded database reused'}, copied in {copied_s:.1f} s")
    print(f"flags per rule: {figures['counts']} (total {total:,}; cut-off {figures['cutoff']})")
    print(f"scan (insert flags)   {figures['scan_s']} s, best {scan_best} s")
    print(f"bare SELECT count(*)  {figures['bare_s']} s, best {bare_best} s")
    print(f"ratio scan / bare     {ratio}")
    per_flag_ms = round(figures["announce_s"] / max(1, figures["announced"]) * 1000, 3)
    print(f"announce {figures['announced']:,} flags (audit + event each): {figures['announce_s']} s, {per_flag_ms} ms a flag")
    write_result("hanging_scan", {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "rows": args.rows,
        "seed_seconds": seeded_s, "copy_seconds": round(copied_s, 1), **figures, "ratio_scan_to_bare": ratio,
        "announce_ms_per_flag": per_flag_ms})


if __name__ == "__main__":
    main()
