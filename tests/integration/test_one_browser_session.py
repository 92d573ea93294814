"""One browser session for every service, over real processes (docs/adr/0005).

A browser signs in at review and then calls intake and notify with its cookies only.  The Cookie
header is sent by hand: `__Host-` cookies are Secure, and a client library does not send them
over plain http.  The access cookie's lifetime is shortened to 1 s for this stack (plus the 5 s
clock-skew leeway every token gets), and its expiry is awaited with a bounded poll, not a sleep.
"""

from __future__ import annotations

import dataclasses

import requests

from services import seeds
from services.review.identity.accounts.demo import DEMO_PASSWORD
from shared.config import KafkaSettings, Settings
from tests.support.stack import Stack, wait_for

SESSION = "__Host-huhang_session"
ACCESS = "__Host-huhang_access"


def _seed_review(stack: Stack) -> None:
    settings = Settings(service="review", database_url=stack.database_urls["review"],
                        kafka=KafkaSettings(bootstrap_servers=stack.kafka_bootstrap, topic_prefix=stack.topic_prefix))
    list(seeds.run("review", settings_for=lambda _s: dataclasses.replace(settings)))


def _cookie_header(**cookies: str) -> dict[str, str]:
    names = {"session": SESSION, "access": ACCESS}
    return {"Cookie": "; ".join(f"{names[k]}={v}" for k, v in cookies.items())}


def test_a_browser_signed_in_at_review_is_honoured_by_intake_and_notify(stack: Stack) -> None:
    _seed_review(stack)
    review = stack.start_api("review", HUHANG_ACCESS_COOKIE_TTL_SECONDS="1")
    jwks = {"HUHANG_JWKS_FILE": "", "HUHANG_JWKS_URL": f"{review}/.well-known/jwks.json"}
    intake = stack.start_api("intake", **jwks)
    notify = stack.start_api("notify", **jwks)
    petitions, deliveries = f"{intake}/api/v1/petitions", f"{notify}/api/v1/deliveries"

    signed_in = requests.post(f"{review}/api/v1/auth/sessions",
                              json={"username": "demo-12309", "password": DEMO_PASSWORD}, timeout=10)
    assert signed_in.status_code == 201, signed_in.text
    session, access = signed_in.cookies[SESSION], signed_in.cookies[ACCESS]
    browser = _cookie_header(session=session, access=access)
    for url in (petitions, deliveries):
        assert requests.get(url, headers=browser, timeout=10).status_code == 200, url

    # The access cookie runs out (1 s + leeway): intake and notify ask the page to refresh it.
    def refused_body() -> dict[str, str] | None:
        resp = requests.get(petitions, headers=browser, timeout=10)
        return resp.json() if resp.status_code == 401 else None  # (a Response is falsy when not ok)

    expired = wait_for(refused_body, timeout=20, interval=0.5, what="the access cookie to expire")
    assert expired["code"] == "session_refresh_required"
    refused = requests.get(deliveries, headers=browser, timeout=10)
    assert refused.status_code == 401 and refused.json()["code"] == "session_refresh_required"

    refreshed = requests.post(f"{review}/api/v1/auth/sessions/current/refresh", headers=browser, timeout=10)
    assert refreshed.status_code == 200, refreshed.text
    renewed = _cookie_header(session=session, access=refreshed.cookies[ACCESS])
    for url in (petitions, deliveries):
        assert requests.get(url, headers=renewed, timeout=10).status_code == 200, url

    # Sign-out ends the session at review at once, and clears both cookies.
    out = requests.delete(f"{review}/api/v1/auth/sessions/current", headers=renewed, timeout=10)
    assert out.status_code == 204
    assert {c.split("=", 1)[0] for c in out.raw.headers.getlist("Set-Cookie")} == {SESSION, ACCESS}
    assert requests.get(f"{review}/api/v1/auth/me", headers=renewed, timeout=10).status_code == 401
    assert requests.post(f"{review}/api/v1/auth/sessions/current/refresh", headers=renewed,
                         timeout=10).status_code == 401
