"""The generated documents are current: what `huhang docs events` / `huhang docs deadlines` would write.

When one of these fails, run the command it names and commit the result.
"""

from __future__ import annotations

from pathlib import Path

from services.review.deadlines import docs as deadline_docs
from shared.events.catalog import render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_events_md_is_generated_from_the_catalogue() -> None:
    # services/cli.py `docs events` writes render_markdown() plus a final newline.
    current = (DOCS / "events.md").read_text(encoding="utf-8")
    assert current == render_markdown() + "\n", "docs/events.md is stale: run `huhang docs events`"


def test_deadlines_md_generated_section_matches_the_rules() -> None:
    current = (DOCS / "deadlines.md").read_text(encoding="utf-8")
    assert current.count(deadline_docs.BEGIN) == 1 and current.count(deadline_docs.END) == 1, (
        "docs/deadlines.md must hold exactly one generated section between the markers"
    )
    # `huhang docs deadlines` rewrites only the marked section: the file must come out unchanged.
    assert deadline_docs.with_generated(current) == current, "docs/deadlines.md is stale: run `huhang docs deadlines`"
