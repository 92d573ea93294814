"""The route table of the front door: which service answers which path prefix.

Each service declares the path prefixes it owns in its manifest (`ServiceManifest.routes`);
`shared.registry.route_table()` gathers them into one `RouteTable`, and every front door is
rendered from it: the local nginx (`deploy/local/nginx_conf.py`) and the Kubernetes Ingress
(`deploy/k8s/ingress.yaml`, checked against it by `tests/unit/test_k8s_manifests.py`).

Matching follows the rule of a Kubernetes Ingress `pathType: Prefix`, so both doors agree:

- a prefix matches segment by segment: `/api/v1/petitions` matches `/api/v1/petitions` and
  `/api/v1/petitions/42`, never `/api/v1/petitionsX`;
- a trailing slash does not change what a prefix matches (`/public/` and `/public` are one
  prefix), so two services cannot claim "the same" prefix by spelling it differently;
- the longest matching prefix wins; `/` matches everything and is the catch-all.

The module also holds what the door decides per path: the largest request body it lets through.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

CATCH_ALL = "/"

# Paths every service answers on its own port only, for Kubernetes probes and a developer's curl.
# Through the door each would be ambiguous (three services have one), so there they land at the
# catch-all; the door's names for them are the per-service ones in `platform_routes`.
PORT_ONLY_PATHS: tuple[str, ...] = ("/healthz", "/readyz", "/openapi.json")

# The largest request body the door passes on, and other limits under some prefixes. The
# services refuse the same default themselves (Flask's MAX_CONTENT_LENGTH), so a request sent to a
# service's port directly meets the same rule; the one larger limit is raised by its own view only.
MAX_BODY_BYTES = 2 * 1024 * 1024
# Uploads of 信访材料 (services/intake/attachments): the largest file intake takes, plus room for
# the multipart envelope; intake refuses a per-file setting that would not fit through.
UPLOAD_BODY_BYTES = 21 * 1024 * 1024
BODY_LIMITS: Mapping[str, int] = {
    # Anonymous callers: the public query sends a case number and a query code, never a file.
    "/api/v1/public/": 1 * 1024 * 1024,
    "/api/v1/attachments": UPLOAD_BODY_BYTES,
}


class RoutingError(ValueError):
    """A prefix is malformed, or two services claim one prefix."""


def normalise(prefix: str) -> str:
    """The canonical spelling of a prefix: no trailing slash, except the catch-all `/`."""
    if not prefix.startswith("/"):
        raise RoutingError(f"a route prefix starts with '/': {prefix!r}")
    if any(c in prefix for c in "?#*\\ ") or "//" in prefix or "/./" in prefix + "/" or "/../" in prefix + "/":
        raise RoutingError(f"a route prefix is a plain path (no query, wildcard, space or dot segment): {prefix!r}")
    return prefix.rstrip("/") or CATCH_ALL


def matches(prefix: str, path: str) -> bool:
    """Whether `prefix` matches `path`, segment by segment (`/petitions` never matches `/petitionsX`)."""
    canonical = normalise(prefix)
    if canonical == CATCH_ALL:
        return path.startswith("/")
    return path == canonical or path.startswith(canonical + "/")


def platform_routes(service: str) -> tuple[str, ...]:
    """The prefixes shared code mounts in every service (`shared/web/app.py`), named for that service.

    Each carries the service's name so that one door can reach all three: the audit API and its
    pages, the health and readiness probes and the OpenAPI document.
    """
    return (
        audit_api_path(service),
        audit_pages_path(service),
        health_path(service),
        ready_path(service),
        openapi_path(service),
    )


def audit_api_path(service: str) -> str:
    return f"/api/v1/audit/{service}"


def audit_pages_path(service: str) -> str:
    return f"/audit/{service}"


def health_path(service: str) -> str:
    return f"/healthz/{service}"


def ready_path(service: str) -> str:
    return f"/readyz/{service}"


def openapi_path(service: str) -> str:
    return f"/openapi/{service}.json"


@dataclass(frozen=True)
class Route:
    """One prefix and the service that answers it; `prefix` keeps the spelling of the manifest."""

    prefix: str
    service: str

    @property
    def canonical(self) -> str:
        return normalise(self.prefix)


class RouteTable:
    """Every service's prefixes; no prefix is claimed twice, and exactly one service is the catch-all.

    `body_limits` (default `BODY_LIMITS`) are smaller body limits under some prefixes; each must
    be a prefix of the table, so that every door has a location (or an Ingress path) to put it on.
    """

    def __init__(self, routes_of: Mapping[str, Iterable[str]], body_limits: Mapping[str, int] = BODY_LIMITS) -> None:
        owner: dict[str, Route] = {}
        for service, prefixes in routes_of.items():
            for prefix in prefixes:
                route = Route(prefix, service)
                other = owner.get(route.canonical)
                if other is not None:
                    raise RoutingError(
                        f"{route.canonical} is claimed by {other.service} ({other.prefix!r}) "
                        f"and {service} ({prefix!r})"
                    )
                owner[route.canonical] = route
        if CATCH_ALL not in owner:
            raise RoutingError("no service claims the catch-all '/': unmatched paths would have nowhere to go")
        for prefix in body_limits:
            if normalise(prefix) not in owner:
                raise RoutingError(f"the body limit on {prefix} needs a route with that prefix")
        self.body_limits = {normalise(p): limit for p, limit in body_limits.items()}
        # Longest first: the order a door must try them in when it cannot pick the longest itself.
        self.routes: tuple[Route, ...] = tuple(
            sorted(owner.values(), key=lambda r: (-len(r.canonical), r.canonical))
        )

    def service_for(self, path: str) -> str:
        """The service the door sends `path` to (the longest matching prefix)."""
        for route in self.routes:
            if matches(route.prefix, path):
                return route.service
        raise RoutingError(f"not a path: {path!r}")  # only a path without a leading '/' gets here

    def body_limit(self, path: str) -> int:
        """The largest request body the door accepts for `path` (the longest matching limit wins)."""
        found = [(len(p), limit) for p, limit in self.body_limits.items() if matches(p, path)]
        return max(found)[1] if found else MAX_BODY_BYTES

    def prefixes(self) -> tuple[str, ...]:
        """Every canonical prefix, longest first."""
        return tuple(r.canonical for r in self.routes)

    def services(self) -> tuple[str, ...]:
        return tuple(sorted({r.service for r in self.routes}))

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)
