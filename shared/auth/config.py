"""Auth settings from the environment, and the production-mode refusals.

| variable | meaning |
|---|---|
| `HUHANG_SIGNING_KEY_FILE` | review's Ed25519 private key (PEM); development default `var/keys/dev-signing.pem` |
| `HUHANG_JWKS_URL` | where intake/notify fetch review's public keys (default review's own port, `HUHANG_REVIEW_PORT` or 8102) |
| `HUHANG_JWKS_FILE` | a JWKS document on disk instead of the URL |
| `HUHANG_JWKS_REFRESH_SECONDS` | at most one refetch per this many seconds, on an unknown `kid` |
| `HUHANG_SECRET_KEY` | encrypts TOTP secrets at rest (review); required in production |
| `HUHANG_TOKEN_TTL_SECONDS` | access-token lifetime (900) |
| `HUHANG_ACCESS_COOKIE_TTL_SECONDS` | lifetime of a browser's `__Host-huhang_access` cookie token (300; at least 1) |
| `HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS` | an administrator's password older than this refuses sign-in (90) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from shared.config import service_port, var_dir

DEV_SECRET = "huhang-development-secret-not-for-production"
# A browser session ends after this long without a request (review enforces it; every page shows it).
SESSION_IDLE_SECONDS = 30 * 60
# Secrets that are public (in this repo, in docs, in tutorials): never accepted in production.
KNOWN_DEFAULT_SECRETS = frozenset({
    DEV_SECRET, "", "secret", "changeme", "change-me", "dev", "development", "huhang", "password", "test",
})
ISSUER = "huhang-review"
AUDIENCE = "huhang"


class InsecureConfiguration(RuntimeError):
    """Production mode refuses to start with a default secret or key."""


def dev_key_path() -> Path:
    return var_dir() / "keys" / "dev-signing.pem"


@dataclass(frozen=True)
class AuthSettings:
    env: str = field(default_factory=lambda: os.environ.get("HUHANG_ENV", "development"))
    signing_key_file: str | None = field(default_factory=lambda: os.environ.get("HUHANG_SIGNING_KEY_FILE") or None)
    jwks_url: str = field(
        # Straight to review's port, not through the door: service-to-service, on this machine.
        default_factory=lambda: os.environ.get("HUHANG_JWKS_URL")
        or f"http://127.0.0.1:{service_port('review')}/.well-known/jwks.json"
    )
    jwks_file: str | None = field(default_factory=lambda: os.environ.get("HUHANG_JWKS_FILE") or None)
    jwks_refresh_seconds: float = field(
        default_factory=lambda: float(os.environ.get("HUHANG_JWKS_REFRESH_SECONDS", "60"))
    )
    secret_key: str | None = field(default_factory=lambda: os.environ.get("HUHANG_SECRET_KEY") or None)
    token_ttl_seconds: int = field(default_factory=lambda: int(os.environ.get("HUHANG_TOKEN_TTL_SECONDS", "900")))
    # Short: a stolen access cookie is honoured by intake and notify until it expires (docs/adr/0005).
    access_cookie_ttl_seconds: int = field(
        default_factory=lambda: int(os.environ.get("HUHANG_ACCESS_COOKIE_TTL_SECONDS", "300"))
    )
    # 等保 定期更换, applied to administrators only (docs/security.md); at least 1.
    admin_password_max_age_days: int = field(
        default_factory=lambda: int(os.environ.get("HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS", "90"))
    )

    def __post_init__(self) -> None:
        if self.admin_password_max_age_days < 1:
            raise ValueError("HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS must be at least 1")
        if self.access_cookie_ttl_seconds < 1:
            raise ValueError("HUHANG_ACCESS_COOKIE_TTL_SECONDS must be at least 1")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def signing_key_path(self) -> Path:
        if self.signing_key_file:
            return Path(self.signing_key_file)
        if self.is_production:
            raise InsecureConfiguration("HUHANG_ENV=production needs HUHANG_SIGNING_KEY_FILE (no generated key)")
        return dev_key_path()

    def effective_secret(self) -> str:
        if self.secret_key is None:
            if self.is_production:
                raise InsecureConfiguration("HUHANG_ENV=production needs HUHANG_SECRET_KEY")
            return DEV_SECRET
        return self.secret_key

    def check_production(self, *, signs_tokens: bool) -> None:
        """Raise InsecureConfiguration when production mode would run on a default secret or key."""
        if not self.is_production:
            return
        secret = self.secret_key or ""
        if secret.strip().lower() in KNOWN_DEFAULT_SECRETS or len(secret) < 32:
            raise InsecureConfiguration("HUHANG_SECRET_KEY is missing, a known default, or shorter than 32 characters")
        if signs_tokens:
            path = self.signing_key_path()
            if path.resolve() == dev_key_path().resolve() or "dev-signing" in path.name:
                raise InsecureConfiguration(f"{path} is the development signing key")
            if not path.is_file():
                raise InsecureConfiguration(f"HUHANG_SIGNING_KEY_FILE {path} does not exist")
        elif not self.jwks_file and not self.jwks_url.startswith("https://") and "127.0.0.1" in self.jwks_url:
            # The default points at a local review: in production it must be configured.
            if "HUHANG_JWKS_URL" not in os.environ:
                raise InsecureConfiguration("HUHANG_ENV=production needs HUHANG_JWKS_URL or HUHANG_JWKS_FILE")
