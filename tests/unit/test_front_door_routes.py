"""Through the one front door every route of every service is reachable, at that service.

The route table (the services' manifests, `shared.registry.route_table()`) is what the proxy and
the Ingress are rendered from; this test holds it against each app's real URL map, so a new
endpoint under a prefix nobody declared (it would land at review's catch-all and 404) fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from shared import registry, routing
from shared.config import Settings
from shared.web.app import create_app_from

SERVICES = registry.names()


@pytest.fixture
def apps(settings_for: Callable[[str], Settings]) -> Iterator[dict[str, Flask]]:
    built = {s: create_app_from(registry.manifest(s), {"TESTING": True}, settings=settings_for(s)) for s in SERVICES}
    yield built
    for app in built.values():
        app.extensions["huhang"].engine.dispose()


def _sample(rule: str) -> str:
    """A concrete path the rule matches: each `<converter:name>` becomes one segment."""
    return re.sub(r"<[^>]+>", "x1", rule)


def test_every_route_is_reached_at_its_own_service(apps: dict[str, Flask]) -> None:
    table = registry.route_table()
    wrong = [
        f"{service} {rule.rule} -> {table.service_for(_sample(rule.rule))}"
        for service, app in apps.items()
        for rule in app.url_map.iter_rules()
        if rule.rule not in routing.PORT_ONLY_PATHS and table.service_for(_sample(rule.rule)) != service
    ]
    assert wrong == [], "routes the door sends elsewhere: add their prefix to the service's manifest `routes`"


def test_the_port_only_paths_are_what_every_service_has(apps: dict[str, Flask]) -> None:
    for app in apps.values():
        assert set(routing.PORT_ONLY_PATHS) <= {rule.rule for rule in app.url_map.iter_rules()}


def test_every_service_declares_the_platform_routes() -> None:
    for manifest in registry.manifests():
        assert set(routing.platform_routes(manifest.service)) <= set(manifest.routes), manifest.service


def test_review_is_the_catch_all_and_keeps_assets() -> None:
    table = registry.route_table()
    assert registry.manifest("review").routes[0] == routing.CATCH_ALL
    assert table.service_for("/assets/app.3f2a.js") == "review"


def test_no_static_route_and_nothing_answers_for_another_service(apps: dict[str, Flask]) -> None:
    for service, app in apps.items():
        assert "static" not in app.view_functions, service
        client = app.test_client()
        for other in set(SERVICES) - {service}:
            assert client.get(routing.health_path(other)).status_code == 404, (service, other)


@pytest.mark.parametrize("service", SERVICES)
def test_health_readiness_and_openapi_under_the_service_name(apps: dict[str, Flask], service: str) -> None:
    client = apps[service].test_client()
    for path in ("/healthz", routing.health_path(service)):
        resp = client.get(path)
        assert resp.status_code == 200 and resp.json == {"status": "ok", "service": service}, path
    ready = client.get(routing.ready_path(service))
    assert ready.status_code == 503 and ready.json["service"] == service  # the unit tests' broker is unreachable
    assert ready.json == client.get("/readyz").json
    named, plain = client.get(routing.openapi_path(service)), client.get("/openapi.json")
    assert named.status_code == 200 and named.json == plain.json
    assert routing.audit_api_path(service) in named.json["paths"]
