"""Access tokens: EdDSA-signed JWTs that review issues and every service verifies locally.

Claims: `sub` (account id), `username`, `unit`, `roles`, `units` (visible unit codes, or "*"),
`iat`, `exp`, `iss`, `aud`, `jti`; a browser's access cookie adds `sid`, binding it to its web
session (`cookies.py`).  Verification accepts only EdDSA (so `alg: none` and HMAC
confusion are refused), requires every claim, checks issuer and audience, and looks the key up
by `kid` in a key source: review's own key, or review's JWKS document, cached (`jwks.py`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
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


class TokenExpired(InvalidToken):
    """The token is ours and its signature verifies, but its lifetime is over."""


@dataclass(frozen=True)
class IssuedToken:
    value: str
    issued_at: int  # the `iat` claim, seconds since the epoch
    expires_at: int  # the `exp` claim

    @property
    def lifetime_seconds(self) -> int:
        return self.expires_at - self.issued_at


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
        """A bearer token for `principal`, valid for `ttl_seconds`; `extra` adds claims."""
        return self.issue_token(principal, **extra).value

    def issue_token(self, principal: Principal, *, ttl_seconds: int | None = None, **extra: Any) -> IssuedToken:
        """A token and its expiry; `ttl_seconds` overrides the issuer's lifetime (the access cookie's is shorter)."""
        now = int(self.clock())
        expires_at = now + (self.ttl_seconds if ttl_seconds is None else ttl_seconds)
        claims = {
            **principal.claims(),
            "iat": now,
            "exp": expires_at,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "jti": uuid.uuid4().hex,
            **extra,
        }
        return IssuedToken(jwt.encode(claims, self.key, algorithm=ALGORITHM, headers={"kid": self.kid}), now, expires_at)


class TokenVerifier:
    """Verifies a bearer token and returns its principal; raises InvalidToken otherwise."""

    def __init__(self, keys: KeySource) -> None:
        self.keys = keys

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; raises InvalidToken (TokenExpired once its lifetime is over)."""
        claims = self.decode(token)
        try:
            return Principal.from_claims(claims)
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(f"bad claims: {exc}") from None

    def decode(self, token: str) -> dict[str, Any]:
        """The verified claims of a token; raises InvalidToken, or TokenExpired when only the expiry fails.

        The signature is checked before the expiry, so TokenExpired is never said of a forged token.
        """
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
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=[ALGORITHM], audience=AUDIENCE, issuer=ISSUER,
                leeway=LEEWAY_SECONDS, options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpired(str(exc)) from None
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from None
        return claims
