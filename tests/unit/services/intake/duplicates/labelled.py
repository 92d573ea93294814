"""The labelled pairs of tests/data/duplicates/pairs.jsonl and precision/recall over them.

Each line is one pair of petitions (subject 事由 and claim 诉求 of each) and whether they are the
same matter (重复件).  The pairs were written for this test: 涉企 subjects (账户冻结, 拖欠工程款,
查封扣押, 挂案, 行政处罚, 失信名单, 执行款, 知识产权, 劳动争议, 合同纠纷, 羁押, 诉讼费, 立案,
12368 contacts); positives say the same matter again (`repeat`: a re-petition after no answer,
`reworded`, `typo`, `added_detail`, `no_subject`: one side registered without a subject),
negatives are another matter of the same enterprise (`other_matter`) or a different matter in
similar words (`similar_wording`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from services.intake.duplicates.similarity import similarity

PAIRS = Path(__file__).resolve().parents[4] / "data" / "duplicates" / "pairs.jsonl"


@dataclass(frozen=True)
class Pair:
    id: str
    kind: str
    duplicate: bool
    score: float


@dataclass(frozen=True)
class Point:
    threshold: float
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int


def scored_pairs(path: Path = PAIRS) -> list[Pair]:
    """Every labelled pair with its similarity score."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        a, b = row["a"], row["b"]
        score = similarity(a["subject"], a["claim"], b["subject"], b["claim"]).value
        pairs.append(Pair(row["id"], row["kind"], bool(row["duplicate"]), score))
    return pairs


def point(pairs: list[Pair], threshold: float) -> Point:
    """Precision and recall when a pair scoring at least `threshold` is called a duplicate."""
    tp = sum(1 for p in pairs if p.duplicate and p.score >= threshold)
    fp = sum(1 for p in pairs if not p.duplicate and p.score >= threshold)
    fn = sum(1 for p in pairs if p.duplicate and p.score < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Point(threshold, precision, recall, tp, fp, fn)


def curve(pairs: list[Pair], thresholds: list[float]) -> list[Point]:
    return [point(pairs, t) for t in thresholds]
