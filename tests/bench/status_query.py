"""The status query's two failures side by side: a wrong code and an unknown case number, same run.

The unit tests assert both paths run the same statements and as many argon2 verifications
(tests/unit/services/intake/test_status_query.py); this measures what that is for: the time each
takes, interleaved (wrong, unknown, wrong, …) so drift hits both alike, each query from its own
address and number so neither the window nor the lock interferes.  Over the app in-process on a
migrated SQLite file, as the unit tests run it; reports p50/p95 of each and the ratio of medians.
Not part of `make bench`; a few seconds.

    python -m tests.bench.status_query [--runs 30]
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import tempfile
import time
from pathlib import Path

from services.intake import create_app
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.config import KafkaSettings, Settings
from shared.db.migrate import upgrade
from tests.bench.stats import summary_ms
from tests.support.auth import AuthKeys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'intake.db'}"
        upgrade("intake", url)
        keys = AuthKeys.create(Path(tmp))
        os.environ.update(keys.env())  # the app verifies the bench's tokens
        app = create_app({"TESTING": True}, settings=Settings(
            service="intake", database_url=url, kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="b")))
        clerk = app.test_client()
        numbers = []
        for _ in range(args.runs + 1):
            resp = clerk.post("/api/v1/petitions", json=copy.deepcopy(PETITION_EXAMPLE), headers=keys.headers("intake_clerk"))
            numbers.append(str(resp.get_json()["case_number"]))
        visitor = app.test_client()
        timings: dict[str, list[float]] = {"wrong_code": [], "unknown_case": []}
        for n in range(args.runs + 1):
            for kind in ("wrong_code", "unknown_case"):
                number = numbers[n] if kind == "wrong_code" else re.sub(r"\d+号$", f"{900000 + n}号", numbers[n])
                started = time.perf_counter()
                resp = visitor.post("/api/v1/public/status-queries", json={"case_number": number, "query_code": "ZZZZZZZZ"},
                                    environ_base={"REMOTE_ADDR": f"10.{n // 250}.{n % 250}.{1 if kind == 'wrong_code' else 2}"})
                elapsed = time.perf_counter() - started
                assert resp.status_code == 404, resp.json
                if n:  # the first round warms caches
                    timings[kind].append(elapsed)
        wrong, unknown = summary_ms(timings["wrong_code"]), summary_ms(timings["unknown_case"])
        print(f"wrong code    {wrong}")
        print(f"unknown case  {unknown}")
        print(f"median ratio (unknown / wrong): {unknown['p50'] / wrong['p50']:.3f}")


if __name__ == "__main__":
    main()
