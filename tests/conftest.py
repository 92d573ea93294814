"""Fixtures for every test: one signing key per test session, wired in through the environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.auth import AuthKeys


@pytest.fixture(scope="session")
def test_keys(tmp_path_factory: pytest.TempPathFactory) -> AuthKeys:
    return AuthKeys.create(tmp_path_factory.mktemp("keys"))


@pytest.fixture(autouse=True)
def _auth_env(test_keys: AuthKeys, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Apps built in a test sign and verify with the test key, never var/keys/."""
    for name, value in test_keys.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HUHANG_ENV", raising=False)
    yield


# Fixed test keys for personal data and the audit chain (shared/keyring.py): in-process apps,
# CLI subprocesses and the stack's real processes all inherit them, and nothing is generated
# under var/keys/.
DATA_KEYS = {
    "HUHANG_PII_KEY": "dGVzdC1waWkta2V5LXRlc3QtcGlpLWtleS10ZXN0LTE=",
    "HUHANG_PII_INDEX_KEY": "dGVzdC1pbmRleC1rZXktdGVzdC1pbmRleC1rZXktMDE=",
    "HUHANG_AUDIT_KEY": "dGVzdC1hdWRpdC1rZXktdGVzdC1hdWRpdC1rZXktMDE=",
}


@pytest.fixture(autouse=True)
def _data_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from shared import keyring

    for name, value in DATA_KEYS.items():
        monkeypatch.setenv(name, value)
    keyring.reset()
    yield
    keyring.reset()
