"""The route table: segment-aware prefixes, the longest wins, no prefix claimed twice."""

from __future__ import annotations

import pytest

from shared import registry, routing
from shared.manifest import ManifestError, ServiceManifest
from shared.routing import RouteTable, RoutingError, matches, normalise

@pytest.mark.parametrize(("prefix", "path", "expected"), [
    ("/api/v1/petitions", "/api/v1/petitions", True),
    ("/api/v1/petitions", "/api/v1/petitions/", True),
    ("/api/v1/petitions", "/api/v1/petitions/42/reveal", True),
    ("/api/v1/petitions", "/api/v1/petitionsX", False),
    ("/api/v1/petitions", "/api/v1/petition", False),
    ("/api/v1/petitions", "/api/v1", False),
    ("/public/", "/public", True),  # as a Kubernetes Ingress `Prefix`: the trailing slash is not part of the match
    ("/public/", "/public/status", True),
    ("/public/", "/publicity", False),
    ("/", "/", True),
    ("/", "/anything/at/all", True),
    ("/", "relative", False),
])
def test_prefixes_match_segment_by_segment(prefix: str, path: str, expected: bool) -> None:
    assert matches(prefix, path) is expected


@pytest.mark.parametrize("bad", ["", "api", "/a//b", "/a?b", "/a*", "/a/../b", "/a/./b", "/a b", "/.."])
def test_a_malformed_prefix_is_refused(bad: str) -> None:
    with pytest.raises(RoutingError):
        normalise(bad)


def test_the_longest_matching_prefix_wins() -> None:
    table = RouteTable({"a": ("/", "/x/y/z"), "b": ("/x",), "c": ("/x/y",)}, body_limits={})
    assert [table.service_for(p) for p in ("/", "/x", "/x/y", "/x/y/z/1", "/x/yy", "/xx")] == [
        "a", "b", "c", "a", "b", "a",
    ]


def test_two_services_cannot_claim_one_prefix_however_spelled() -> None:
    with pytest.raises(RoutingError, match="claimed by intake .* and notify"):
        RouteTable({"review": ("/",), "intake": ("/inbox",), "notify": ("/inbox/",)}, body_limits={})


def test_a_table_without_a_catch_all_is_refused() -> None:
    with pytest.raises(RoutingError, match="catch-all"):
        RouteTable({"intake": ("/api/v1/petitions",)}, body_limits={})


def test_a_body_limit_needs_a_route_of_its_own() -> None:
    with pytest.raises(RoutingError, match="body limit"):
        RouteTable({"review": ("/",)})


def test_body_limits_by_path() -> None:
    table = registry.route_table()
    assert table.body_limit("/api/v1/petitions") == routing.MAX_BODY_BYTES == 2 * 1024 * 1024
    assert table.body_limit("/api/v1/public/status") == table.body_limit("/api/v1/public") == 1024 * 1024
    assert table.body_limit("/api/v1/publicity") == routing.MAX_BODY_BYTES


def test_the_real_table() -> None:
    table = registry.route_table()
    assert table.services() == ("intake", "notify", "review")
    expect = {
        "/api/v1/petitions": "intake", "/api/v1/petitions/search": "intake", "/api/v1/petitionsX": "review",
        "/api/v1/public/status": "intake", "/public/": "intake", "/petitions/new": "intake",
        "/court-cases": "intake", "/court-cases/x1/filing": "intake", "/court-casesX": "review",
        "/api/v1/deliveries": "notify", "/deliveries": "notify", "/inbox": "notify",
        "/api/v1/triage": "review", "/": "review", "/signin": "review", "/assets/app.js": "review",
        "/.well-known/jwks.json": "review", "/healthz": "review",
    }
    for service in table.services():
        for prefix in routing.platform_routes(service):
            expect[prefix] = service
    assert {path: table.service_for(path) for path in expect} == expect


def test_routes_are_longest_first() -> None:
    lengths = [len(p) for p in registry.route_table().prefixes()]
    assert lengths == sorted(lengths, reverse=True)


def test_a_manifest_refuses_a_malformed_or_repeated_route() -> None:
    with pytest.raises(ManifestError, match="starts with '/'"):
        ServiceManifest(service="toy", package="toy", title="toy", port=1, domains=(), routes=("inbox",))
    with pytest.raises(ManifestError, match="listed twice"):
        ServiceManifest(service="toy", package="toy", title="toy", port=1, domains=(), routes=("/a", "/a/"))
