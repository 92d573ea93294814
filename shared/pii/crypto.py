"""Encryption at rest and the keyed blind index of personal numbers (个人信息保护法 第五十一条 加密).

Ciphertext: `<key id>:<base64(nonce ‖ AES-256-GCM ciphertext ‖ tag)>`, e.g. `v1:Q2x…`.  The key id
lets a rotated key decrypt what an older key wrote.  `purpose` (e.g. `petition.id_number`) is the
GCM associated data: a ciphertext copied into another column does not decrypt there.

Blind index: HMAC-SHA256 under a separate key over the normalised value, prefixed by its kind, so
equal numbers give equal indexes (exact lookup, duplicate detection) and nobody without the key
can test a guessed number against the table (an unkeyed hash of an 18-digit ID is brute-forced in
minutes: the birth date and region leave few unknowns).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.keyring import keyring

NONCE_BYTES = 12


class DecryptionFailed(ValueError):
    """The ciphertext is malformed, was made under another key, or was altered."""


def encrypt(value: str, *, purpose: str) -> str:
    """Encrypt with the current key; a fresh random nonce each time (equal inputs differ)."""
    ring = keyring("pii")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(ring.current).encrypt(nonce, value.encode("utf-8"), purpose.encode("utf-8"))
    return f"{ring.current_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str, *, purpose: str) -> str:
    """The plaintext of `encrypt`'s output, under whichever configured key id it names."""
    key_id, sep, body = token.partition(":")
    if not sep:
        raise DecryptionFailed("no key id prefix")
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionFailed("not base64") from None
    if len(raw) <= NONCE_BYTES:
        raise DecryptionFailed("too short")
    key = keyring("pii").get(key_id)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode("utf-8")).decode("utf-8")
    except InvalidTag:
        raise DecryptionFailed(f"does not decrypt under key {key_id!r} for {purpose!r}") from None


def key_id_of(token: str) -> str:
    return token.partition(":")[0]


def normalise(value: str) -> str:
    """The form a number is indexed in: no spaces or hyphens, upper-case X of an ID check digit."""
    return "".join(ch for ch in value.strip().upper() if ch not in " -")


def blind_index(value: str, *, kind: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value; `kind` keeps an ID and a phone apart."""
    message = f"{kind}\x00{normalise(value)}".encode("utf-8")
    return hmac.new(keyring("pii_index").current, message, hashlib.sha256).hexdigest()
