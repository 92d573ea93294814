"""Fixtures of intake's page tests: browsers signed in by the access cookie, and a petition registered through the form."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.audit import AuditEntry
from shared.auth.cookies import ACCESS_COOKIE, session_binding
from tests.support.auth import AuthKeys
from tests.unit.portal.conftest import soup

ID = PETITION_EXAMPLE["petitioner"]["id_number"]
PHONE = PETITION_EXAMPLE["petitioner"]["phone"]
# The registration form, filled in as a clerk would (flat names: the API body's paths).
FORM: dict[str, str] = {
    "line": "12309", "channel": "访", "petition_type": "控告", "visit.visitor_count": "1",
    "petitioner.kind": "enterprise_representative", "petitioner.relation": "法定代表人",
    "petitioner.name": "张三", "petitioner.id_number": ID, "petitioner.phone": PHONE,
    "petitioner.address": "南阳市宛城区示例路 1 号",
    "is_enterprise": "yes", "enterprise.name": "南阳市宛城区示例机械有限公司", "enterprise.credit_code": "91411302MA44TFGN0Q",
    "enterprise.size": "小", "enterprise.industry": "C", "enterprise.ownership": "民营",
    "subject": PETITION_EXAMPLE["subject"],
    "claim": "请求依法撤销对本企业账户的冻结措施", "facts": "2022年3月，本企业账户被冻结，至今未解除。",
}

Browser = Callable[..., FlaskClient]


@pytest.fixture
def browser(intake_app: Flask, test_keys: AuthKeys) -> Browser:
    """A browser of `role` (in `unit`, default the role's home unit) signed in by review's access cookie."""

    def make(role: str | None, unit: str | None = None, *, ttl: int = 300) -> FlaskClient:
        client = intake_app.test_client()
        if role is not None:
            client.set_cookie(ACCESS_COOKIE, test_keys.token(role, unit, ttl=ttl, sid=session_binding(f"s-{role}")))
        return client

    return make


def form_of(client: FlaskClient, path: str, *, form: int = 0) -> dict[str, str]:
    """The hidden fields of a form on `path` (CSRF token, idempotency key), after GETting it as a browser does."""
    page = client.get(path)
    assert page.status_code == 200, page.data[:500]
    found = soup(page.data).find_all("form", attrs={"method": "post"})
    target = [f for f in found if f.get("action") != "/signout"][form]
    return {str(i["name"]): str(i.get("value", "")) for i in target.find_all("input", attrs={"type": "hidden"})}


def register_by_form(client: FlaskClient, **changes: str) -> Any:
    """POST the registration form (CSRF token and key from the rendered form); the answer, not followed."""
    hidden = form_of(client, "/petitions/new")
    data = {**FORM, **hidden, **changes}
    return client.post("/petitions/new", data={k: v for k, v in data.items() if v is not None})


def count(app: Flask, model: Any = Petition) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def audit_rows(app: Flask, action: str) -> list[AuditEntry]:
    with app.extensions["huhang"].session_factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def petition_id_of(resp: Any) -> str:
    """The petition id of a registration's answer: the receipt shown with the new code (201), or the 303 of a replay."""
    if resp.status_code == 303:
        path = resp.headers["Location"]
        assert path.endswith("/receipt"), path
        return str(path.split("/")[2])
    assert resp.status_code == 201, resp.data[:2000]
    from bs4 import BeautifulSoup

    article = BeautifulSoup(resp.data, "html.parser").find("article", class_="receipt")
    assert article is not None and article.find(class_="query-code") is not None
    return str(article["data-petition-id"])


@pytest.fixture
def registered(intake_client: FlaskClient) -> dict[str, Any]:
    """A 12309 petition of 市院控告申诉检察部 registered through the API: id, case number, query code."""
    body = copy.deepcopy(PETITION_EXAMPLE)
    resp = intake_client.post("/api/v1/petitions", json=body)
    assert resp.status_code == 201, resp.json
    return dict(resp.json)
