"""The `huhang` command: the platform's commands (migrate, serve, relays, consumers, dead letters,
audit), and every domain's own, added from the services' manifests (a domain's `commands.py`)."""

from __future__ import annotations

import os
import sys

import click

from shared import logs
from shared import registry
from shared.config import Settings, database_url
from shared.db.engine import make_engine, make_session_factory, one_off_session

SERVICES = registry.names()
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
    port = port or registry.manifest(service).port
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
    """Relay, audit sequencer, consumer and the domains' loops of a service in one process."""
    from services.runtime import run_workers

    logs.configure(f"{service}-workers")
    run_workers(Settings.for_service(service))


@main.command()
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's jobs (default: every service that has jobs).")
@click.option("--interval", type=float, default=60.0, show_default=True, help="Seconds between passes.")
@click.option("--batch", type=int, default=100, show_default=True, help="Rows per transaction.")
def scheduler(only: str | None, interval: float, batch: int) -> None:
    """Run the domains' periodic jobs (deadline.due_soon / deadline.overdue, ...); several replicas may run."""
    from services.review.jobs.runner import JobRunner
    from services.runtime import on_signals

    chosen = [registry.manifest(only)] if only else [m for m in registry.manifests() if m.having("jobs")]
    if len(chosen) != 1:
        raise click.UsageError(f"name one --service of {[m.service for m in chosen]}")
    manifest = chosen[0]
    logs.configure(f"{manifest.service}-scheduler")
    runner = JobRunner(
        manifest.jobs(batch_size=batch), make_session_factory(make_engine(database_url(manifest.service))),
        interval_s=interval,
    )
    on_signals(runner)
    runner.run()


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


@main.group()
def audit() -> None:
    """The audit log (审计日志): link, verify its hash chain, purge past the retention period."""


@audit.command("link")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's log.")
def audit_link(only: str | None) -> None:
    """Link every committed audit row into the chain now (what the workers' sequencer does continuously)."""
    from shared.audit.sequencer import link_all

    for service in [only] if only else SERVICES:
        engine = make_engine(database_url(service))
        try:
            linked = link_all(make_session_factory(engine))
        finally:
            engine.dispose()
        click.echo(f"{service}: linked {linked.rows} row(s)")


@audit.command("verify")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's log.")
@click.option("--no-chain", is_flag=True, help="Verify as found: do not link committed rows first (read-only).")
def audit_verify(only: str | None, no_chain: bool) -> None:
    """Link what can be linked, then recompute every service's audit chain and check the rows not yet
    linked; exit 1 if any row was altered, removed, inserted or misplaced."""
    from shared.audit.sequencer import link_all
    from shared.audit.service import verify_chain

    broken = False
    for service in [only] if only else SERVICES:
        engine = make_engine(database_url(service))
        try:
            sessions = make_session_factory(engine)
            # After linking, a row left unlinked below the horizon was held back or taken out.
            horizon = None if no_chain else link_all(sessions).horizon
            with sessions() as session:
                report = verify_chain(session, horizon=horizon)
        finally:
            engine.dispose()
        for problem in report.problems:
            click.echo(f"{service}: {problem.kind.upper()} id={problem.row_id}: {problem.message}")
        state = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        click.echo(
            f"{service}: {state}; {report.rows} row(s), {report.unchained} not yet chained; "
            f"head seq={report.head_seq} id={report.head_id} hash={report.head_hash}"
        )
        broken = broken or not report.ok
    if broken:
        sys.exit(1)


@audit.command("purge")
@click.option("--older-than", "days", type=int, required=True, help="Days; at least 183 (网络安全法 第二十一条).")
@click.option("--service", "only", type=click.Choice(SERVICES), help="Only this service's log.")
def audit_purge(days: int, only: str | None) -> None:
    """Link what can be linked, delete audit rows older than DAYS and write a checkpoint row that keeps
    the chain verifiable."""
    from shared.audit.service import MIN_RETENTION_DAYS, purge

    if days < MIN_RETENTION_DAYS:
        raise click.BadParameter(f"audit rows are kept at least {MIN_RETENTION_DAYS} days", param_hint="--older-than")
    for service in [only] if only else SERVICES:
        with one_off_session(database_url(service)) as session, session.begin():
            result = purge(session, older_than_days=days, actor=f"cli:{os.environ.get('USER', 'operator')}")
        click.echo(f"{service}: removed {result.removed} row(s) through id {result.through_id}")


for _manifest in registry.manifests():
    _manifest.register_commands(main)


if __name__ == "__main__":
    main()
