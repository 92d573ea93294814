"""Secret keys of the platform: where they come from, and refusing to run without them in production.

Three keys, each 32 random bytes, each used for one purpose only:

| name | variable (base64) | file variable | used for |
|---|---|---|---|
| `pii` | `HUHANG_PII_KEY` | `HUHANG_PII_KEY_FILE` | AES-256-GCM encryption of ID-card and phone numbers |
| `pii_index` | `HUHANG_PII_INDEX_KEY` | `HUHANG_PII_INDEX_KEY_FILE` | HMAC blind index of those numbers (lookup, duplicates) |
| `audit` | `HUHANG_AUDIT_KEY` | `HUHANG_AUDIT_KEY_FILE` | HMAC of the audit-log hash chain |

A key has an id (`HUHANG_PII_KEY_ID`, default `v1`) written in front of what it produced, so a
key can be rotated: the new key becomes current and the old one stays readable through
`HUHANG_PII_RETIRED_KEYS` (`v1:<base64>,v0:<base64>`; same for `AUDIT`).

Development (`HUHANG_ENV` unset or not `production`): a key that is not configured is generated
once under `var/keys/<name>.key` and reused by every process of the machine.  Production:
`check_configured()` refuses to start without explicit keys, since a generated key on one host
would make the data of another unreadable.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from shared.config import var_dir

KEY_BYTES = 32
KEY_NAMES = ("pii", "pii_index", "audit")


class KeyringError(RuntimeError):
    """A key is missing, malformed or unknown."""


@dataclass(frozen=True)
class Keyring:
    """The current key of one purpose, and every key (current and retired) by id."""

    name: str
    current_id: str
    keys: dict[str, bytes]

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    def get(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise KeyringError(f"{self.name} key {key_id!r} is not configured (retired keys: HUHANG_{self.name.upper()}_RETIRED_KEYS)") from None


def _prefix(name: str) -> str:
    return f"HUHANG_{name.upper()}"


def _decode(raw: str, what: str) -> bytes:
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"{what} is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise KeyringError(f"{what} must be {KEY_BYTES} bytes (base64 of 32 random bytes), got {len(key)}")
    return key


def _explicit(name: str) -> bytes | None:
    prefix = _prefix(name)
    raw = os.environ.get(f"{prefix}_KEY")
    if raw:
        return _decode(raw, f"{prefix}_KEY")
    path = os.environ.get(f"{prefix}_KEY_FILE")
    if path:
        return _decode(Path(path).read_text(encoding="ascii"), f"{prefix}_KEY_FILE ({path})")
    return None


def is_production() -> bool:
    return os.environ.get("HUHANG_ENV", "development") == "production"


def _generated(name: str) -> bytes:
    """A development key under var/keys/, created atomically so concurrent processes agree."""
    folder = var_dir() / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.key"
    if not path.exists():
        tmp = folder / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        tmp.write_text(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode() + "\n", encoding="ascii")
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # fails if another process won the race: then use its key
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return _decode(path.read_text(encoding="ascii"), str(path))


@functools.cache
def keyring(name: str) -> Keyring:
    """The keys of one purpose (`pii`, `pii_index`, `audit`), read once per process."""
    if name not in KEY_NAMES:
        raise ValueError(f"unknown key {name!r}")
    prefix = _prefix(name)
    current = _explicit(name)
    if current is None:
        if is_production():
            raise KeyringError(f"{prefix}_KEY or {prefix}_KEY_FILE must be set when HUHANG_ENV=production")
        current = _generated(name)
    current_id = os.environ.get(f"{prefix}_KEY_ID", "v1")
    if not current_id.isalnum() or len(current_id) > 8:
        raise KeyringError(f"{prefix}_KEY_ID must be 1–8 letters or digits")
    keys = {current_id: current}
    for item in filter(None, (os.environ.get(f"{prefix}_RETIRED_KEYS") or "").split(",")):
        key_id, _, raw = item.strip().partition(":")
        keys.setdefault(key_id, _decode(raw, f"{prefix}_RETIRED_KEYS[{key_id}]"))
    return Keyring(name, current_id, keys)


def check_configured(names: tuple[str, ...] = KEY_NAMES) -> None:
    """Load the keys now: in production a missing key stops the process before it serves anything."""
    for name in names:
        keyring(name)


def reset() -> None:
    """Forget the loaded keys (tests that change the environment)."""
    keyring.cache_clear()
