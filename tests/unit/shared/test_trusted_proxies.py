"""The client address: believed from the front door's X-Forwarded-For, never from anyone else's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from shared.audit.models import AuditEntry
from shared.config import DEFAULT_TRUSTED_PROXIES, trusted_proxies
from shared.web.proxy import TrustedProxies, parse_networks


@Request.application
def _echo(request: Request) -> Response:
    """What an app behind the middleware sees of its caller."""
    return Response(f"{request.remote_addr}|{request.scheme}|{request.headers.get('X-Forwarded-For', '-')}")


def _seen(trusted: Iterable[str], peer: str, **headers: str) -> list[str]:
    client = Client(TrustedProxies(_echo, trusted))
    resp = client.get("/", headers=headers, environ_base={"REMOTE_ADDR": peer})
    return resp.get_data(as_text=True).split("|")


def test_from_the_door_the_forwarded_client_and_scheme_are_applied() -> None:
    assert _seen(["127.0.0.1"], "127.0.0.1", **{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})[:2] == [
        "203.0.113.9", "https",
    ]


def test_only_the_entry_the_door_appended_counts() -> None:
    # The door appends the peer it saw; whatever the client sent to the left of it is the client's claim.
    forged_then_real = {"X-Forwarded-For": "10.0.0.1, 203.0.113.9"}
    assert _seen(["127.0.0.1"], "127.0.0.1", **forged_then_real)[0] == "203.0.113.9"


def test_a_forged_header_from_an_untrusted_peer_is_ignored_and_removed() -> None:
    addr, scheme, forwarded = _seen(["127.0.0.1"], "198.51.100.7",
                                    **{"X-Forwarded-For": "10.0.0.1", "X-Forwarded-Proto": "https", "X-Real-IP": "10.0.0.1"})
    assert (addr, scheme, forwarded) == ("198.51.100.7", "http", "-")


def test_networks_and_ipv6() -> None:
    middleware = TrustedProxies(_echo, ["10.42.0.0/16", "::1"])
    assert middleware.is_trusted("10.42.7.1") and middleware.is_trusted("::1")
    assert middleware.is_trusted("::ffff:10.42.0.9")  # an IPv4 peer on a dual-stack socket
    assert not middleware.is_trusted("10.43.0.1") and not middleware.is_trusted("::2")
    assert not middleware.is_trusted("") and not middleware.is_trusted(None) and not middleware.is_trusted("unix")
    assert _seen(["10.42.0.0/16"], "10.42.7.1", **{"X-Forwarded-For": "203.0.113.9"})[0] == "203.0.113.9"


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUHANG_TRUSTED_PROXIES", raising=False)
    assert trusted_proxies() == ("127.0.0.1", "::1") == tuple(DEFAULT_TRUSTED_PROXIES.split(","))
    monkeypatch.setenv("HUHANG_TRUSTED_PROXIES", " 10.0.0.0/8 , fd00::/8,")
    assert trusted_proxies() == ("10.0.0.0/8", "fd00::/8")
    monkeypatch.setenv("HUHANG_TRUSTED_PROXIES", "")
    assert trusted_proxies() == ()  # trust no one: every peer's own address stands
    with pytest.raises(ValueError, match="not an address"):
        parse_networks(["10.0.0.0/8", "proxy.internal"])


def _denied_from(app: Flask, client: FlaskClient, peer: str, forwarded_for: str) -> str | None:
    """The client address of the authz.denied row a refused call writes."""
    resp = client.get("/api/v1/audit/intake", headers={"X-Forwarded-For": forwarded_for},
                      environ_base={"REMOTE_ADDR": peer})
    assert resp.status_code == 403  # a clerk is no auditor
    with app.extensions["huhang"].session_factory() as session:
        row: Any = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "authz.denied").order_by(AuditEntry.id.desc())
        ).first()
        return row.client_addr  # type: ignore[no-any-return]


def test_the_audit_row_names_the_client_the_door_saw(intake_app: Flask, intake_client: FlaskClient) -> None:
    assert _denied_from(intake_app, intake_client, "127.0.0.1", "10.0.0.1, 203.0.113.9") == "203.0.113.9"


def test_the_audit_row_ignores_a_header_forged_past_the_door(intake_app: Flask, intake_client: FlaskClient) -> None:
    assert _denied_from(intake_app, intake_client, "198.51.100.7", "203.0.113.9") == "198.51.100.7"
