"""The triage queue's one statement at 1,000,000 items across 30 units, beside a bare indexed query of the same rows.

Seeded directly in PostgreSQL (INSERT … SELECT over generate_series: ~1M rows in seconds): items
over the 30 receiving/handling units of the tree, every status, both lines, a spread of due dates
(some none), a few under 督办; each column drawn from its own hash of the row number, so no
filter is correlated with the unit by accident.  Measured in the same run, alternating call by call, in-process
(no HTTP): ``queue.page`` (filters, the due-date sort, a keyset page of 50, and the counts per
status in the same statement) for a 基层院 officer, the 市院 leader (17 units) and the task force
(every unit), first page and a page deep in the queue; and beside each the bare query: the same
rows' keyset page off the index, without the visibility OR, the counts or the open-deadline count.

    python -m tests.bench.queue_million [--items 1000000] [--repeat 60]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from services.review.identity.units.tree import descendants_or_self, seed_units
from services.review.triage import queue
from shared.auth.principal import make_principal
from tests.bench.stats import summary_ms, write_result
from tests.support.infra import Databases, infrastructure

TODAY = _dt.date(2026, 11, 16)
UNITS = [u.code for u in seed_units() if u.kind != "task_force" and u.code not in ("NY-JCY", "NY-FY")][:30]
STATUSES = ("pending", "routed", "handling", "replied", "closed", "awaiting_materials", "declined", "transferred")


def seed(url: str, items: int) -> float:
    """``items`` rows across the 30 units, straight in SQL; returns the seconds it took (with ANALYZE)."""
    started = time.perf_counter()
    units = "ARRAY[" + ",".join(f"'{u}'" for u in UNITS) + "]"
    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in STATUSES) + "]"
    engine = create_engine(url)
    with engine.begin() as conn:
        # A bulk load: the secondary indexes are dropped and built again after (the same definitions,
        # as the migrations made them), which is many times faster than a million random inserts.
        indexes = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'triage_items' "
                                    "AND indexname NOT IN (SELECT conname FROM pg_constraint)")).all()
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
        conn.execute(text(f"""
            INSERT INTO triage_items (id, petition_id, case_number, line, channel, petition_type, is_enterprise,
                petitioner_masked, enterprise_name, summary, received_on, status, source_event_id, unit_code,
                handling_unit_code, category, round, supervised, next_due_on, created_at, updated_at)
            SELECT md5('i' || g)::uuid::text, md5('p' || g)::uuid::text, '宛检12309〔2026〕' || g || '号',
                CASE WHEN u.code LIKE 'NY-FY%' THEN '12368' ELSE '12309' END,
                (ARRAY['信','访','网','电'])[1 + abs(hashint4(g + 1)) % 4],
                (ARRAY['控告','民事申诉','举报','求助'])[1 + abs(hashint4(g + 2)) % 4], abs(hashint4(g + 3)) % 3 = 0,
                '王*', NULL, '第 ' || g || ' 号事项', DATE '{TODAY}' - (g % 90),
                ({statuses})[1 + abs(hashint4(g + 7)) % 8], md5('e' || g)::uuid::text, u.code,
                CASE WHEN abs(hashint4(g + 4)) % 5 = 0 THEN u.code END, NULL, 1, abs(hashint4(g + 5)) % 97 = 0,
                CASE WHEN abs(hashint4(g + 6)) % 11 = 0 THEN NULL ELSE DATE '{TODAY}' + (abs(hashint4(g)) % 120 - 30) END, now(), now()
            FROM generate_series(1, {items}) AS g
            CROSS JOIN LATERAL (SELECT ({units})[1 + g % {len(UNITS)}] AS code) AS u
        """))
        for _, definition in indexes:
            conn.execute(text(definition))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE triage_items"))
    engine.dispose()
    return time.perf_counter() - started


def principal(unit: str, role: str, *, everyone: bool = False) -> Any:
    return make_principal(user_id="bench", username="bench", unit_code=unit, roles=(role,),
                          visible_units=None if everyone else descendants_or_self(unit))


BARE = ("""SELECT id, next_due_on FROM triage_items WHERE unit_code = ANY(:units) {extra}
               ORDER BY next_due_on NULLS LAST, id LIMIT 51""")


def variants(session: Session) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """name → (the queue's statement, the bare indexed query of the same rows)."""
    county, city, task = (principal("NY-JCY-WC", "triage_officer"), principal("NY-JCY", "unit_leader"),
                          principal("NY-JCY-ZB", "task_force", everyone=True))
    all_units = UNITS

    def page(p: Any, filters: queue.QueueFilters, after: str | None = None) -> Callable[[], Any]:
        return lambda: queue.page(session, principal=p, filters=filters, today=TODAY, limit=50, after=after)

    def bare(units: list[str], extra: str = "", **params: Any) -> Callable[[], Any]:
        statement = text(BARE.format(extra=extra))
        return lambda: session.execute(statement, {"units": units, **params}).all()

    first = queue.page(session, principal=county, filters=queue.QueueFilters(), today=TODAY, limit=50)
    deep = first.next_cursor
    for _ in range(200):  # ~10,000 rows in
        deep = queue.page(session, principal=county, filters=queue.QueueFilters(), today=TODAY, limit=50,
                          after=deep).next_cursor or deep
    day, item_id = queue.decode_cursor(deep or "none~0")
    county_units = sorted(descendants_or_self("NY-JCY-WC"))
    city_units = sorted(u for u in descendants_or_self("NY-JCY") if u in UNITS)
    return {
        "county_first": (page(county, queue.QueueFilters()), bare(county_units)),
        "county_pending": (page(county, queue.QueueFilters(status="pending")),
                           bare(county_units, "AND status = 'pending'")),
        "county_deep": (page(county, queue.QueueFilters(), deep),
                        bare(county_units, "AND (next_due_on, id) > (:day, :item)", day=day, item=item_id)),
        "city_enterprise_due30": (page(city, queue.QueueFilters(is_enterprise=True, due_within_days=30)),
                                  bare(city_units, "AND is_enterprise AND next_due_on <= :d",
                                       d=TODAY + _dt.timedelta(days=30))),
        "city_category": (page(city, queue.QueueFilters(category="举报")),
                          bare(city_units, "AND petition_type = '举报'")),
        "task_force_first": (page(task, queue.QueueFilters()), bare(all_units)),
        "task_force_supervised": (page(task, queue.QueueFilters(supervised=True)),
                                  bare(all_units, "AND supervised")),
    }


def measure(url: str, repeat: int) -> dict[str, dict[str, dict[str, float]]]:
    engine = create_engine(url)
    session = sessionmaker(bind=engine)()
    try:
        runs = variants(session)
        out: dict[str, dict[str, list[float]]] = {name: {"queue": [], "bare": []} for name in runs}
        for _ in range(3):  # warm-up: plans and caches
            for q, b in runs.values():
                q(), b()
        for _ in range(repeat):
            for name, (q, b) in runs.items():
                for kind, call in (("queue", q), ("bare", b)):
                    started = time.perf_counter()
                    call()
                    out[name][kind].append(time.perf_counter() - started)
        return {name: {kind: summary_ms(values) for kind, values in kinds.items()} for name, kinds in out.items()}
    finally:
        session.close()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    with infrastructure() as infra:
        dbs = Databases(infra)
        try:
            url = dbs.fresh("review")
            loaded = seed(url, args.items)
            figures = measure(url, args.repeat)
        finally:
            dbs.drop_all()
    result = {"when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "items": args.items,
              "units": len(UNITS), "per_page": 50, "repeat": args.repeat, "seed_seconds": round(loaded, 1),
              "figures": figures}
    print(f"\ntriage queue statement, {args.items} items over {len(UNITS)} units, page of 50 (ms; seeded in {loaded:.1f} s)")
    print(f"{'':24}{'queue p50':>11}{'queue p99':>11}{'bare p50':>10}{'bare p99':>10}")
    for name, fig in figures.items():
        print(f"{name:24}{fig['queue']['p50']:>11}{fig['queue']['p99']:>11}{fig['bare']['p50']:>10}{fig['bare']['p99']:>10}")
    write_result("queue_million", result)


if __name__ == "__main__":
    main()
