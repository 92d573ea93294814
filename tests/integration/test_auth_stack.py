"""Sign-in and tokens over real processes: review issues, intake and notify verify through the JWKS URL."""

from __future__ import annotations

import dataclasses

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services import seeds
from services.intake.petitions.schemas import PETITION_EXAMPLE
from services.review.identity.accounts.demo import DEMO_PASSWORD
from shared.config import KafkaSettings, Settings
from tests.support.auth import AuthKeys
from tests.support.stack import Stack


def _seed_review(stack: Stack) -> None:
    settings = Settings(service="review", database_url=stack.database_urls["review"],
                        kafka=KafkaSettings(bootstrap_servers=stack.kafka_bootstrap, topic_prefix=stack.topic_prefix))
    lines = list(seeds.run("review", settings_for=lambda _s: dataclasses.replace(settings)))
    assert any("demo accounts" in line for line in lines)


def test_demo_account_signs_in_at_review_and_intake_accepts_the_token(stack: Stack, test_keys: AuthKeys) -> None:
    _seed_review(stack)
    review = stack.start_api("review")
    # No JWKS file: intake and notify fetch review's JWKS document over HTTP (and cache it).
    jwks = {"HUHANG_JWKS_FILE": "", "HUHANG_JWKS_URL": f"{review}/.well-known/jwks.json"}
    intake = stack.start_api("intake", **jwks)
    notify = stack.start_api("notify", **jwks)

    signed_in = requests.post(f"{review}/api/v1/auth/token", json={"username": "demo-12309", "password": DEMO_PASSWORD}, timeout=10)
    assert signed_in.status_code == 200, signed_in.text
    token = signed_in.json()["access_token"]
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE,
                            headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert created.status_code == 201, created.text
    mine = requests.get(f"{intake}/api/v1/petitions/{created.json()['id']}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert mine.status_code == 200

    # The court's judge (another unit tree) does not see it: 404, as for an id that does not exist.
    judge = test_keys.headers("judge")
    assert requests.get(f"{intake}/api/v1/petitions/{created.json()['id']}", headers=judge, timeout=10).status_code == 404

    forged = test_keys.token("task_force", key=Ed25519PrivateKey.generate())
    expired = test_keys.token("task_force", ttl=-120)
    for url in (f"{intake}/api/v1/petitions", f"{notify}/api/v1/deliveries"):
        assert requests.get(url, timeout=10).status_code == 401
        for bad in (forged, expired, token + "x"):
            assert requests.get(url, headers={"Authorization": f"Bearer {bad}"}, timeout=10).status_code == 401
        assert requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code == 200


def test_lockout_over_http_and_admin_unlock(stack: Stack) -> None:
    import pyotp

    _seed_review(stack)
    review = stack.start_api("review")
    wrong = {"username": "demo-handler", "password": "Wrong!2026password"}
    answers = [requests.post(f"{review}/api/v1/auth/token", json=wrong, timeout=10) for _ in range(5)]
    assert {a.status_code for a in answers} == {401}
    locked = requests.post(f"{review}/api/v1/auth/token", json={"username": "demo-handler", "password": DEMO_PASSWORD}, timeout=10)
    assert locked.status_code == 401
    unknown = requests.post(f"{review}/api/v1/auth/token", json={"username": "nobody-here", "password": DEMO_PASSWORD}, timeout=10)
    assert locked.json() == unknown.json()

    no_code = requests.post(f"{review}/api/v1/auth/token", json={"username": "demo-admin", "password": DEMO_PASSWORD}, timeout=10)
    assert no_code.status_code == 401 and no_code.json()["code"] == "totp_required"
    code = pyotp.TOTP("HUHANGDEMOADMINSECRETONLYFORDEMO").now()
    admin = requests.post(f"{review}/api/v1/auth/token", json={"username": "demo-admin", "password": DEMO_PASSWORD, "totp": code}, timeout=10)
    assert admin.status_code == 200, admin.text
    headers = {"Authorization": f"Bearer {admin.json()['access_token']}"}
    handler = next(a for a in requests.get(f"{review}/api/v1/accounts", headers=headers, timeout=10).json() if a["username"] == "demo-handler")
    assert handler["locked"] is True
    assert requests.post(f"{review}/api/v1/accounts/{handler['id']}/unlock", headers=headers, timeout=10).status_code == 200
    again = requests.post(f"{review}/api/v1/auth/token", json={"username": "demo-handler", "password": DEMO_PASSWORD}, timeout=10)
    assert again.status_code == 200
