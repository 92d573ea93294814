"""Generated requests against every operation of every service (schemathesis over OpenAPI).

Whatever a client sends, a service answers below 500, and every refusal carries the one error
shape: a machine-readable `code` and a message in Chinese and English.  The default run sends a
few cases per operation; `pytest -m slow` sends many more, with more roles.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.support.auth import AuthKeys

FAST = [("intake", "intake_clerk"), ("review", "triage_officer"), ("notify", "triage_officer")]
SLOW = [("intake", "court_clerk"), ("review", "admin"), ("review", "case_handler"), ("review", "auditor"),
        ("notify", "task_force"), ("intake", "auditor")]


def _problems(service: str, role: str, settings_for: Any, keys: AuthKeys, examples: int) -> list[str]:
    app = importlib.import_module(f"services.{service}").create_app({"TESTING": False}, settings=settings_for(service))
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, suppress_health_check=list(HealthCheck), deadline=None, database=None)
        def run(case: Any) -> None:
            resp = case.call(headers=keys.headers(role))
            where = f"{case.method} {case.formatted_path} query={case.query} body={str(case.body)[:200]}"
            if resp.status_code >= 500:
                problems.append(f"{resp.status_code} for {where}: {resp.text[:300]}")
            elif resp.status_code >= 400:
                try:
                    body = json.loads(resp.content)
                except ValueError:
                    body = None
                message = (body or {}).get("message") or {} if isinstance(body, dict) else {}
                if not (body and body.get("code") and message.get("zh") and message.get("en")):
                    problems.append(f"{resp.status_code} without the error shape for {where}: {resp.text[:200]}")

        run()
    app.extensions["huhang"].engine.dispose()
    return problems


@pytest.mark.parametrize("service, role", FAST)
def test_generated_requests_never_get_a_server_error(service: str, role: str, settings_for: Any, test_keys: AuthKeys) -> None:
    problems = _problems(service, role, settings_for, test_keys, examples=12)
    assert not problems, "\n".join(problems[:10])


@pytest.mark.slow
@pytest.mark.parametrize("service, role", FAST + SLOW)
def test_many_generated_requests_never_get_a_server_error(service: str, role: str, settings_for: Any, test_keys: AuthKeys) -> None:
    problems = _problems(service, role, settings_for, test_keys, examples=150)
    assert not problems, "\n".join(problems[:10])
