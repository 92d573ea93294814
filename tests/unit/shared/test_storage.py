"""The blob store contract, run against both stores: a folder in a tmp dir, and S3Store speaking
the S3 protocol over HTTP to a local moto server the test starts (moto[server], a test extra)."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.storage import (
    BlobCorrupt,
    BlobExists,
    BlobNotFound,
    BlobStore,
    InvalidKey,
    LocalFolderStore,
    StorageConfigError,
    StorageSettings,
    build_store,
    check_configured,
    new_key,
    staged,
)
from shared.storage.s3 import S3Store, make_client


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _s3_store(endpoint: str, bucket: str | None = None) -> S3Store:
    client = make_client(endpoint_url=endpoint, region="us-east-1", access_key_id="test", secret_access_key="test")
    bucket = bucket or f"huhang-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return S3Store(client, bucket, prefix="intake")


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalFolderStore(tmp_path / "blobs")
    return _s3_store(request.getfixturevalue("s3_endpoint"))


# --- the contract, for both -----------------------------------------------------------------------

def test_put_then_read_back(store: BlobStore) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)  # more than one chunk
    key = new_key("attachments")
    stored = store.put(key, io.BytesIO(data), sha256=_sha(data), content_type="application/pdf")
    assert (stored.key, stored.size, stored.sha256) == (key, len(data), _sha(data))
    assert store.exists(key)
    assert store.get(key) == data
    with store.open_verified(key, sha256=_sha(data)) as verified:
        assert verified.read() == data


def test_a_wrong_checksum_on_put_keeps_nothing(store: BlobStore) -> None:
    key = new_key("attachments")
    with pytest.raises(BlobCorrupt):
        store.put(key, b"%PDF-1.7 real bytes", sha256=_sha(b"other bytes"), content_type="application/pdf")
    assert not store.exists(key)
    with pytest.raises(BlobNotFound):
        store.get(key)


def test_a_key_is_written_once(store: BlobStore) -> None:
    key = new_key("attachments")
    store.put(key, b"first", sha256=_sha(b"first"), content_type="text/plain")
    with pytest.raises(BlobExists):
        store.put(key, b"second", sha256=_sha(b"second"), content_type="text/plain")
    assert store.get(key) == b"first"


def test_delete_is_idempotent_and_missing_keys_are_not_found(store: BlobStore) -> None:
    key = new_key("attachments")
    store.put(key, b"x", sha256=_sha(b"x"), content_type="text/plain")
    store.delete(key)
    store.delete(key)
    assert not store.exists(key)
    with pytest.raises(BlobNotFound):
        with store.open(key):
            pass


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../b", "A/upper", "a//b", "a/b.pdf", "a/.tmp", "", "中文"])
def test_keys_from_outside_are_refused(store: BlobStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put(key, b"x", sha256=_sha(b"x"), content_type="text/plain")
    with pytest.raises(InvalidKey):
        store.exists(key)


def test_staged_blobs_are_removed_when_the_block_fails(store: BlobStore) -> None:
    key = new_key("attachments")
    with pytest.raises(RuntimeError):
        with staged(store) as blobs:
            blobs.put(key, b"x", sha256=_sha(b"x"), content_type="text/plain")
            assert store.exists(key)
            raise RuntimeError("the commit failed")
    assert not store.exists(key)
    with staged(store) as blobs:
        blobs.put(key, b"x", sha256=_sha(b"x"), content_type="text/plain")
    assert store.exists(key)


# --- local: atomicity and checking on the way out ---------------------------------------------------

def test_a_crash_mid_put_leaves_nothing_under_the_key(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path)
    key = new_key("attachments")

    class Exploding(io.RawIOBase):
        """A stream that dies after the first chunk, as a process would."""

        def __init__(self) -> None:
            self.sent = False

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if self.sent:
                raise OSError("the disk went away")
            self.sent = True
            return b"a" * 1000

    with pytest.raises(OSError, match="disk went away"):
        store.put(key, Exploding(), sha256=_sha(b"a" * 2000), content_type="text/plain")  # type: ignore[arg-type]
    assert not store.exists(key)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the temporary is gone too


def test_a_leftover_temporary_is_never_a_blob(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path)
    key = new_key("attachments")
    final = store.path(key)
    final.parent.mkdir(parents=True)
    (final.parent / f".{final.name}.tmp-deadbeef").write_bytes(b"half")  # what a killed process leaves
    assert not store.exists(key)
    store.put(key, b"whole", sha256=_sha(b"whole"), content_type="text/plain")
    assert store.get(key) == b"whole"


def test_bytes_changed_on_disk_are_caught_on_the_way_out(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path)
    key = new_key("attachments")
    store.put(key, b"the original", sha256=_sha(b"the original"), content_type="text/plain")
    store.path(key).write_bytes(b"the tampered")
    with pytest.raises(BlobCorrupt):
        store.open_verified(key, sha256=_sha(b"the original"))


def test_files_live_under_the_root_by_key(tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path)
    key = new_key("attachments")
    store.put(key, b"x", sha256=_sha(b"x"), content_type="text/plain")
    assert store.path(key).is_relative_to(tmp_path) and store.path(key).read_bytes() == b"x"
    assert key.startswith("attachments/") and key.split("/")[1] == key.split("/")[2][:2]


# --- S3: what the bucket holds -----------------------------------------------------------------------

def test_s3_keeps_type_and_checksum_under_the_prefix(s3_endpoint: str) -> None:
    store = _s3_store(s3_endpoint)
    key = new_key("attachments")
    store.put(key, b"\x89PNG", sha256=_sha(b"\x89PNG"), content_type="image/png")
    listed = store.client.list_objects_v2(Bucket=store.bucket)["Contents"]
    assert [o["Key"] for o in listed] == [f"intake/{key}"]
    assert store.metadata(key) == {"content_type": "image/png", "size": 4, "sha256": _sha(b"\x89PNG")}


def test_s3_bytes_changed_in_the_bucket_are_caught_on_the_way_out(s3_endpoint: str) -> None:
    store = _s3_store(s3_endpoint)
    key = new_key("attachments")
    store.put(key, b"original", sha256=_sha(b"original"), content_type="text/plain")
    store.client.put_object(Bucket=store.bucket, Key=store.object_key(key), Body=b"tampered")
    with pytest.raises(BlobCorrupt):
        store.open_verified(key, sha256=_sha(b"original"))


# --- choosing a store from the environment -----------------------------------------------------------

def test_the_default_is_a_folder_per_service(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HUHANG_BLOB_STORE", raising=False)
    monkeypatch.delenv("HUHANG_BLOB_DIR", raising=False)
    monkeypatch.setenv("HUHANG_VAR", str(tmp_path))
    store = build_store(StorageSettings.from_env("intake"))
    assert isinstance(store, LocalFolderStore) and store.root == (tmp_path / "blobs" / "intake").resolve()
    monkeypatch.setenv("HUHANG_BLOB_DIR", str(tmp_path / "elsewhere" / "{service}"))
    store = build_store(StorageSettings.from_env("notify"))
    assert isinstance(store, LocalFolderStore) and store.root == (tmp_path / "elsewhere" / "notify").resolve()


def test_s3_from_the_environment(monkeypatch: pytest.MonkeyPatch, s3_endpoint: str) -> None:
    bucket = f"huhang-{uuid.uuid4().hex[:12]}"
    _s3_store(s3_endpoint, bucket)  # creates it
    for name, value in {"HUHANG_BLOB_STORE": "s3", "HUHANG_S3_BUCKET": bucket, "HUHANG_S3_ENDPOINT_URL": s3_endpoint,
                        "HUHANG_S3_ACCESS_KEY_ID": "test", "HUHANG_S3_SECRET_ACCESS_KEY": "test"}.items():
        monkeypatch.setenv(name, value)
    store = build_store(StorageSettings.from_env("intake"))
    assert isinstance(store, S3Store) and store.bucket == bucket and store.prefix == "intake/"
    key = new_key("attachments")
    store.put(key, b"x", sha256=_sha(b"x"), content_type="text/plain")
    assert store.get(key) == b"x"


@pytest.mark.parametrize("env", [
    {"HUHANG_BLOB_STORE": "ftp"},
    {"HUHANG_BLOB_STORE": "s3"},  # no bucket
    {"HUHANG_BLOB_STORE": "s3", "HUHANG_S3_BUCKET": "b", "HUHANG_S3_ACCESS_KEY_ID": "only-half"},
])
def test_malformed_settings_are_refused(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name in ("HUHANG_S3_BUCKET", "HUHANG_S3_ACCESS_KEY_ID", "HUHANG_S3_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(StorageConfigError):
        check_configured("intake")


def test_production_names_its_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUHANG_BLOB_STORE", raising=False)
    monkeypatch.setenv("HUHANG_ENV", "production")
    with pytest.raises(StorageConfigError, match="HUHANG_BLOB_STORE"):
        check_configured("intake")
    monkeypatch.setenv("HUHANG_BLOB_STORE", "local")
    check_configured("intake")
