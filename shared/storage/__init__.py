"""Files outside the database: the `BlobStore` port (port.py), a folder (local.py), an S3 bucket
(s3.py), the choice between them from the environment (config.py), and blobs staged for a
transaction (staging.py)."""

from shared.storage.config import StorageConfigError, StorageSettings, build_store, check_configured
from shared.storage.local import LocalFolderStore
from shared.storage.port import (
    BlobCorrupt,
    BlobExists,
    BlobNotFound,
    BlobStore,
    InvalidKey,
    StorageError,
    StoredBlob,
    check_key,
    new_key,
)
from shared.storage.staging import StagedBlobs, staged

__all__ = [
    "BlobCorrupt", "BlobExists", "BlobNotFound", "BlobStore", "InvalidKey", "LocalFolderStore", "StagedBlobs",
    "StorageConfigError", "StorageError", "StorageSettings", "StoredBlob", "build_store", "check_configured",
    "check_key", "new_key", "staged",
]
