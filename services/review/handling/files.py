"""Where review keeps the reply documents: the app's blob store (shared/storage), built on first use.

intake installs its store at start (``configure_app``); review's manifest hook is the browser
sessions', so the store is built from ``HUHANG_BLOB_*`` the first time a reply needs it and kept
in the app's extras (a test puts its own there first).
"""

from __future__ import annotations

from shared.context import get_context
from shared.storage import BlobStore, build_store, check_configured

KEY = "blob_store"


def blob_store() -> BlobStore:
    """The running app's store (review's folder under var/blobs/review by default)."""
    extras = get_context().extras
    store = extras.get(KEY)
    if not isinstance(store, BlobStore):
        store = extras[KEY] = build_store(check_configured("review"))
    return store
