"""Signing keys (Ed25519, PEM) and the JWKS document that publishes their public halves.

Review signs with the private key in `HUHANG_SIGNING_KEY_FILE`.  In development, without that
variable, a key is generated once under `var/keys/` (never in production: see `config.py`).
The key id (`kid`) is the RFC 7638 thumbprint of the public key, so it needs no bookkeeping.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as a JWK (OKP / Ed25519) with its thumbprint as `kid`."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    core = {"crv": "Ed25519", "kty": "OKP", "x": _b64(raw)}
    # RFC 7638: SHA-256 over the required members, sorted, no whitespace.
    kid = _b64(hashlib.sha256(json.dumps(core, sort_keys=True, separators=(",", ":")).encode()).digest())
    return {**core, "kid": kid, "alg": "EdDSA", "use": "sig"}


def jwks_document(*keys: Ed25519PublicKey) -> dict[str, Any]:
    return {"keys": [public_jwk(k) for k in keys]}


def public_key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("only OKP/Ed25519 keys are accepted")
    x = str(jwk["x"])
    return Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path}: not an Ed25519 private key")
    return key


def generate_key_file(path: Path) -> Ed25519PrivateKey:
    """Write a new Ed25519 key to `path` (mode 0600) unless one is already there; return it.

    Created with O_EXCL so that two processes starting at once end up with the same key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    try:
        os.link(tmp, path)  # atomic; fails if another process won the race
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return load_private_key(path)
