"""`LocalFolderStore`: blobs as files in one folder (by default `var/blobs/<service>/`).

For one machine and for tests.  A put writes `.<name>.tmp-<uuid>` beside the final file, fsyncs
it, checks the SHA-256 and then links it to the final name (`os.link` fails when the name is
taken, which is the write-once rule), so a reader or a crash never sees half a file under a key.
Temporaries start with a dot, which no key may, so a stray one is never taken for a blob.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from shared.storage.port import BlobCorrupt, BlobExists, BlobNotFound, BlobStore, StoredBlob, check_key, check_sha256, chunks


class LocalFolderStore(BlobStore):
    """Blobs under `root`, one file per key (the key's segments are the path's)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"LocalFolderStore({str(self.root)!r})"

    def path(self, key: str) -> Path:
        """The file of `key` (checked: it lies inside the root). :raise InvalidKey:"""
        path = self.root.joinpath(*check_key(key).split("/"))
        # The key pattern already forbids '..' and absolute keys; this is the second lock.
        if not path.is_relative_to(self.root):
            raise AssertionError(f"{key!r} escapes {self.root}")
        return path

    def put(self, key: str, data: bytes | IO[bytes], *, sha256: str, content_type: str) -> StoredBlob:
        check_sha256(sha256)
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{final.name}.tmp-{uuid.uuid4().hex}")
        try:
            digest, size = hashlib.sha256(), 0
            with open(temporary, "xb") as out:
                for piece in chunks(data):
                    digest.update(piece)
                    size += len(piece)
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != sha256:
                raise BlobCorrupt(f"{key}: the bytes hash to {digest.hexdigest()}, not {sha256}")
            try:
                os.link(temporary, final)  # atomic, and refuses a taken name (os.replace would overwrite)
            except FileExistsError:
                raise BlobExists(key) from None
            _fsync_dir(final.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        return StoredBlob(key, size, sha256)

    @contextmanager
    def open(self, key: str) -> Iterator[IO[bytes]]:
        try:
            stream = open(self.path(key), "rb")
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        with stream:
            yield stream

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def _fsync_dir(directory: Path) -> None:
    """Make the new directory entry durable too (a crash after the link keeps the file)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
