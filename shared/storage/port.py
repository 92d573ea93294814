"""The blob store port: files kept outside the database, under keys the platform makes.

A service keeps in its database what it knows about a file (name, type, size, SHA-256, who
brought it) and the file itself in a `BlobStore`, under a key.  The contract every store keeps:

- **Keys are made here, never from user input**: `new_key(prefix)` gives `prefix/ab/ab12…` (a
  random UUID, fanned out by its first two hex digits); a key is lower-case ASCII letters, digits,
  `-`, `_` and `/` between segments, and anything else is refused (`InvalidKey`) before a path or
  a URL is built from it.  A client's file name is never part of a key.
- **A put is atomic**: the bytes go to a temporary name and appear under the final key only
  when all of them are written and their SHA-256 matched the one the caller gave.  A crash at
  any moment leaves either nothing or the whole file under the key (a stray temporary is never a
  key).  A mismatch raises `BlobCorrupt` and leaves nothing.
- **A key is written once**: `put` on an existing key raises `BlobExists` (keys are fresh UUIDs,
  so this is a bug, not a race to arbitrate).
- **Reads check**: `open_verified(key, sha256=...)` hashes the whole blob before handing it back
  and raises `BlobCorrupt` when it is not what was stored, so a download never sends bad bytes
  under a good name.
- `delete` is idempotent (a missing key is not an error); `exists` answers for final keys only.

Every call blocks until the store has answered; none retries on its own.  Errors of the medium
(disk, network) propagate as the store's own exceptions (`OSError`, botocore's `ClientError`).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

CHUNK = 1024 * 1024
# Lower-case segments of letters, digits, '-' and '_', joined by '/': no dot, no '..', no leading '/'.
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")
MAX_KEY_LENGTH = 200
# A blob read back for checking stays in memory up to this size, then spills to a temporary file.
_SPOOL_BYTES = 4 * 1024 * 1024


class StorageError(Exception):
    """A blob store refused a call (see the subclasses)."""


class InvalidKey(StorageError, ValueError):
    """The key is not one `new_key` could have made."""


class BlobNotFound(StorageError, KeyError):
    """No blob under this key."""


class BlobExists(StorageError):
    """A blob is already stored under this key; keys are written once."""


class BlobCorrupt(StorageError):
    """The bytes are not the ones whose SHA-256 was given (on put: nothing was kept)."""


@dataclass(frozen=True)
class StoredBlob:
    """What a put wrote."""

    key: str
    size: int
    sha256: str  # lower-case hex


def check_key(key: str) -> str:
    """`key` itself, when it is a well-formed key. :raise InvalidKey: otherwise."""
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH or not _KEY_RE.match(key):
        raise InvalidKey(f"not a blob key: {key!r}")
    return key


def new_key(prefix: str) -> str:
    """A fresh key under `prefix` (one or more key segments): `prefix/3f/3f2a…`."""
    check_key(prefix)
    name = uuid.uuid4().hex
    return f"{prefix}/{name[:2]}/{name}"


def check_sha256(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", value or ""):
        raise ValueError(f"sha256 must be 64 lower-case hex digits, not {value!r}")
    return value


def chunks(data: bytes | IO[bytes]) -> Iterator[bytes]:
    """The bytes of `data` in pieces of at most `CHUNK` (a stream is read from where it stands)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])
        return
    while True:
        piece = data.read(CHUNK)
        if not piece:
            return
        yield piece


class BlobStore(ABC):
    """Where files live outside the database (see the module docstring for the contract)."""

    @abstractmethod
    def put(self, key: str, data: bytes | IO[bytes], *, sha256: str, content_type: str) -> StoredBlob:
        """Store `data` under `key`, atomically, after checking its SHA-256.

        `content_type` is kept as the blob's metadata where the medium has a place for it (S3);
        the caller's database stays the authority on it.
        :raise BlobCorrupt: the bytes do not hash to `sha256` (nothing was kept).
        :raise BlobExists: `key` already holds a blob.
        """

    @abstractmethod
    @contextmanager
    def open(self, key: str) -> Iterator[IO[bytes]]:
        """The blob's bytes as a stream, closed when the block ends. :raise BlobNotFound:"""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob; a key that holds nothing is no error."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether a (complete) blob is stored under `key`."""

    def get(self, key: str) -> bytes:
        """The whole blob in memory (for small blobs and tests). :raise BlobNotFound:"""
        with self.open(key) as stream:
            return stream.read()

    def open_verified(self, key: str, *, sha256: str) -> IO[bytes]:
        """A rewound copy of the blob, returned only once all of it hashed to `sha256`.

        The caller closes it.  The copy is a spooled temporary file: a download can start
        sending only after the check, and a failed check never sends a byte.
        :raise BlobNotFound:
        :raise BlobCorrupt: the stored bytes are not the ones recorded.
        """
        check_sha256(sha256)
        copy: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - the caller closes it
        try:
            digest = hashlib.sha256()
            with self.open(key) as stream:
                for piece in chunks(stream):
                    digest.update(piece)
                    copy.write(piece)
            if digest.hexdigest() != sha256:
                raise BlobCorrupt(f"{key}: stored bytes hash to {digest.hexdigest()}, not {sha256}")
            copy.seek(0)
            return copy
        except BaseException:
            copy.close()
            raise
