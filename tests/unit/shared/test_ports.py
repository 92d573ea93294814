"""Ports from the environment, so a second stack can run beside the first."""

from __future__ import annotations

import pytest

from shared.auth.config import AuthSettings
from shared.config import DEFAULT_HTTP_PORT, http_port, service_port


def test_defaults_are_the_manifest_ports_and_8100(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HUHANG_HTTP_PORT", "HUHANG_INTAKE_PORT", "HUHANG_REVIEW_PORT", "HUHANG_NOTIFY_PORT", "HUHANG_JWKS_URL"):
        monkeypatch.delenv(name, raising=False)
    assert (http_port(), DEFAULT_HTTP_PORT) == (8100, 8100)
    assert [service_port(s) for s in ("intake", "review", "notify")] == [8101, 8102, 8103]
    assert AuthSettings().jwks_url == "http://127.0.0.1:8102/.well-known/jwks.json"


def test_a_second_stack_on_its_own_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUHANG_JWKS_URL", raising=False)
    monkeypatch.setenv("HUHANG_HTTP_PORT", "8200")
    monkeypatch.setenv("HUHANG_REVIEW_PORT", "8202")
    assert http_port() == 8200 and service_port("review") == 8202 and service_port("intake") == 8101
    assert AuthSettings().jwks_url == "http://127.0.0.1:8202/.well-known/jwks.json"  # intake and notify follow review
    monkeypatch.setenv("HUHANG_JWKS_URL", "http://keys.example/jwks.json")
    assert AuthSettings().jwks_url == "http://keys.example/jwks.json"


def test_an_unknown_service_has_no_port() -> None:
    with pytest.raises(ValueError, match="unknown service"):
        service_port("billing")
