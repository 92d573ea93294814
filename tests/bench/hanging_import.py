"""Importing a 10,000-row XLSX of 涉企挂案 through the service into PostgreSQL, beside a bare openpyxl read.

Measured in this process, in the same run, over the same bytes (generated once: 10,000 cases, each
with a suspect, a 取保候审 and a frozen account, as tests/support/hanging.py writes them):

- **import**: ``services.review.cases.hanging.service.import_file`` in one transaction on a fresh,
  migrated review database: the file read (openpyxl read-only), every row checked (dates, 案号,
  credit code, ID number, enumerations, ranges), the natural keys looked up, 10,000 cases with
  their suspects (ID numbers encrypted and blind-indexed), measures and property written, one
  audit row and one ``hanging_case.registered`` outbox row per case, the batch and its event.
- **re-import** of the same bytes (the SHA-256 finds the batch: nothing is read or written again).
- **baseline**: a bare ``openpyxl.load_workbook(read_only=True)`` walk over every cell of the file.

Each is run ``--repeat`` times (a fresh database for each import); the medians and the ratio
import / baseline are printed and kept in var/bench/hanging_import.json.

    python -m tests.bench.hanging_import [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from services.review.cases.hanging import service
from shared.actor import Actor
from shared.db.engine import make_engine, make_session_factory
from shared.db.transaction import transaction
from tests.bench.stats import write_result
from tests.support.auth import AuthKeys
from tests.support.hanging import row, xlsx
from tests.support.infra import Databases, infrastructure


def _file(rows: int) -> bytes:
    filed = _dt.date(2024, 3, 15)
    return xlsx([row(n, filed_on=filed) for n in range(1, rows + 1)])


def _bare_read(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for values in book.worksheets[0].iter_rows(values_only=True):
        cells += sum(1 for v in values if v is not None)
    book.close()
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = _file(args.rows)
    with tempfile.TemporaryDirectory() as keys_dir:
        actor = Actor.of(AuthKeys.create(Path(keys_dir)).principal("prosecutor"))  # 捕诉 of NY-JCY-XS
    imports, replays, bare = [], [], []
    with infrastructure() as infra:
        databases = Databases(infra)
        try:
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                cells = _bare_read(data)
                bare.append(time.perf_counter() - t0)
                engine = make_engine(databases.fresh("review"))
                sessions = make_session_factory(engine)
                t0 = time.perf_counter()
                with sessions() as session, transaction(session):
                    result = service.import_file(session, data=data, file_name="bench.xlsx", actor=actor)
                imports.append(time.perf_counter() - t0)
                assert len(result.created) == args.rows
                t0 = time.perf_counter()
                with sessions() as session, transaction(session):
                    assert service.import_file(session, data=data, file_name="bench.xlsx", actor=actor).replayed
                replays.append(time.perf_counter() - t0)
                engine.dispose()
        finally:
            databases.drop_all()
    med = {"import_s": statistics.median(imports), "reimport_s": statistics.median(replays),
           "bare_openpyxl_s": statistics.median(bare)}
    ratio = med["import_s"] / med["bare_openpyxl_s"]
    print(f"\n挂案 import, {args.rows:,} rows ({len(data) / 1024 / 1024:.2f} MB XLSX, {cells:,} filled cells), "
          f"median of {args.repeat}")
    print(f"  import (service, PostgreSQL)   {med['import_s']:8.2f} s   {args.rows / med['import_s']:8.0f} rows/s")
    print(f"  re-import (same file)          {med['reimport_s']:8.3f} s")
    print(f"  bare openpyxl read-only walk   {med['bare_openpyxl_s']:8.2f} s   {args.rows / med['bare_openpyxl_s']:8.0f} rows/s")
    print(f"  ratio import / bare read       {ratio:8.1f}")
    write_result("hanging_import", {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "rows": args.rows,
        "file_bytes": len(data), "repeat": args.repeat, "median_s": {k: round(v, 3) for k, v in med.items()},
        "ratio_import_to_bare_read": round(ratio, 1),
        "all_s": {"import": [round(x, 3) for x in imports], "reimport": [round(x, 3) for x in replays],
                  "bare": [round(x, 3) for x in bare]}})


if __name__ == "__main__":
    main()
