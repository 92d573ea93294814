"""Percentiles and the printed report of a benchmark."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(latencies_s: Sequence[float]) -> dict[str, float]:
    return {f"p{p}": round(percentile(latencies_s, p) * 1000, 2) for p in (50, 95, 99)} | {"n": len(latencies_s)}


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Keep a run's figures as var/bench/<name>.json (the docs quote them) and say where."""
    out = Path(__file__).resolve().parents[2] / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written to {path}")
    return path
