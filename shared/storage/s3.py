"""`S3Store`: blobs as objects in an S3-compatible bucket (MinIO, Ceph RGW, Aliyun OSS, AWS S3).

An S3 PUT (single or multipart) is atomic by the protocol: the object appears under its key only
when the upload completes, so a crash mid-upload leaves nothing readable.  The bytes are hashed
before they are sent (the stream is rewound for the upload), so a mismatch never reaches the
bucket; the digest travels as the object's `x-amz-meta-sha256` for whoever inspects the bucket.

Compatibility: botocore's newer default CRC checksums on every request are turned off
(`when_required`), since several S3-compatible servers refuse them; path-style addressing is the
default (MinIO and Ceph need it; set `addressing_style="virtual"` for OSS).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, cast

from shared.storage.port import BlobCorrupt, BlobExists, BlobNotFound, BlobStore, StoredBlob, check_key, check_sha256, chunks

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = {"404", "NoSuchKey", "NotFound"}


def make_client(
    *, endpoint_url: str | None, region: str | None, access_key_id: str | None, secret_access_key: str | None,
    addressing_style: str = "path", connect_timeout_s: float = 5.0, read_timeout_s: float = 60.0,
) -> S3Client:
    """An S3 client for one endpoint; without explicit credentials boto3's own chain applies."""
    import boto3
    from botocore.config import Config

    config = Config(
        s3={"addressing_style": addressing_style},  # type: ignore[arg-type]  # checked by StorageSettings
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=connect_timeout_s,
        read_timeout=read_timeout_s,
        retries={"max_attempts": 3, "mode": "standard"},
    )
    return boto3.client(
        "s3", endpoint_url=endpoint_url or None, region_name=region or None,
        aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None, config=config,
    )


class S3Store(BlobStore):
    """Blobs as objects of `bucket`, each key under `prefix` (so services may share one bucket)."""

    def __init__(self, client: S3Client, bucket: str, *, prefix: str = "") -> None:
        if prefix:
            check_key(prefix)
        self.client = client
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""

    def __repr__(self) -> str:
        return f"S3Store(bucket={self.bucket!r}, prefix={self.prefix!r})"

    def object_key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes | IO[bytes], *, sha256: str, content_type: str) -> StoredBlob:
        check_sha256(sha256)
        name = self.object_key(key)
        stream: IO[bytes] = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
        start = stream.tell()
        digest, size = hashlib.sha256(), 0
        for piece in chunks(stream):
            digest.update(piece)
            size += len(piece)
        if digest.hexdigest() != sha256:
            raise BlobCorrupt(f"{key}: the bytes hash to {digest.hexdigest()}, not {sha256}")
        if self.exists(key):
            raise BlobExists(key)
        stream.seek(start)
        # upload_fileobj switches to a multipart upload for large files; either is atomic.
        self.client.upload_fileobj(
            stream, self.bucket, name, ExtraArgs={"ContentType": content_type, "Metadata": {"sha256": sha256}},
        )
        return StoredBlob(key, size, sha256)

    @contextmanager
    def open(self, key: str) -> Iterator[IO[bytes]]:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _is_missing(exc):
                raise BlobNotFound(key) from None
            raise
        body = answer["Body"]
        try:
            yield cast(IO[bytes], body)  # botocore's StreamingBody: read(n) and close(), all a reader uses
        finally:
            body.close()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))  # S3: deleting nothing succeeds

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _is_missing(exc):
                return False
            raise
        return True

    def metadata(self, key: str) -> dict[str, Any]:
        """The object's stored headers (content type, length, `sha256` metadata). :raise BlobNotFound:"""
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except Exception as exc:
            if _is_missing(exc):
                raise BlobNotFound(key) from None
            raise
        return {"content_type": head.get("ContentType"), "size": head.get("ContentLength"),
                "sha256": head.get("Metadata", {}).get("sha256")}


def _is_missing(exc: Exception) -> bool:
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and str(exc.response.get("Error", {}).get("Code")) in _MISSING
