"""docs/deadlines.md: a hand-written introduction and a section generated from rules.toml.

Only the text between the two markers is rewritten, so the explanation around it stays.
"""

from __future__ import annotations

from pathlib import Path

from services.review.deadlines.rules import render_markdown

BEGIN = "<!-- BEGIN GENERATED: huhang docs deadlines -->"
END = "<!-- END GENERATED -->"


def with_generated(text: str) -> str:
    """``text`` with its generated section replaced (appended if the markers are missing)."""
    block = f"{BEGIN}\n{render_markdown()}{END}"
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_docs(output: str | Path) -> None:
    path = Path(output)
    current = path.read_text(encoding="utf-8") if path.exists() else "# Deadlines\n"
    path.write_text(with_generated(current), encoding="utf-8")
