"""The intake benchmarks run end to end at tiny sizes (no figures asserted: speed is for `make bench`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.identifiers import credit_code, id_card
from tests.bench.intake_throughput import petition

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.bench]


def test_the_bench_petitions_are_valid_and_distinct() -> None:
    from services.intake.petitions.schemas import PetitionCreate

    bodies = [petition(i) for i in range(300)]
    assert all(PetitionCreate().validate(b) == {} for b in bodies)
    assert len({b["petitioner"]["id_number"] for b in bodies}) == 300
    assert all(id_card.is_valid_id_number(b["petitioner"]["id_number"]) for b in bodies)
    assert all(credit_code.is_valid_credit_code(b["enterprise"]["credit_code"]) for b in bodies if "enterprise" in b)


def _run(module: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, env=dict(os.environ), check=True, timeout=600)


def test_the_throughput_bench_runs_and_every_accepted_petition_is_stored_with_its_event() -> None:
    _run("tests.bench.intake_throughput", "--seconds", "2", "--warmup", "0.5", "--clients", "2", "--rounds", "1", "--only", "1,2")
    result = json.loads((REPO / "var" / "bench" / "intake_throughput.json").read_text())
    bare, huhang = result["settings"]
    assert bare["accepted"] > 0 and huhang["accepted"] > 0
    assert huhang["refused"] == {} and bare["refused"] == {}
    # Accepted means committed: the rows (and huhang's outbox events) are there, at least as many
    # as were counted inside the window.
    assert huhang["rows_stored"] >= huhang["accepted"] and huhang["outbox_rows"] == huhang["rows_stored"]


def test_the_query_bench_runs_on_a_small_database() -> None:
    _run("tests.bench.public_query", "--cases", "2000", "--queries", "10")
    result = json.loads((REPO / "var" / "bench" / "public_query.json").read_text())
    assert result["cases"] == 2000
    assert {"correct code", "wrong code", "unknown case", "baseline: bare indexed lookup"} <= set(result["figures_ms"])
