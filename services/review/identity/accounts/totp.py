"""TOTP second factor (RFC 6238, 30 s steps, ±1 step window, each code usable once).

Secrets are stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) under a key derived from
`HUHANG_SECRET_KEY`, so a database dump does not hand out second factors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet

STEP_SECONDS = 30
WINDOW = 1  # one step either side: clocks of phones drift


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"huhang-totp-v1:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(totp_secret: str, *, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(totp_secret.encode()).decode()


def decrypt_secret(token: str, *, secret_key: str) -> str:
    return _fernet(secret_key).decrypt(token.encode()).decode()


def matching_step(totp_secret: str, code: str, *, now: datetime) -> int | None:
    """The time-step whose code equals `code` within the window, or None."""
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(totp_secret, interval=STEP_SECONDS)
    found = None
    for offset in range(-WINDOW, WINDOW + 1):
        at = now.timestamp() + offset * STEP_SECONDS
        # compare_digest over every candidate: no early exit that times the match.
        if hmac.compare_digest(totp.at(at), code):
            found = totp.timecode(datetime.fromtimestamp(at, tz=now.tzinfo))
    return found


def code_at(totp_secret: str, now: datetime) -> str:
    """The current code (tests, and `make up` printing nothing but secrets)."""
    return pyotp.TOTP(totp_secret, interval=STEP_SECONDS).at(now)
