"""`huhang rules import FILE`: load a new 首违不罚 list, or a new version of one, from its file.

The file is validated first (format: services/review/leniency/FORMAT.md); a bad file is refused
with every problem named (the file, the field, why) and nothing is stored.  A version already
loaded is never overwritten: the same file again is a no-op, a changed one needs a new version.
"""

from __future__ import annotations

import os

import click

from shared.config import database_url
from shared.db.engine import one_off_session
from shared.db.transaction import transaction


@click.group()
def rules() -> None:
    """Rules kept as data: the 首违不罚 lists (行政处罚法 art. 33)."""


@rules.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "imported_by", default=lambda: f"cli:{os.environ.get('USER', 'admin')}",
              show_default="cli:$USER", help="Who imports it (recorded).")
def rules_import(file: str, imported_by: str) -> None:
    """Import one list version FILE (TOML) into leniency_lists."""
    from services.review.leniency import catalogue
    from services.review.leniency.lists import InvalidListFile
    from shared.actor import Actor

    name = os.path.basename(file)
    with open(file, encoding="utf-8-sig") as fh:
        text = fh.read()
    try:
        with one_off_session(database_url("review")) as session, transaction(session):
            row, created = catalogue.load_text(session, text, source=name, actor=Actor(imported_by))
            summary = (row.code, row.version, row.document_number, row.effective_from, len(row.items))
    except InvalidListFile as exc:
        for problem in exc.details.get("problems", []):
            click.echo(problem, err=True)
        raise click.ClickException(f"{file}: not imported") from None
    except catalogue.VersionConflict as exc:
        raise click.ClickException(str(exc)) from None
    code, version, number, start, items = summary
    verb = "imported" if created else "already loaded, unchanged:"
    click.echo(f"{verb} {code} version {version} ({number}, in force from {start}, {items} items)")


@rules.command("list")
def rules_list() -> None:
    """Every loaded list version."""
    from services.review.leniency import catalogue

    with one_off_session(database_url("review")) as session:
        for row in catalogue.versions(session):
            click.echo(f"{row.code}\tv{row.version}\t{row.effective_from}\t{row.document_number}\t{len(row.items)} items")


def register(root: click.Group) -> None:
    root.add_command(rules)
