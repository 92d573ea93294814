"""`huhang accounts ...`: staff accounts from the command line (the first administrator, service accounts)."""

from __future__ import annotations

import click

from shared.config import database_url
from shared.db.engine import one_off_session
from shared.db.transaction import transaction


@click.group()
def accounts() -> None:
    """Staff accounts (review)."""


@accounts.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Display name, e.g. 张三.")
@click.option("--unit", "unit_code", required=True, help="Unit code from services/review/identity/units/units.toml.")
@click.option("--role", "roles", multiple=True, required=True, help="A role (repeatable).")
@click.password_option(help="Prompted (twice) when not given; must meet the password policy.")
def accounts_create(username: str, display_name: str, unit_code: str, roles: tuple[str, ...], password: str) -> None:
    """Create a staff account; prints the TOTP secret once when its roles need one."""
    import pyotp

    from services.review.identity.accounts import admin, signin
    from shared.auth.config import AuthSettings
    from shared.db.base import utcnow
    from shared.errors import DomainError

    with one_off_session(database_url("review")) as session, transaction(session):
        secret = pyotp.random_base32() if signin.TOTP_ROLES.intersection(roles) else None
        try:
            admin.create(session, username=username, display_name=display_name, unit_code=unit_code,
                         roles=roles, password=password, now=utcnow(), totp_secret=secret,
                         secret_key=AuthSettings().effective_secret())
        except DomainError as exc:
            raise click.ClickException(f"{exc.message_en}: {exc.details or ''}") from None
    click.echo(f"created {username} ({', '.join(sorted(roles))}, {unit_code})")
    if secret:
        click.echo(f"TOTP secret (shown once; add it to the user's authenticator): {secret}")


def register(root: click.Group) -> None:
    root.add_command(accounts)
