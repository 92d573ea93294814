"""`huhang db seed`: a registry of per-domain seed functions, run in order, each idempotent.

A domain adds itself with one line in SEEDS: `(service, name, "module:function")`.  The function
takes `(session, *, production: bool)`, changes only what is missing or different, and returns a
line (or lines) to print.  `run` commits once per seed function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Protocol

from sqlalchemy.orm import Session

from shared.config import SERVICES, Settings
from shared.db.engine import make_engine, make_session_factory


class SeedFunction(Protocol):
    def __call__(self, session: Session, *, production: bool) -> str: ...


SEEDS: list[tuple[str, str, str]] = [
    ("review", "units", "services.review.identity.units.seed:seed_units"),
    ("review", "demo accounts", "services.review.identity.accounts.seed:seed_demo_accounts"),
    ("review", "deadline rules", "services.review.deadlines.seed:seed_deadline_rules"),
]


def _resolve(path: str) -> SeedFunction:
    module, _, name = path.partition(":")
    func: SeedFunction = getattr(importlib.import_module(module), name)
    return func


def run(only: str | None = None, *, settings_for: Callable[[str], Settings] = Settings.for_service) -> Iterator[str]:
    """Run every registered seed (of one service if `only`), yielding what each did."""
    for service in [only] if only else SERVICES:
        entries = [(name, path) for svc, name, path in SEEDS if svc == service]
        if not entries:
            continue
        settings = settings_for(service)
        engine = make_engine(settings.database_url)
        try:
            factory = make_session_factory(engine)
            for name, path in entries:
                with factory() as session:
                    message = _resolve(path)(session, production=settings.is_production)
                    session.commit()
                yield f"{service}: {name}: {message}"
        finally:
            engine.dispose()
