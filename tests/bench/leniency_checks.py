"""首违不罚 checks per second against the list data, beside a bare lookup of the same item, same run.

Over a fresh, migrated review database on PostgreSQL with the repository's lists loaded and
N earlier checks (default 100,000, over 20,000 enterprises, act dates over three years) so the
"first" look-back searches a real index.  Alternating request by request, each its own transaction:

- **assess**: ``services.review.leniency.service.assess``: the list version in force on the act
  date, the priors of the enterprise within the look-back (checks and punishments), the rules of
  art. 33 and the item (nothing stored);
- **check**: ``service.create``: the same plus the stored check, its audit row and its outbox event
  (what ``POST /api/v1/leniency-checks`` runs, less HTTP);
- **baseline**: a bare lookup of the same item: one ``SELECT items`` of the version in force on the
  same date, and the item picked from it.

    python -m tests.bench.leniency_checks [--checks 100000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from services.review.identity.units import service as units
from services.review.identity.units.tree import descendants_or_self
from services.review.leniency import catalogue, service
from shared.actor import Actor
from shared.auth.principal import make_principal
from shared.db.engine import make_engine, make_session_factory
from tests.bench.stats import summary_ms, write_result
from tests.support.infra import Databases, infrastructure

ENTERPRISES = 20_000
TODAY = _dt.date(2026, 11, 27)
_SEED = """
INSERT INTO leniency_checks (id, unit_code, checked_by, checked_on, credit_code, enterprise_name, act, list_code,
                             item_code, list_id, list_version, field, act_on, outcome, conditions, basis, unconfirmed,
                             explanation, created_at, updated_at)
SELECT md5('c' || g)::uuid::text, 'NY-JCY-XZ', 'bench', DATE '2026-11-01', 'BENCH' || lpad((g % :n)::text, 13, '0'),
       '示例企业' || (g % :n), '未按期办理纳税申报', 'tax-2021-6', (1 + g % 10)::text, NULL, 1, '税务',
       DATE '2023-11-01' + (g % 1090), CASE WHEN g % 3 = 0 THEN 'suggested' ELSE 'not_applicable' END,
       '[]', '[]', '[]', 'bench', now(), now()
FROM generate_series(1, :rows) AS g
"""


def _body(i: int) -> dict[str, Any]:
    return {"credit_code": f"BENCH{i % ENTERPRISES:013d}", "enterprise_name": "示例企业", "act": "未按期办理纳税申报",
            "list_code": "tax-2021-6" if i % 4 else "tax-2021-33", "item_code": str(1 + i % 4),
            "act_on": _dt.date(2026, 1, 1) + _dt.timedelta(days=i % 300), "corrected": True,
            "corrected_on": _dt.date(2026, 11, 1), "discovered_on": _dt.date(2026, 11, 2), "harm": "minor",
            "illegal_gains": False, "first_claimed": True, "prior_punishments": []}


def _bare(session: Session, body: dict[str, Any]) -> Any:
    items = session.execute(text(
        "SELECT items FROM leniency_lists WHERE code = :c AND effective_from <= :d "
        "ORDER BY effective_from DESC, version DESC LIMIT 1"), {"c": body["list_code"], "d": body["act_on"]}).scalar()
    return next((i for i in items if i["code"] == body["item_code"]), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=100_000, help="earlier checks stored before timing")
    parser.add_argument("--requests", type=int, default=2000, help="requests per variant")
    args = parser.parse_args()
    with infrastructure() as infra:
        databases = Databases(infra)
        try:
            engine = make_engine(databases.fresh("review"))
            sessions = make_session_factory(engine)
            with sessions() as session, session.begin():
                units.seed(session)
                catalogue.seed(session)
                session.execute(text(_SEED), {"n": ENTERPRISES, "rows": args.checks})
            with engine.connect() as conn:
                conn.execute(text("ANALYZE leniency_checks"))
            principal = make_principal(user_id="bench", username="bench", unit_code="NY-JCY-XZ",
                                       roles=["penalty_reviewer"], visible_units=descendants_or_self("NY-JCY-XZ"))
            actor = Actor.of(principal)
            timings: dict[str, list[float]] = {"assess": [], "check": [], "baseline": []}
            outcomes: dict[str, int] = {}
            for i in range(50):  # warm-up: connections, caches, plans
                with sessions() as session:
                    service.assess(session, _body(i))
                    _bare(session, _body(i))
            for i in range(args.requests):
                body = _body(i)
                start = time.perf_counter()
                with sessions() as session:
                    result, _ = service.assess(session, body)
                timings["assess"].append(time.perf_counter() - start)
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
                start = time.perf_counter()
                with sessions() as session, session.begin():
                    service.create(session, check_in={**body, "credit_code": f"NEW{i:015d}"}, actor=actor, today=TODAY)
                timings["check"].append(time.perf_counter() - start)
                start = time.perf_counter()
                with sessions() as session:
                    assert _bare(session, body) is not None
                timings["baseline"].append(time.perf_counter() - start)
            engine.dispose()
        finally:
            databases.drop_all()
    per_second = {k: round(len(v) / sum(v), 1) for k, v in timings.items()}
    result = {
        "checks_stored_before": args.checks, "requests_per_variant": args.requests, "outcomes_assessed": outcomes,
        "per_second": per_second, "latency_ms": {k: summary_ms(v) for k, v in timings.items()},
        "ratio_assess_to_baseline": round(per_second["baseline"] / per_second["assess"], 2),
        "ratio_check_to_baseline": round(per_second["baseline"] / per_second["check"], 2),
    }
    for name in ("assess", "check", "baseline"):
        print(f"{name:9s} {per_second[name]:8.1f}/s  {result['latency_ms'][name]}")
    print(f"assess is {result['ratio_assess_to_baseline']}× the bare lookup's time; "
          f"a stored check {result['ratio_check_to_baseline']}×")
    write_result("leniency_checks", result)


if __name__ == "__main__":
    main()
