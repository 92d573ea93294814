"""A JWKS client for intake and notify: review's public keys, fetched lazily and cached.

Keys are looked up by `kid`.  An unknown `kid` triggers a refetch at most once per
`refresh_seconds` (review rotated its key), never once per request: a flood of tokens with
random `kid`s cannot turn into a flood of requests to review.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shared.auth.keys import public_key_from_jwk

log = logging.getLogger(__name__)


def _fetch_url(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - configured URL
        doc: dict[str, Any] = json.loads(resp.read())
        return doc


class JWKSClient:
    """Public keys by `kid` from a JWKS URL or file, cached; thread-safe."""

    def __init__(
        self, *, url: str | None = None, file: str | None = None, refresh_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic, fetch: Callable[[str], dict[str, Any]] = _fetch_url,
    ) -> None:
        if not url and not file:
            raise ValueError("a JWKS URL or file is needed")
        self.url, self.file = url, file
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._fetch = fetch
        self._keys: dict[str, Ed25519PublicKey] = {}
        self._last_fetch: float | None = None
        self._lock = threading.Lock()
        self.fetches = 0  # how many times the document was read (tests assert on it)

    def _load(self) -> dict[str, Any]:
        if self.file:
            doc: dict[str, Any] = json.loads(Path(self.file).read_text())
            return doc
        assert self.url is not None
        return self._fetch(self.url)

    def refresh(self) -> None:
        self.fetches += 1
        self._last_fetch = self.clock()
        try:
            doc = self._load()
        except Exception as exc:  # noqa: BLE001 - network or file trouble: keep the old keys
            log.warning("JWKS fetch failed: %s", exc)
            return
        keys: dict[str, Ed25519PublicKey] = {}
        for jwk in doc.get("keys", []):
            try:
                keys[str(jwk["kid"])] = public_key_from_jwk(jwk)
            except (KeyError, ValueError) as exc:
                log.warning("JWKS key skipped: %s", exc)
        self._keys = keys

    def get(self, kid: str) -> Ed25519PublicKey | None:
        key = self._keys.get(kid)
        if key is not None:
            return key
        with self._lock:
            key = self._keys.get(kid)
            due = self._last_fetch is None or self.clock() - self._last_fetch >= self.refresh_seconds
            if key is None and due:
                self.refresh()
                key = self._keys.get(kid)
        return key
