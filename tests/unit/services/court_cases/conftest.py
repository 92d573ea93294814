"""Fixtures of the court-case tests: clients of the court's staff, a flagged case, a session for service calls."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE
from shared.actor import Actor
from tests.support.auth import AuthKeys

ENTERPRISE_CODE = COURT_CASE_EXAMPLE["parties"][1]["credit_code"]
PERSON_ID = COURT_CASE_EXAMPLE["parties"][0]["id_number"]
_serials = itertools.count(1000)


def case_body(**changes: Any) -> dict[str, Any]:
    """The example flag with a fresh 民初 案号 (one flag per 案号), changed as given."""
    body = copy.deepcopy(COURT_CASE_EXAMPLE)
    body["case_number"] = f"（2022）豫13民初{next(_serials)}号"
    body.update(changes)
    return body


Client = Callable[..., FlaskClient]


@pytest.fixture
def client_of(intake_app: Flask, test_keys: AuthKeys) -> Client:
    """A test client signed in as `role` (in `unit`, default the role's home unit) with a bearer token."""

    def make(role: str, unit: str | None = None) -> FlaskClient:
        client = intake_app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = test_keys.headers(role, unit)["Authorization"]
        return client

    return make


@pytest.fixture
def judge(client_of: Client) -> FlaskClient:
    """A judge of 南阳中院 (NY-FY)."""
    return client_of("judge")


@pytest.fixture
def flagged(judge: FlaskClient) -> dict[str, Any]:
    """A flagged 商事 case: a natural-person 原告 and an enterprise 被告 (answer of the POST)."""
    resp = judge.post("/api/v1/court-cases", json=case_body())
    assert resp.status_code == 201, resp.json
    return dict(resp.json)


def party(case: dict[str, Any], kind: str) -> str:
    return next(p["id"] for p in case["parties"] if p["kind"] == kind)


@pytest.fixture
def session(intake_app: Flask) -> Iterator[Session]:
    with intake_app.extensions["huhang"].session_factory() as s:
        yield s


@pytest.fixture
def judge_actor(test_keys: AuthKeys) -> Actor:
    return Actor.of(test_keys.principal("judge"))
