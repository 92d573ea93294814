"""The `huhang` command: migrate, serve, run relays and consumers, inspect dead letters."""

from __future__ import annotations

import os
import sys

import click

from shared import logs
from shared.config import SERVICE_PORTS, SERVICES, Settings, database_url

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

    offsets = {(int(p), int(o)) for p, o in (item.split(":") for item in at)} if at else None
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


if __name__ == "__main__":
    main()
