"""Print the precision/recall curve of the duplicate rule over the labelled pairs.

    .venv/bin/python -m tests.unit.services.intake.duplicates.curve [--pairs]

The table is what docs/duplicates.md shows; `--pairs` also lists every pair by score, the
misclassified ones marked, which is how the threshold and the stop list were chosen.
"""

from __future__ import annotations

import sys

from services.intake.duplicates.similarity import THRESHOLD
from tests.unit.services.intake.duplicates.labelled import curve, point, scored_pairs


def main(argv: list[str]) -> None:
    pairs = scored_pairs()
    positives = sum(p.duplicate for p in pairs)
    print(f"{len(pairs)} pairs: {positives} duplicates, {len(pairs) - positives} not\n")
    print("| threshold | precision | recall | TP | FP | FN |")
    print("|---:|---:|---:|---:|---:|---:|")
    for pt in curve(pairs, sorted({round(0.30 + 0.02 * i, 2) for i in range(26)} | {THRESHOLD})):
        mark = " **(chosen)**" if abs(pt.threshold - THRESHOLD) < 1e-9 else ""
        print(f"| {pt.threshold:.2f}{mark} | {pt.precision:.3f} | {pt.recall:.3f} | "
              f"{pt.true_positives} | {pt.false_positives} | {pt.false_negatives} |")
    chosen = point(pairs, THRESHOLD)
    print(f"\nat THRESHOLD={THRESHOLD}: precision {chosen.precision:.3f}, recall {chosen.recall:.3f}")
    if "--pairs" in argv:
        print()
        for p in sorted(pairs, key=lambda p: p.score, reverse=True):
            wrong = (p.score >= THRESHOLD) != p.duplicate
            print(f"{p.score:.3f} {'dup' if p.duplicate else '   '} {p.kind:16} {p.id}{'  <-- wrong' if wrong else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
