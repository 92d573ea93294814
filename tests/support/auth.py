"""Tokens for tests: a signing key per test session and principals of any role and unit.

The key is written where the services read it (`HUHANG_SIGNING_KEY_FILE`), with its JWKS
document beside it (`HUHANG_JWKS_FILE`), so in-process apps and real processes verify the tokens
minted here exactly as they verify review's.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.review.identity.units.tree import descendants_or_self
from shared.auth.config import AUDIENCE, ISSUER
from shared.auth.keys import generate_key_file, jwks_document, load_private_key, public_jwk
from shared.auth.principal import Principal, make_principal

# A sensible home unit per role (the demo accounts' units).
HOME_UNIT = {
    "intake_clerk": "NY-JCY-KS",
    "triage_officer": "NY-JCY-KS",
    "case_handler": "NY-JCY-WC",
    "unit_leader": "NY-JCY",
    "judge": "NY-FY",
    "court_clerk": "NY-FY-SF",
    "prosecutor": "NY-JCY-XS",
    "penalty_reviewer": "NY-JCY-XZ",
    "task_force": "NY-JCY-ZB",
    "auditor": "NY-JCY",
    "admin": "NY-JCY",
}


@dataclass(frozen=True)
class AuthKeys:
    key_file: Path
    jwks_file: Path

    @classmethod
    def create(cls, directory: Path) -> "AuthKeys":
        key_file = directory / "signing.pem"
        key = load_private_key(key_file) if key_file.exists() else generate_key_file(key_file)
        jwks_file = directory / "jwks.json"
        jwks_file.write_text(json.dumps(jwks_document(key.public_key())))
        return cls(key_file, jwks_file)

    @property
    def private_key(self) -> Ed25519PrivateKey:
        return load_private_key(self.key_file)

    def env(self) -> dict[str, str]:
        return {"HUHANG_SIGNING_KEY_FILE": str(self.key_file), "HUHANG_JWKS_FILE": str(self.jwks_file)}

    def principal(self, role: str, unit: str | None = None, *, username: str | None = None) -> Principal:
        unit = unit or HOME_UNIT[role]
        return make_principal(
            user_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{role}@{unit}")), username=username or f"t-{role}",
            unit_code=unit, roles=[role], visible_units=descendants_or_self(unit),
        )

    def token(self, role: str, unit: str | None = None, *, key: Ed25519PrivateKey | None = None,
              ttl: int = 900, **overrides: Any) -> str:
        """A token as review would sign it (another `key` makes a forged one)."""
        key = key or self.private_key
        now = int(time.time())
        claims = {**self.principal(role, unit).claims(), "iat": now, "exp": now + ttl, "iss": ISSUER,
                  "aud": AUDIENCE, "jti": uuid.uuid4().hex, **overrides}
        return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": public_jwk(key.public_key())["kid"]})

    def headers(self, role: str, unit: str | None = None, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, unit, **kw)}"}
