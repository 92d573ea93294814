"""A service's domain manifest: the one list that says which domains a service has, and what each brings.

Each service declares `MANIFEST = ServiceManifest(...)` in `services/<svc>/domains.py` and
registers it under the `huhang.services` entry point (pyproject.toml); `shared.registry` finds it
there, so nothing in `shared/` names a service.  Every wiring point reads the manifest instead of
a hand-kept registry:

| part         | module of the domain  | what it must define                                        | read by                 |
|--------------|-----------------------|------------------------------------------------------------|-------------------------|
| `models`     | `models.py`           | the domain's tables (importing it registers them)          | migrations, tests       |
| `views`      | `views.py`            | `blp`: a flask-smorest Blueprint (the REST API)             | the web app             |
| `pages`      | `pages.py`            | `blp`: a Blueprint of server-rendered pages                 | the web app             |
| `handlers`   | `handlers.py`         | `HANDLERS`: event type -> handler(session, envelope)        | the consumer            |
| `seeds`      | `seed.py`             | `SEEDS`: [(label, function(session, *, production) -> str)] | `huhang db seed`        |
| `commands`   | `commands.py`         | `register(root: click.Group) -> None`                       | the `huhang` command    |
| `jobs`       | `jobs.py`             | `jobs(**options) -> [Job]`                                  | `huhang scheduler`      |
| `workers`    | `workers.py`          | `build(settings) -> [Loop]`: background loops               | `huhang workers`        |
| `migrations` | `migrations/` folder  | Alembic revisions on a branch labelled with the domain name | `huhang db upgrade`     |

The manifest also says which paths the service answers through the front door (`routes`: path
prefixes, matched as `shared/routing.py` describes; `shared.registry.route_table()` gathers every
service's into the one table the proxy is rendered from).

Adding a domain is one package plus one `Domain(...)` line.  `ServiceManifest.check()` runs when
any process of the service starts and fails loudly (ManifestError) when a declared part is
missing or malformed, when two domains claim one event type, or when a package of the service
holds domain modules but is not in the manifest.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from shared import routing

if TYPE_CHECKING:
    import click
    from flask import Flask
    from sqlalchemy.orm import Session

    from shared.config import Settings

PARTS: Mapping[str, str] = {
    "models": "models",
    "views": "views",
    "pages": "pages",
    "handlers": "handlers",
    "seeds": "seed",
    "commands": "commands",
    "jobs": "jobs",
    "workers": "workers",
    # Where a domain subscribes its functions to another's hooks (the deadline engine's observers,
    # triage's 交办): imported with the models by every process, so no models module imports its
    # own domain's rules to subscribe them.
    "subscriptions": "subscriptions",
}
MIGRATIONS = "migrations"
# A package holding any of these modules is a domain and must be in its service's manifest.
_DOMAIN_MODULES = frozenset({"models", "views", "pages", "handlers", "service"})


class ManifestError(RuntimeError):
    """The manifest and the code disagree; the process refuses to start."""


class SeedFunction(Protocol):
    def __call__(self, session: Session, *, production: bool) -> str: ...


class Loop(Protocol):
    """A background loop of a worker process (the outbox relay is one, notify's dispatcher another)."""

    def run(self) -> None:
        """Work until `stop()` is called; never raises for a passing outage (it retries)."""

    def stop(self) -> None:
        """Ask `run` to return soon; callable from a signal handler or another thread."""


Handler = Callable[["Session", Any], None]


@dataclass(frozen=True)
class NavItem:
    """One link of the staff portal's navigation, shown to the roles given (None: every signed-in user).

    Every service's pages show the whole portal's navigation, so each service declares the links
    to its own pages here and the layout gathers them from every manifest (shared.registry).
    """

    label: str
    href: str
    roles: tuple[str, ...] | None = None
    order: int = 100


@dataclass(frozen=True)
class Domain:
    """One domain package of a service and the parts it declares."""

    name: str
    package: str
    parts: frozenset[str]

    def __init__(self, name: str, package: str, *parts: str) -> None:
        unknown = set(parts) - set(PARTS) - {MIGRATIONS}
        if unknown:
            raise ManifestError(f"{name}: unknown part(s) {sorted(unknown)}; known: {sorted([*PARTS, MIGRATIONS])}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "package", package)
        object.__setattr__(self, "parts", frozenset(parts))

    def module(self, part: str) -> ModuleType:
        """The module that holds `part`; a declared part that does not import is a ManifestError."""
        name = f"{self.package}.{PARTS[part]}"
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                raise ManifestError(f"{self.name}: declares {part!r} but {name} does not exist") from None
            raise

    def attribute(self, part: str, attribute: str) -> Any:
        module = self.module(part)
        if not hasattr(module, attribute):
            raise ManifestError(f"{self.name}: {module.__name__} must define {attribute} (part {part!r})")
        return getattr(module, attribute)

    @property
    def directory(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ManifestError(f"{self.name}: package {self.package} not found")
        return Path(next(iter(spec.submodule_search_locations)))

    @property
    def migrations_dir(self) -> Path:
        return self.directory / MIGRATIONS


@dataclass(frozen=True)
class ServiceManifest:
    """Everything a service is made of: its domains, what it consumes, how its app is built."""

    service: str
    package: str  # the service's top package; every domain lives inside it
    title: str
    port: int
    domains: tuple[Domain, ...]
    # Path prefixes the front door sends to this service (shared/routing.py); include
    # `platform_routes(service)` for what shared code mounts in every service.
    routes: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()  # the services whose topics it reads
    signs_tokens: bool = False  # the one service that issues tokens (review)
    required_keys: tuple[str, ...] = ()  # keyring keys production refuses to start without
    configure_app: Callable[[Flask], None] | None = None  # a last hook on the built app
    # Run when any process of the service starts (API, consumer, workers): keys present, templates complete.
    startup_checks: tuple[Callable[[], None], ...] = ()
    nav: tuple[NavItem, ...] = ()  # the portal's links to this service's pages
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = [d.name for d in self.domains]
        if len(set(names)) != len(names):
            raise ManifestError(f"{self.service}: a domain is listed twice: {names}")
        try:
            canonical = [routing.normalise(r) for r in self.routes]
        except routing.RoutingError as exc:
            raise ManifestError(f"{self.service}: {exc}") from None
        if len(set(canonical)) != len(canonical):
            raise ManifestError(f"{self.service}: a route is listed twice: {list(self.routes)}")

    def having(self, part: str) -> list[Domain]:
        return [d for d in self.domains if part in d.parts]

    # --- what each wiring point reads ---------------------------------------------------------

    def import_models(self) -> None:
        """Import every domain's models so `Base.metadata` knows the service's tables, and its
        subscriptions, so that whatever writes those tables tells the domains that follow them."""
        for domain in self.having("models"):
            domain.module("models")
        for domain in self.having("subscriptions"):
            domain.module("subscriptions")

    def blueprints(self) -> list[Any]:
        """The API blueprints (flask-smorest), in manifest order."""
        return [d.attribute("views", "blp") for d in self.having("views")]

    def page_blueprints(self) -> list[Any]:
        """The page blueprints (plain Flask, shared/web/pages), in manifest order."""
        return [d.attribute("pages", "blp") for d in self.having("pages")]

    def handlers(self) -> dict[str, Handler]:
        """Event type -> handler, across domains; two domains handling one type is an error."""
        merged: dict[str, Handler] = {}
        owner: dict[str, str] = {}
        for domain in self.having("handlers"):
            table = domain.attribute("handlers", "HANDLERS")
            if not isinstance(table, Mapping):
                raise ManifestError(f"{domain.name}: HANDLERS must map event types to handlers")
            for event_type, handler in table.items():
                if event_type in merged:
                    raise ManifestError(f"{self.service}: {event_type} is handled by {owner[event_type]} and {domain.name}")
                merged[event_type], owner[event_type] = handler, domain.name
        return merged

    def seeds(self) -> list[tuple[str, SeedFunction]]:
        out: list[tuple[str, SeedFunction]] = []
        for domain in self.having("seeds"):
            out.extend(domain.attribute("seeds", "SEEDS"))
        return out

    def register_commands(self, root: click.Group) -> None:
        for domain in self.having("commands"):
            domain.attribute("commands", "register")(root)

    def jobs(self, **options: Any) -> list[Any]:
        """Every domain's scheduled jobs: `jobs.py` defines `jobs(**options) -> [Job]`."""
        out: list[Any] = []
        for domain in self.having("jobs"):
            out.extend(domain.attribute("jobs", "jobs")(**options))
        return out

    def run_startup_checks(self) -> None:
        for check in self.startup_checks:
            check()

    def worker_loops(self, settings: Settings) -> list[Loop]:
        out: list[Loop] = []
        for domain in self.having("workers"):
            out.extend(domain.attribute("workers", "build")(settings))
        return out

    def migration_locations(self) -> list[Path]:
        return [d.migrations_dir for d in self.having(MIGRATIONS)]

    # --- the start-up check -------------------------------------------------------------------

    def check(self) -> None:
        """Fail loudly where the manifest and the code disagree (see the module docstring)."""
        if self._cache.get("checked"):
            return
        for domain in self.domains:
            if not domain.package.startswith(self.package + "."):
                raise ManifestError(f"{domain.name}: {domain.package} is not inside {self.package}")
            for part in sorted(domain.parts - {MIGRATIONS}):
                domain.module(part)
            if MIGRATIONS in domain.parts:
                versions = list(domain.migrations_dir.glob("*.py")) if domain.migrations_dir.is_dir() else []
                if not versions:
                    raise ManifestError(f"{domain.name}: declares migrations but {domain.migrations_dir} has none")
            elif domain.migrations_dir.is_dir():
                raise ManifestError(f"{domain.name}: has {domain.migrations_dir} but does not declare 'migrations'")
        self._check_consumed_topics()
        listed = {d.package for d in self.domains}
        for package in self._domain_packages():
            if package not in listed:
                raise ManifestError(
                    f"{self.service}: {package} holds domain modules but is not in the manifest "
                    f"({self.package}.domains): add a Domain(...) line for it"
                )
        self._cache["checked"] = True

    def _check_consumed_topics(self) -> None:
        """Each handled event type is in the catalogue and its producer's topic is one the consumer reads.

        The consumer subscribes to `consumes` (services/runtime.py); a handler of another
        service's event without that service in `consumes` would never be called.
        """
        from shared.events.catalog import CATALOG

        source_of = {et.type: et.source for et in CATALOG.values()}
        for event_type in self.handlers():
            if event_type not in source_of:
                raise ManifestError(f"{self.service}: handles {event_type}, which is not in shared/events' catalogue")
            if source_of[event_type] not in self.consumes:
                raise ManifestError(
                    f"{self.service}: handles {event_type} from {source_of[event_type]} but consumes only "
                    f"{list(self.consumes)}: add {source_of[event_type]!r} to consumes")

    def _domain_packages(self) -> Iterable[str]:
        """Every package below the service that holds a domain module, found on disk (nothing imported)."""
        root = importlib.import_module(self.package)
        for info in pkgutil.walk_packages(root.__path__, prefix=self.package + "."):
            if not info.ispkg or ".migrations" in info.name:
                continue
            spec = importlib.util.find_spec(info.name)
            if spec is None or not spec.submodule_search_locations:
                continue
            here = Path(next(iter(spec.submodule_search_locations)))
            if any((here / f"{m}.py").exists() for m in _DOMAIN_MODULES):
                yield info.name
