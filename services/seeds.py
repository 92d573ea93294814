"""`huhang db seed`: every domain's seed functions, in manifest order, each idempotent.

A domain declares the `seeds` part in its service's manifest and lists `SEEDS = [(label,
function)]` in its `seed.py`.  A function takes `(session, *, production: bool)`, changes only
what is missing or different, and returns a line to print; `run` commits once per function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from shared import registry
from shared.config import Settings
from shared.db.engine import make_engine, make_session_factory
from shared.db.transaction import transaction


def run(only: str | None = None, *, settings_for: Callable[[str], Settings] = Settings.for_service) -> Iterator[str]:
    """Run every declared seed (of one service if `only`), yielding what each did."""
    for manifest in [registry.manifest(only)] if only else registry.manifests():
        entries = manifest.seeds()
        if not entries:
            continue
        settings = settings_for(manifest.service)
        engine = make_engine(settings.database_url)
        try:
            factory = make_session_factory(engine)
            for label, seed in entries:
                with factory() as session, transaction(session):
                    message = seed(session, production=settings.is_production)
                yield f"{manifest.service}: {label}: {message}"
        finally:
            engine.dispose()
