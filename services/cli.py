"""The `huhang` command: migrate, serve, run relays and consumers, inspect dead letters."""

from __future__ import annotations

import os
import sys

import click

from shared import logs
from shared.config import SERVICE_PORTS, SERVICES, Settings, database_url
from shared.db.engine import make_engine, make_session_factory, one_off_session

service_arg = click.argument("service", type=click.Choice(SERVICES))


@click.group()
def main() -> None:
    """huhang (护航): 涉企 case management."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's database.")
def db_upgrade(only: str | None) -> None:
    """Bring every service's database up to the newest migration."""
    from shared.db.migrate import upgrade

    for service in [only] if only else SERVICES:
        url = database_url(service)
        upgrade(service, url)
        click.echo(f"{service}: up to date ({url.split('@')[-1]})")


@db.command("seed")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's seeds.")
def db_seed(only: str | None) -> None:
    """Load reference data (units, ...) and, outside production, the demo accounts (idempotent)."""
    from services.seeds import run

    for line in run(only):
        click.echo(line)


@main.command()
@service_arg
@click.option("--port", type=int, help="Default: intake 8101, review 8102, notify 8103.")
@click.option("--workers", type=int, default=2, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
def serve(service: str, port: int | None, workers: int, host: str) -> None:
    """Serve a service's HTTP API with gunicorn."""
    port = port or SERVICE_PORTS[service]
    args = [
        sys.executable, "-m", "gunicorn", f"services.{service}:create_app()",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
        "--graceful-timeout", "10", "--timeout", "60", "--name", f"huhang-{service}",
    ]
    os.execv(sys.executable, args)


@main.command()
@service_arg
def relay(service: str) -> None:
    """Publish the service's outbox to Kafka until stopped."""
    from services.runtime import run_relay

    logs.configure(f"{service}-relay")
    run_relay(Settings.for_service(service))


@main.command()
@service_arg
def consume(service: str) -> None:
    """Consume the events the service handles until stopped."""
    from services.runtime import run_consumer

    logs.configure(f"{service}-consumer")
    run_consumer(Settings.for_service(service))


@main.command()
@service_arg
def workers(service: str) -> None:
    """Relay and consumer of a service in one process."""
    from services.runtime import run_workers

    logs.configure(f"{service}-workers")
    run_workers(Settings.for_service(service))


@main.command()
@click.option("--interval", type=float, default=60.0, show_default=True, help="Seconds between passes.")
@click.option("--batch", type=int, default=100, show_default=True, help="Rows per transaction.")
def scheduler(interval: float, batch: int) -> None:
    """Run review's periodic jobs: deadline.due_soon / deadline.overdue exactly once (several replicas may run)."""
    from services.review.deadlines.jobs import jobs as deadline_jobs
    from services.review.jobs.runner import JobRunner
    from services.runtime import on_signals

    logs.configure("review-scheduler")
    runner = JobRunner(
        deadline_jobs(batch_size=batch), make_session_factory(make_engine(database_url("review"))), interval_s=interval
    )
    on_signals(runner)
    runner.run()


@main.group()
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
        with one_off_session(database_url("review")) as session, session.begin():
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


@main.group()
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
    from services.review.identity.units.models import Unit
    from shared.auth.config import AuthSettings
    from shared.db.base import utcnow
    from shared.errors import DomainError

    with one_off_session(database_url("review")) as session:
        if session.get(Unit, unit_code) is None:
            raise click.BadParameter(f"unknown unit {unit_code} (run `huhang db seed` first?)", param_hint="--unit")
        secret = pyotp.random_base32() if signin.TOTP_ROLES.intersection(roles) else None
        try:
            admin.create(session, username=username, display_name=display_name, unit_code=unit_code,
                         roles=roles, password=password, now=utcnow(), totp_secret=secret,
                         secret_key=AuthSettings().effective_secret())
        except DomainError as exc:
            raise click.ClickException(f"{exc.message_en}: {exc.details or ''}") from None
        session.commit()
    click.echo(f"created {username} ({', '.join(sorted(roles))}, {unit_code})")
    if secret:
        click.echo(f"TOTP secret (shown once; add it to the user's authenticator): {secret}")


@main.group()
def dlq() -> None:
    """Dead letters of a consumer group."""


@dlq.command("list")
@click.argument("group")
def dlq_list(group: str) -> None:
    """List the dead letters of GROUP (review, notify)."""
    from shared.config import KafkaSettings
    from shared.kafka.dlq import read_all

    letters = read_all(KafkaSettings(), group)
    for letter in letters:
        click.echo(
            f"{letter.partition}:{letter.offset}\tfrom={letter.origin_topic}"
            f"@{letter.headers.get('dlq.origin.partition')}:{letter.headers.get('dlq.origin.offset')}"
            f"\tattempts={letter.headers.get('dlq.attempts')}\terror={letter.error}"
        )
    click.echo(f"{len(letters)} dead letter(s) in {KafkaSettings().dead_letter_topic(group)}")


@dlq.command("replay")
@click.argument("group")
@click.option("--at", "at", multiple=True, help="PARTITION:OFFSET of one letter (repeatable); default all.")
def dlq_replay(group: str, at: tuple[str, ...]) -> None:
    """Send dead letters back to their origin topic (consumers skip what they already handled)."""
    from shared.config import KafkaSettings
    from shared.kafka.dlq import replay

    offsets: set[tuple[int, int]] | None = None
    if at:
        try:
            offsets = {(int(p), int(o)) for p, o in (item.split(":") for item in at)}
        except ValueError:
            raise click.BadParameter("PARTITION:OFFSET, e.g. 0:42 (see `huhang dlq list`)", param_hint="--at") from None
    click.echo(f"replayed {replay(KafkaSettings(), group, offsets=offsets)} message(s)")


@main.group()
def docs() -> None:
    """Generated documentation."""


@docs.command("events")
@click.option("--output", type=click.Path(dir_okay=False), default="docs/events.md", show_default=True)
def docs_events(output: str) -> None:
    """Write docs/events.md from the event catalogue."""
    from shared.events.catalog import render_markdown

    with open(output, "w", encoding="utf-8") as fh:
        fh.write(render_markdown() + "\n")
    click.echo(f"wrote {output}")


@docs.command("deadlines")
@click.option("--output", type=click.Path(dir_okay=False), default="docs/deadlines.md", show_default=True)
def docs_deadlines(output: str) -> None:
    """Rewrite the generated part of docs/deadlines.md from services/review/deadlines/rules.toml."""
    from services.review.deadlines.docs import write_docs

    write_docs(output)
    click.echo(f"wrote {output}")



@main.group()
def audit() -> None:
    """The audit log (审计日志): verify its hash chain, purge past the retention period."""


@audit.command("verify")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's log.")
def audit_verify(only: str | None) -> None:
    """Recompute every service's audit chain; exit 1 if any row was altered, removed or inserted."""
    from shared.audit.service import verify_chain

    broken = False
    for service in [only] if only else SERVICES:
        with one_off_session(database_url(service)) as session:
            report = verify_chain(session)
        for problem in report.problems:
            click.echo(f"{service}: {problem.kind.upper()} id={problem.row_id}: {problem.message}")
        state = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        click.echo(f"{service}: {state}; {report.rows} row(s); head id={report.head_id} hash={report.head_hash}")
        broken = broken or not report.ok
    if broken:
        sys.exit(1)


@audit.command("purge")
@click.option("--older-than", "days", type=int, required=True, help="Days; at least 183 (网络安全法 第二十一条).")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's log.")
def audit_purge(days: int, only: str | None) -> None:
    """Delete audit rows older than DAYS and write a checkpoint row that keeps the chain verifiable."""
    from shared.audit.service import MIN_RETENTION_DAYS, purge

    if days < MIN_RETENTION_DAYS:
        raise click.BadParameter(f"audit rows are kept at least {MIN_RETENTION_DAYS} days", param_hint="--older-than")
    for service in [only] if only else SERVICES:
        with one_off_session(database_url(service)) as session, session.begin():
            result = purge(session, older_than_days=days, actor=f"cli:{os.environ.get('USER', 'operator')}")
        click.echo(f"{service}: removed {result.removed} row(s) through id {result.through_id}")


if __name__ == "__main__":
    main()
