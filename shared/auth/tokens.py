"""Access tokens: EdDSA-signed JWTs that review issues and every service verifies locally.

Claims: `sub` (account id), `username`, `unit`, `roles`, `units` (visible unit codes, or "*"),
`iat`, `exp`, `iss`, `aud`, `jti`.  Verification accepts only EdDSA (so `alg: none` and HMAC
confusion are refused), requires every claim, checks issuer and audience, and looks the key up
by `kid` in a key source: review's own key, or review's JWKS document, cached (`jwks.py`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, Protocol

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.auth.config import AUDIENCE, ISSUER
from shared.auth.keys import public_jwk
from shared.auth.principal import Principal

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["sub", "username", "unit", "roles", "units", "iat", "exp", "iss", "aud", "jti"]
LEEWAY_SECONDS = 5


class InvalidToken(Exception):
    """The token is missing a part, expired, not ours, or its signature does not verify."""


class KeySource(Protocol):
    def get(self, kid: str) -> Ed25519PublicKey | None:
        """The public key with this id, or None; must not fetch on every call."""


class StaticKeys:
    """Keys known in advance (review verifying its own tokens)."""

    def __init__(self, *keys: Ed25519PublicKey) -> None:
        self._keys = {public_jwk(k)["kid"]: k for k in keys}

    def get(self, kid: str) -> Ed25519PublicKey | None:
        return self._keys.get(kid)


class TokenIssuer:
    """Signs access tokens with review's private key."""

    def __init__(
        self, key: Ed25519PrivateKey, *, ttl_seconds: int = 900, clock: Callable[[], float] = time.time
    ) -> None:
        self.key = key
        self.kid = public_jwk(key.public_key())["kid"]
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    def issue(self, principal: Principal, **extra: Any) -> str:
        now = int(self.clock())
        claims = {
            **principal.claims(),
            "iat": now,
            "exp": now + self.ttl_seconds,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "jti": uuid.uuid4().hex,
            **extra,
        }
        return jwt.encode(claims, self.key, algorithm=ALGORITHM, headers={"kid": self.kid})


class TokenVerifier:
    """Verifies a bearer token and returns its principal; raises InvalidToken otherwise."""

    def __init__(self, keys: KeySource) -> None:
        self.keys = keys

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise InvalidToken(f"malformed: {exc}") from None
        if header.get("alg") != ALGORITHM:
            raise InvalidToken(f"algorithm {header.get('alg')!r} refused")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("no kid")
        key = self.keys.get(kid)
        if key is None:
            raise InvalidToken("unknown kid")
        try:
            claims = jwt.decode(
                token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                leeway=LEEWAY_SECONDS, options={"require": REQUIRED_CLAIMS},
            )
            return Principal.from_claims(claims)
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from None
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(f"bad claims: {exc}") from None
