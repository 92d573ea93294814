"""`huhang calendar ...` and `huhang docs deadlines`: the holiday years deadlines are counted over, and
the generated rules page.

`calendar import` is the flow that spans holidays and deadlines (deadlines/flows.py), so the
command lives here, on the side that already knows both.
"""

from __future__ import annotations

import os

import click

from shared.config import database_url
from shared.db.engine import one_off_session
from shared.db.transaction import transaction


@click.group()
def calendar() -> None:
    """Holiday years (国务院办公厅 放假安排) used for deadlines."""


@calendar.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "imported_by", default=lambda: f"cli:{os.environ.get('USER', 'admin')}",
              show_default="cli:$USER", help="Who imports it (recorded).")
def calendar_import(file: str, imported_by: str) -> None:
    """Import one year FILE (format: shared/calendar/FORMAT.md) and recompute affected deadlines."""
    from services.review.deadlines.flows import import_year
    from services.review.holidays.service import InvalidYearFile

    with open(file, encoding="utf-8-sig") as fh:
        text = fh.read()
    try:
        with one_off_session(database_url("review")) as session, transaction(session):
            row, changed = import_year(session, text=text, imported_by=imported_by)
    except InvalidYearFile as exc:
        for problem in exc.details.get("problems", []):
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException(f"{file}: not imported") from None
    click.echo(f"imported {row.year} ({row.source}); {len(changed)} deadline(s) recomputed")


@calendar.command("list")
def calendar_list() -> None:
    """Every year the calendar knows: the package's, the data files' and imported ones."""
    from services.review.holidays.service import list_years

    with one_off_session(database_url("review")) as session:
        for y in list_years(session):
            where = f"imported {y.imported_at:%Y-%m-%d} by {y.imported_by}" if y.stored else "built in"
            click.echo(f"{y.year}\t{where}\t{y.source}")


@click.command("deadlines")
@click.option("--output", type=click.Path(dir_okay=False), default="docs/deadlines.md", show_default=True)
def docs_deadlines(output: str) -> None:
    """Rewrite the generated part of docs/deadlines.md from services/review/deadlines/rules.toml."""
    from services.review.deadlines.docs import write_docs

    write_docs(output)
    click.echo(f"wrote {output}")


def register(root: click.Group) -> None:
    root.add_command(calendar)
    docs = root.commands["docs"]
    assert isinstance(docs, click.Group)
    docs.add_command(docs_deadlines)
