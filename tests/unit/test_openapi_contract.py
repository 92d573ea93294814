"""The OpenAPI documents keep their promise: every request body has an example, and the example works.

For each service the test reads `/openapi.json` of an in-process app and checks, for every
operation found there (so a new operation is covered the moment it is added):

(a) an operation with a request body carries an `example` (or `examples`) for application/json;
(b) an operation with a request body and no path parameter accepts its example as it stands,
    sent by a principal the operation's access declaration allows (`@public`, `@authenticated`,
    `@requires`, read back with `shared.auth.access.rule_of`): the first allowed role in
    `shared.auth.principal.ROLES` order, in its home unit (`tests.support.auth.HOME_UNIT`).  The
    databases are seeded as `huhang db seed` seeds them, so the sign-in examples (the demo account
    `demo-12309`) sign in.  Operations with path parameters need an existing record: for them only
    the example's presence is checked;
(c) every operation declares its success status (2xx) with a response schema (204: no body).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shared.auth.access import rule_of
from shared.auth.principal import ROLES
from shared.config import KafkaSettings, Settings
from tests.conftest import DATA_KEYS
from tests.support.auth import HOME_UNIT, AuthKeys

SERVICES = ("intake", "review", "notify")
METHODS = ("get", "put", "post", "patch", "delete")

# Operations without a path parameter whose example legitimately cannot succeed on its own
# because it needs state that the example cannot carry: {(service, "METHOD /path"): reason}.
# Keep it short; an entry naming an operation that no longer exists (or no longer has a body)
# fails `test_allow_list_names_real_operations`.
NEEDS_STATE: dict[tuple[str, str], str] = {
    # The petition examples need only a signed-in clerk, and the sign-in examples the demo
    # accounts that `huhang db seed` creates (seeded below).  A public query's example cannot
    # match: a code is random and shown once (tests/unit/services/intake/test_status_query.py).
    ("intake", "POST /api/v1/public/status-queries"): "a registered petition and its query code",
    ("intake", "POST /api/v1/public/enterprise-queries"): "a verified enterprise and its access code",
    ("intake", "POST /api/v1/public/status-feedback"): "a replied petition and its query code",
}


def _settings(service: str, path: Path) -> Settings:
    return Settings(
        service=service, database_url=f"sqlite:///{path}",
        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="unit"),
    )


@pytest.fixture(scope="module")
def seeded_templates(
    migrated_templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, test_keys: AuthKeys
) -> dict[str, Path]:
    """Every service's database seeded as `huhang db seed` seeds it, built once for this module."""
    from services import seeds
    from shared import keyring

    root = tmp_path_factory.mktemp("seeded-openapi")
    paths = {}
    for service in SERVICES:
        paths[service] = root / f"{service}.db"
        shutil.copy(migrated_templates[service], paths[service])
    # Module-scoped: the function-scoped environment fixtures of tests/conftest.py are not active yet.
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {**test_keys.env(), **DATA_KEYS}.items():
            mp.setenv(name, value)
        mp.delenv("HUHANG_ENV", raising=False)
        keyring.reset()
        try:
            for service in SERVICES:
                list(seeds.run(service, settings_for=lambda s: _settings(s, paths[s])))
        finally:
            keyring.reset()
    return paths


@pytest.fixture(params=SERVICES)
def service(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def app(service: str, seeded_templates: dict[str, Path], tmp_path: Path) -> Iterator[Flask]:
    import importlib

    path = tmp_path / f"{service}.db"
    shutil.copy(seeded_templates[service], path)
    flask_app: Flask = importlib.import_module(f"services.{service}").create_app(
        {"TESTING": True}, settings=_settings(service, path)
    )
    yield flask_app
    flask_app.extensions["huhang"].engine.dispose()


def _spec(app: Flask) -> dict[str, Any]:
    resp = app.test_client().get("/openapi.json")
    assert resp.status_code == 200
    spec: dict[str, Any] = resp.get_json()
    assert spec["paths"], "the OpenAPI document lists no operation"
    return spec


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in sorted(spec["paths"].items()):
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def _examples(operation: dict[str, Any]) -> list[Any]:
    """The application/json examples of an operation's request body ([] when there is none)."""
    media = operation["requestBody"].get("content", {}).get("application/json", {})
    if "example" in media:
        return [media["example"]]
    return [named["value"] for named in media.get("examples", {}).values() if "value" in named]


def _has_path_parameter(path: str, operation: dict[str, Any]) -> bool:
    return "{" in path or any(p.get("in") == "path" for p in operation.get("parameters", []))


def _caller(app: Flask, method: str, path: str, keys: AuthKeys) -> dict[str, str]:
    """Headers of a principal the operation's access declaration allows (none for a public one)."""
    endpoint, _ = app.url_map.bind("localhost").match(path, method=method)
    rule = rule_of(app, endpoint, method)
    assert rule is not None, f"{method} {path}: no access declaration"
    if rule.public:
        return {}
    role = next(r for r in ROLES if rule.roles is None or r in rule.roles)
    return keys.headers(role, HOME_UNIT[role])


def _is_upload(operation: dict[str, Any]) -> bool:
    """A multipart file upload (信访材料): its body is a file, described by a schema, not a JSON example."""
    content = operation["requestBody"].get("content", {})
    return set(content) == {"multipart/form-data"} and "schema" in content["multipart/form-data"]


def test_every_request_body_has_an_example(app: Flask) -> None:
    missing = [
        f"{method} {path}" for method, path, op in _operations(_spec(app))
        if "requestBody" in op and not _is_upload(op) and not _examples(op)
    ]
    assert not missing, f"request bodies without an application/json example: {missing}"


def test_examples_are_accepted_as_they_stand(service: str, app: Flask, test_keys: AuthKeys) -> None:
    client: FlaskClient = app.test_client()
    sent, failures = [], []
    for method, path, op in _operations(_spec(app)):
        if "requestBody" not in op or _has_path_parameter(path, op):
            continue
        if (service, f"{method} {path}") in NEEDS_STATE:
            continue
        declared = {int(status) for status in op["responses"] if status.isdigit() and status.startswith("2")}
        for example in _examples(op):
            resp = client.open(path, method=method, json=example, headers=_caller(app, method, path, test_keys))
            sent.append(f"{method} {path}")
            if resp.status_code not in declared:
                failures.append(f"{method} {path}: {resp.status_code} (declared {sorted(declared)}) {resp.get_json()}")
    assert not failures, f"examples refused: {failures}"
    if service in ("intake", "review"):  # the services with body-carrying operations today
        assert sent, f"{service}: no example was sent"


def test_success_status_declares_a_response_schema(app: Flask) -> None:
    problems = []
    for method, path, op in _operations(_spec(app)):
        success = {status: r for status, r in op["responses"].items() if status.startswith("2")}
        if not success:
            problems.append(f"{method} {path}: no 2xx response declared")
        for status, response in success.items():
            if status == "204":
                continue  # No Content: nothing to describe
            content = response.get("content", {})
            if "schema" in content.get("application/json", {}):
                continue
            # A document (the PDF 受理回执) declares its own media type, as a binary string.
            if not any(media != "application/json" and "schema" in body for media, body in content.items()):
                problems.append(f"{method} {path}: {status} without an application/json schema")
    assert not problems, problems


def test_allow_list_names_real_operations(service: str, app: Flask) -> None:
    bodied = {
        f"{method} {path}" for method, path, op in _operations(_spec(app))
        if "requestBody" in op and not _has_path_parameter(path, op)
    }
    stale = [op for (svc, op) in NEEDS_STATE if svc == service and op not in bodied]
    assert not stale, f"NEEDS_STATE names operations without a body or that no longer exist: {stale}"
