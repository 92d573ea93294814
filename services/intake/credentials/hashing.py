"""The slow hash a code is stored as: argon2id over an HMAC of the code (a pepper).

Why both: the HMAC under the blind-index key (shared/pii) means a copy of the database alone
gives nothing to guess against; argon2id means that even with the key, each guess of a 40-bit
code costs milliseconds and megabytes (31⁹ guesses at ~10 ms: about 8,000 core-years).  The cost
is a setting (HUHANG_QUERY_CODE_HASH_TIME / _MEMORY_KIB); the parameters travel in each stored
hash, so changing them leaves earlier hashes verifiable.

`verify` always runs one argon2 verification, against a fixed dummy hash when there is nothing to
compare, so "no such case" and "wrong code" take the same time.
"""

from __future__ import annotations

import os
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from services.intake.credentials.codes import normalise
from shared.pii.crypto import blind_index

_PEPPER_KIND = "query_code"


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, hash_len=32, type=Type.ID)


def hasher() -> PasswordHasher:
    """The hasher of the current settings (read each call: tests and operators change them)."""
    return _hasher(int(os.environ.get("HUHANG_QUERY_CODE_HASH_TIME", "1")),
                   int(os.environ.get("HUHANG_QUERY_CODE_HASH_MEMORY_KIB", "8192")))


def _peppered(code: str) -> str:
    return blind_index(normalise(code), kind=_PEPPER_KIND)


def hash_code(code: str) -> str:
    """The stored form of a freshly drawn code."""
    return hasher().hash(_peppered(code))


@lru_cache(maxsize=4)
def _dummy(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash("no credential: compared so a miss costs what a wrong code costs")


def verify(stored: str | None, entered: str) -> bool:
    """Whether `entered` is the code `stored` was made from; one argon2 run either way."""
    ph = hasher()
    candidate = _peppered(entered) if entered else ""
    target = stored or _dummy(ph.time_cost, ph.memory_cost)
    try:
        ph.verify(target, candidate)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return stored is not None
