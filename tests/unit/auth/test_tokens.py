"""Tokens at intake and notify: a good one passes; expired, forged, alg=none, tampered → 401."""

from __future__ import annotations

import base64
import json

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask

from shared.auth.jwks import JWKSClient
from shared.auth.keys import jwks_document, public_jwk
from tests.support.auth import AuthKeys
from tests.unit.auth.conftest import api_path as _path




def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_valid_token_is_accepted(app: Flask, test_keys: AuthKeys) -> None:
    resp = app.test_client().get(_path(app), headers=test_keys.headers("triage_officer"))
    assert resp.status_code == 200, resp.json


def test_no_token_is_401(app: Flask) -> None:
    resp = app.test_client().get(_path(app))
    assert resp.status_code == 401
    assert resp.json["code"] == "unauthenticated"


def test_expired_token_is_401(app: Flask, test_keys: AuthKeys) -> None:
    token = test_keys.token("triage_officer", ttl=-60)
    resp = app.test_client().get(_path(app), headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json["code"] == "invalid_token"


def test_token_signed_with_another_key_is_401(app: Flask, test_keys: AuthKeys) -> None:
    forged = test_keys.token("task_force", key=Ed25519PrivateKey.generate())
    resp = app.test_client().get(_path(app), headers={"Authorization": f"Bearer {forged}"})
    assert resp.status_code == 401


def test_another_key_claiming_the_real_kid_is_401(app: Flask, test_keys: AuthKeys) -> None:
    real_kid = public_jwk(test_keys.private_key.public_key())["kid"]
    claims = jwt.decode(test_keys.token("task_force"), options={"verify_signature": False})
    forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": real_kid})
    resp = app.test_client().get(_path(app), headers={"Authorization": f"Bearer {forged}"})
    assert resp.status_code == 401


def test_alg_none_is_401(app: Flask, test_keys: AuthKeys) -> None:
    claims = jwt.decode(test_keys.token("task_force"), options={"verify_signature": False})
    kid = public_jwk(test_keys.private_key.public_key())["kid"]
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{_b64(claims)}."
    resp = app.test_client().get(_path(app), headers={"Authorization": f"Bearer {unsigned}"})
    assert resp.status_code == 401


def test_tampered_payload_is_401(app: Flask, test_keys: AuthKeys) -> None:
    header, _payload, signature = test_keys.token("case_handler").split(".")
    claims = jwt.decode(test_keys.token("case_handler"), options={"verify_signature": False})
    claims["units"] = "*"  # widen the scope to every unit
    resp = app.test_client().get(_path(app), headers={"Authorization": f"Bearer {header}.{_b64(claims)}.{signature}"})
    assert resp.status_code == 401


def test_hmac_with_the_public_key_as_secret_is_401(app: Flask, test_keys: AuthKeys) -> None:
    claims = jwt.decode(test_keys.token("task_force"), options={"verify_signature": False})
    x = public_jwk(test_keys.private_key.public_key())["x"]
    forged = jwt.encode(claims, x + "-padding-to-32-bytes-of-key-material", algorithm="HS256")
    resp = app.test_client().get(_path(app), headers={"Authorization": f"Bearer {forged}"})
    assert resp.status_code == 401


def test_wrong_audience_or_scheme_is_401(app: Flask, test_keys: AuthKeys) -> None:
    client = app.test_client()
    other_aud = test_keys.token("triage_officer", aud="someone-else")
    assert client.get(_path(app), headers={"Authorization": f"Bearer {other_aud}"}).status_code == 401
    good = test_keys.token("triage_officer")
    assert client.get(_path(app), headers={"Authorization": f"Basic {good}"}).status_code == 401


def test_a_role_without_access_is_403(app: Flask, test_keys: AuthKeys) -> None:
    resp = app.test_client().get(_path(app), headers=test_keys.headers("auditor"))
    assert resp.status_code == 403


def test_health_and_openapi_are_public(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_jwks_client_refetches_an_unknown_kid_at_most_once_per_interval() -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    published = {"doc": jwks_document(old.public_key())}
    now = [0.0]
    client = JWKSClient(url="http://review/jwks", refresh_seconds=60, clock=lambda: now[0],
                        fetch=lambda _url: published["doc"])
    old_kid, new_kid = public_jwk(old.public_key())["kid"], public_jwk(new.public_key())["kid"]
    assert client.get(old_kid) is not None and client.fetches == 1
    for _ in range(100):  # cached: no fetch per request
        assert client.get(old_kid) is not None
    assert client.fetches == 1
    for n in range(100):  # random kids do not cause a fetch each
        assert client.get(f"unknown-{n}") is None
    assert client.fetches == 1
    published["doc"] = jwks_document(new.public_key(), old.public_key())  # review rotated its key
    assert client.get(new_kid) is None  # still within the interval
    now[0] = 61
    assert client.get(new_kid) is not None and client.fetches == 2


def test_a_refused_call_is_audited(app: Flask, test_keys: AuthKeys) -> None:
    from sqlalchemy import select

    from shared.audit.models import AuditEntry

    assert app.test_client().get(_path(app), headers=test_keys.headers("auditor")).status_code == 403
    with app.extensions["huhang"].session_factory() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "authz.denied")).all()
    assert len(rows) == 1 and rows[0].outcome == "denied" and rows[0].actor == "t-auditor"
