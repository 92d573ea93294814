"""Blobs written for a database transaction that has not committed yet, removed when it fails.

A file and its row cannot commit together, so the file goes first and is taken back when the
row does not make it:

    with staged(store) as blobs, transaction(db_session()) as session:
        service.upload(session, blobs=blobs, ...)   # blobs.put(...) then the rows

`with A, B` leaves B first: the commit (or rollback) happens, then `staged` sees whether an
exception came out of it and deletes every blob put through `blobs`.  A process killed between
the put and the commit leaves an orphan blob (never a row without its file); orphans are
harmless and can be swept by comparing keys with the rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from shared.storage.port import BlobStore, StoredBlob

log = logging.getLogger(__name__)


class StagedBlobs:
    """Puts through to `store` and remembers the keys, so a failure can take them back."""

    def __init__(self, store: BlobStore) -> None:
        self.store = store
        self.keys: list[str] = []

    def put(self, key: str, data: bytes | IO[bytes], *, sha256: str, content_type: str) -> StoredBlob:
        stored = self.store.put(key, data, sha256=sha256, content_type=content_type)
        self.keys.append(key)
        return stored

    def discard(self, key: str) -> None:
        """Remove one staged blob now (the transaction found it is not needed)."""
        self.store.delete(key)
        self.keys.remove(key)

    def roll_back(self) -> None:
        for key in reversed(self.keys):
            try:
                self.store.delete(key)
            except Exception:  # noqa: BLE001 - the original failure matters more; the orphan is logged
                log.exception("could not delete the staged blob %s", key)
        self.keys.clear()


@contextmanager
def staged(store: BlobStore) -> Iterator[StagedBlobs]:
    """Blobs put inside the block are deleted again if the block raises."""
    blobs = StagedBlobs(store)
    try:
        yield blobs
    except BaseException:
        blobs.roll_back()
        raise
