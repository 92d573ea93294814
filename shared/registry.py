"""The services this installation has, found through the `huhang.services` entry point.

A service registers itself in pyproject.toml (`[project.entry-points."huhang.services"]`,
`review = "services.review.domains:MANIFEST"`); shared code asks here instead of naming services
or importing them.  Tests may `register` a manifest of their own.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from shared.manifest import ManifestError, ServiceManifest
from shared.routing import RouteTable

GROUP = "huhang.services"
_loaded: dict[str, ServiceManifest] = {}
_discovered = False


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for entry in entry_points(group=GROUP):
        manifest = entry.load()
        if not isinstance(manifest, ServiceManifest) or manifest.service != entry.name:
            raise ManifestError(f"entry point {GROUP}:{entry.name} must name a ServiceManifest of that service")
        _loaded.setdefault(entry.name, manifest)
    if not _loaded:
        raise ManifestError(f"no service registered under {GROUP}: is the project installed (pip install -e .)?")
    _discovered = True


def register(manifest: ServiceManifest) -> None:
    """Add a manifest by hand (tests building a service of their own)."""
    _loaded[manifest.service] = manifest


def manifests() -> tuple[ServiceManifest, ...]:
    """Every registered service, in port order (intake, review, notify)."""
    _discover()
    return tuple(sorted(_loaded.values(), key=lambda m: m.port))


def names() -> tuple[str, ...]:
    return tuple(m.service for m in manifests())


def ports() -> dict[str, int]:
    return {m.service: m.port for m in manifests()}


def manifest(service: str) -> ServiceManifest:
    """The manifest of one service; an unknown name is a ValueError."""
    _discover()
    try:
        return _loaded[service]
    except KeyError:
        raise ValueError(f"unknown service {service!r}; registered: {sorted(_loaded)}") from None


def route_table() -> RouteTable:
    """The front door's route table: every registered service's `routes` (shared/routing.py)."""
    return RouteTable({m.service: m.routes for m in manifests()})
