"""Which blob store a service uses, from the environment (`HUHANG_BLOB_*`, `HUHANG_S3_*`).

| variable | meaning | default |
|---|---|---|
| `HUHANG_BLOB_STORE` | `local` (a folder) or `s3` (an S3-compatible bucket) | `local` |
| `HUHANG_BLOB_DIR` | the folder of the local store; `{service}` is replaced | `var/blobs/<service>` |
| `HUHANG_S3_BUCKET` | the bucket (required for `s3`) | |
| `HUHANG_S3_ENDPOINT_URL` | e.g. `http://minio:9000`; empty: AWS | |
| `HUHANG_S3_REGION` | the signing region (MinIO accepts any) | `us-east-1` |
| `HUHANG_S3_ACCESS_KEY_ID`, `HUHANG_S3_SECRET_ACCESS_KEY` | credentials; empty: boto3's own chain | |
| `HUHANG_S3_PREFIX` | the key prefix inside the bucket; `{service}` is replaced | `{service}` |
| `HUHANG_S3_ADDRESSING_STYLE` | `path` (MinIO, Ceph) or `virtual` (OSS, AWS) | `path` |

Production refuses to start without an explicit `HUHANG_BLOB_STORE` (`check_configured`): a pod's
`var/` is an emptyDir there, and files kept in it would vanish with the pod.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from shared.config import var_dir
from shared.storage.local import LocalFolderStore
from shared.storage.port import BlobStore

KINDS = ("local", "s3")


class StorageConfigError(ValueError):
    """The blob store's settings are missing or malformed."""


@dataclass(frozen=True)
class StorageSettings:
    service: str
    kind: str = "local"
    directory: str = ""
    bucket: str = ""
    endpoint_url: str = ""
    region: str = "us-east-1"
    access_key_id: str = ""
    secret_access_key: str = ""
    prefix: str = ""
    addressing_style: str = "path"

    @classmethod
    def from_env(cls, service: str) -> StorageSettings:
        env = os.environ
        settings = cls(
            service=service,
            kind=env.get("HUHANG_BLOB_STORE", "local") or "local",
            directory=(env.get("HUHANG_BLOB_DIR") or str(var_dir() / "blobs" / "{service}")).replace("{service}", service),
            bucket=env.get("HUHANG_S3_BUCKET", ""),
            endpoint_url=env.get("HUHANG_S3_ENDPOINT_URL", ""),
            region=env.get("HUHANG_S3_REGION", "") or "us-east-1",
            access_key_id=env.get("HUHANG_S3_ACCESS_KEY_ID", ""),
            secret_access_key=env.get("HUHANG_S3_SECRET_ACCESS_KEY", ""),
            prefix=(env.get("HUHANG_S3_PREFIX", "{service}")).replace("{service}", service),
            addressing_style=env.get("HUHANG_S3_ADDRESSING_STYLE", "") or "path",
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.kind not in KINDS:
            raise StorageConfigError(f"HUHANG_BLOB_STORE must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if self.kind == "s3" and not self.bucket:
            raise StorageConfigError("HUHANG_BLOB_STORE=s3 needs HUHANG_S3_BUCKET")
        if self.addressing_style not in ("path", "virtual", "auto"):
            raise StorageConfigError("HUHANG_S3_ADDRESSING_STYLE must be path, virtual or auto")
        if bool(self.access_key_id) != bool(self.secret_access_key):
            raise StorageConfigError("set both HUHANG_S3_ACCESS_KEY_ID and HUHANG_S3_SECRET_ACCESS_KEY, or neither")


def build_store(settings: StorageSettings) -> BlobStore:
    """The store `settings` describe (the S3 client is built here, no request is sent)."""
    if settings.kind == "local":
        return LocalFolderStore(settings.directory)
    from shared.storage.s3 import S3Store, make_client

    client = make_client(
        endpoint_url=settings.endpoint_url, region=settings.region, access_key_id=settings.access_key_id,
        secret_access_key=settings.secret_access_key, addressing_style=settings.addressing_style,
    )
    return S3Store(client, settings.bucket, prefix=settings.prefix)


def check_configured(service: str) -> StorageSettings:
    """A start-up check: the settings parse, and production names its store explicitly."""
    settings = StorageSettings.from_env(service)
    if os.environ.get("HUHANG_ENV") == "production" and not os.environ.get("HUHANG_BLOB_STORE"):
        raise StorageConfigError(
            "production needs HUHANG_BLOB_STORE (s3, or local with HUHANG_BLOB_DIR on a persistent volume)"
        )
    return settings
