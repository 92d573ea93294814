"""信访材料 over PostgreSQL: upload, list, checked download, unit scoping, audit, and nothing half-written.

The intake app runs in-process on a fresh PostgreSQL database with a real folder blob store in
the test's tmp dir (the S3 store keeps the same contract: tests/unit/shared/test_storage.py).
"""

from __future__ import annotations

import copy
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.intake import create_app
from services.intake.attachments.models import Attachment
from services.intake.petitions import service as petitions
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.actor import Actor
from shared.audit.models import AuditEntry
from shared.config import KafkaSettings, Settings
from shared.db.transaction import transaction
from shared.storage import LocalFolderStore
from tests.support import files
from tests.support.auth import AuthKeys
from tests.support.infra import Databases, Infrastructure

CLERK_UNIT = "NY-JCY-KS"  # intake_clerk's home unit (tests/support/auth.py)
OTHER_UNIT = "NY-JCY-DZ"


@dataclass
class World:
    app: Flask
    client: FlaskClient
    store: LocalFolderStore
    keys: AuthKeys
    petition: str  # of CLERK_UNIT
    other_petition: str  # of OTHER_UNIT

    def session(self) -> Any:
        return self.app.extensions["huhang"].session_factory()

    def headers(self, role: str = "intake_clerk", unit: str | None = None) -> dict[str, str]:
        return self.keys.headers(role, unit)

    def upload(self, data: bytes, *, petition: str | None = None, name: str = "证据.pdf",
               content_type: str = "application/pdf", headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"/api/v1/attachments?petition_id={petition or self.petition}",
            headers=self.headers() if headers is None else headers,
            data={"file": (io.BytesIO(data), name, content_type)},
            content_type="multipart/form-data",
        )

    def blobs(self) -> list[Path]:
        return [p for p in self.store.root.rglob("*") if p.is_file()] if self.store.root.exists() else []

    def rows(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.count(Attachment.id))) or 0)

    def audit(self, action: str) -> list[AuditEntry]:
        with self.session() as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def world(infra: Infrastructure, databases: Databases, test_keys: AuthKeys, tmp_path: Path) -> Iterator[World]:
    settings = Settings(service="intake", database_url=databases.fresh("intake"),
                        kafka=KafkaSettings(bootstrap_servers=infra.kafka_bootstrap, topic_prefix="attachments"))
    app = create_app({"TESTING": True}, settings=settings)
    store = LocalFolderStore(tmp_path / "blobs")
    app.extensions["huhang"].extras["blob_store"] = store
    ids = {}
    with app.extensions["huhang"].session_factory() as session:
        for unit in (CLERK_UNIT, OTHER_UNIT):
            with transaction(session):
                ids[unit] = petitions.register(session, petition_in=copy.deepcopy(PETITION_EXAMPLE),
                                               actor=Actor("seed", unit)).petition.id
    yield World(app, app.test_client(), store, test_keys, ids[CLERK_UNIT], ids[OTHER_UNIT])
    app.extensions["huhang"].engine.dispose()


def test_upload_list_and_download_with_the_checksum(world: World) -> None:
    data = files.pdf("huhang attachment")
    resp = world.upload(data, name="../起诉 材料.pdf")
    assert resp.status_code == 201, resp.json
    body = resp.json
    assert body["kind"] == "pdf" and body["content_type"] == "application/pdf"
    assert body["size"] == len(data) and body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["name"] == "起诉 材料.pdf" and body["uploaded_by"] == "t-intake_clerk"
    assert "storage_key" not in body

    listed = world.client.get(f"/api/v1/petitions/{world.petition}/attachments", headers=world.headers("case_handler", CLERK_UNIT))
    assert listed.status_code == 200 and [a["id"] for a in listed.json or []] == [body["id"]]

    download = world.client.get(body["content_url"], headers=world.headers("triage_officer"))
    assert download.status_code == 200
    assert download.data == data and hashlib.sha256(download.data).hexdigest() == body["sha256"]
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''%E8%B5%B7%E8%AF%89%20%E6%9D%90%E6%96%99.pdf" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"

    with world.session() as session:
        row = session.get(Attachment, body["id"])
        assert row is not None and row.unit_code == CLERK_UNIT and row.petition_id == world.petition
        assert world.store.get(row.storage_key) == data
        assert "起诉" not in row.storage_key and row.storage_key.startswith("attachments/")
    [upload] = world.audit("attachment.upload")
    assert upload.outcome == "success" and upload.subject_id == body["id"] and upload.actor == "t-intake_clerk"
    assert upload.detail == {"petition_id": world.petition, "sha256": body["sha256"], "size": len(data), "kind": "pdf"}
    [download_row] = world.audit("attachment.download")
    assert download_row.outcome == "success" and download_row.actor == "t-triage_officer"


def test_the_type_comes_from_the_bytes(world: World) -> None:
    resp = world.upload(files.png(), name="scan.pdf", content_type="application/pdf")
    assert resp.status_code == 201 and resp.json["kind"] == "png" and resp.json["content_type"] == "image/png"
    download = world.client.get(resp.json["content_url"], headers=world.headers())
    assert download.headers["Content-Type"] == "image/png"
    assert "filename*=UTF-8''scan.png" in download.headers["Content-Disposition"]
    for make in (files.ofd, files.docx, files.jpeg):
        assert world.upload(make(), name="x.bin", content_type="application/octet-stream").status_code == 201


@pytest.mark.parametrize("data", [files.exe(), files.plain_zip(), files.png()[:-12]], ids=["exe", "zip", "cut-png"])
def test_a_refused_type_stores_neither_row_nor_blob(world: World, data: bytes) -> None:
    resp = world.upload(data, name="证据.pdf", content_type="application/pdf")
    assert resp.status_code == 422 and resp.json["code"] == "attachment.type_not_allowed"
    assert set(resp.json["message"]) == {"zh", "en"}
    assert world.rows() == 0 and world.blobs() == [] and world.audit("attachment.upload") == []


def test_limits_answer_413_and_422(world: World) -> None:
    limits = world.app.extensions["huhang"].extras
    from services.intake.config import IntakeSettings

    limits["intake_settings"] = IntakeSettings(attachment_max_bytes=5000, attachment_max_total_bytes=9000,
                                               attachment_max_count=3)
    big = files.png(width=2000, height=2000, rgb=(1, 2, 3))
    assert len(big) > 5000
    resp = world.upload(big)
    assert resp.status_code == 413 and resp.json["code"] == "attachment.too_large"
    assert resp.json["errors"]["limit_bytes"] == 5000
    first = files.pdf("a" * 3000)
    assert world.upload(first).status_code == 201
    second = files.pdf("b" * 3000)
    assert world.upload(second).status_code == 201
    resp = world.upload(files.pdf("c" * 3000))  # 3 × ~3.5 KB > 9000 in all
    assert resp.status_code == 413 and resp.json["code"] == "attachment.too_large"
    assert world.upload(files.png()).status_code == 201  # small: fits, and is the third
    resp = world.upload(files.jpeg())
    assert resp.status_code == 422 and resp.json["code"] == "attachment.too_many"
    assert world.rows() == 3 and len(world.blobs()) == 3


def test_a_body_larger_than_the_upload_limit_is_refused_by_the_app(world: World) -> None:
    too_big = b"%PDF-1.7\n" + b"0" * (22 * 1024 * 1024)  # over the 20 MiB default and its envelope
    resp = world.upload(too_big)
    assert resp.status_code == 413 and world.rows() == 0 and world.blobs() == []
    # Other endpoints keep the 2 MiB limit.
    resp = world.client.post("/api/v1/petitions", headers=world.headers(),
                             data=b"{" + b" " * (3 * 1024 * 1024) + b"}", content_type="application/json")
    assert resp.status_code == 413


def test_the_same_bytes_twice_are_one_attachment(world: World) -> None:
    data = files.docx()
    first = world.upload(data, name="a.docx")
    again = world.upload(data, name="b.docx")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"] and again.json["name"] == "a.docx"
    assert world.rows() == 1 and len(world.blobs()) == 1
    assert [r.detail.get("replayed", False) for r in world.audit("attachment.upload")] == [False, True]
    # Another petition may hold the same bytes.
    other = world.upload(data, petition=world.other_petition, headers=world.headers("intake_clerk", OTHER_UNIT))
    assert other.status_code == 201 and other.json["id"] != first.json["id"]


def test_another_units_clerk_gets_404_for_upload_list_and_download(world: World) -> None:
    mine = world.upload(files.pdf()).json
    stranger = world.headers("intake_clerk", OTHER_UNIT)
    resp = world.upload(files.png(), headers=stranger)  # my petition, their token
    assert resp.status_code == 404 and resp.json["code"] == "not_found"
    assert world.client.get(f"/api/v1/petitions/{world.petition}/attachments", headers=stranger).status_code == 404
    resp = world.client.get(mine["content_url"], headers=stranger)
    assert resp.status_code == 404 and resp.data != files.pdf()
    assert world.rows() == 1 and len(world.blobs()) == 1
    denied = [r for r in world.audit("attachment.download") if r.outcome == "denied"]
    assert [(r.subject_id, r.actor_unit, r.detail) for r in denied] == [(mine["id"], OTHER_UNIT, {"visible": False})]
    # The task force sees every unit.
    assert world.client.get(mine["content_url"], headers=world.headers("task_force")).status_code == 200


def test_who_may_not_call_gets_401_or_403(world: World) -> None:
    mine = world.upload(files.pdf()).json
    for role in ("auditor", "admin", "triage_officer", "case_handler"):
        assert world.upload(files.png(), headers=world.headers(role, CLERK_UNIT)).status_code == 403, role
    for role in ("auditor", "admin"):
        assert world.client.get(mine["content_url"], headers=world.headers(role)).status_code == 403
        assert world.client.get(f"/api/v1/petitions/{world.petition}/attachments",
                                headers=world.headers(role)).status_code == 403
    # The public (an enterprise or petitioner without a staff token).
    assert world.upload(files.png(), headers={}).status_code == 401
    assert world.client.get(mine["content_url"]).status_code == 401
    assert world.client.get(f"/api/v1/petitions/{world.petition}/attachments").status_code == 401
    assert world.rows() == 1


def test_a_failure_in_the_database_step_removes_the_blob(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.intake.attachments import service

    def failing_audit(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away mid-transaction")

    monkeypatch.setattr(service, "record", failing_audit)
    written: list[str] = []
    real_put = world.store.put

    def spy_put(key: str, *args: Any, **kwargs: Any) -> Any:
        written.append(key)
        return real_put(key, *args, **kwargs)

    monkeypatch.setattr(world.store, "put", spy_put)
    world.app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(RuntimeError, match="went away"):
        world.upload(files.pdf())
    assert len(written) == 1 and not world.store.exists(written[0])  # it was written, then taken back
    assert world.rows() == 0 and world.blobs() == []


def test_a_failed_commit_removes_the_blob(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.orm import Session

    def failing_commit(self: Session) -> None:
        raise RuntimeError("commit failed")

    monkeypatch.setattr(Session, "commit", failing_commit)
    world.app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(RuntimeError, match="commit failed"):
        world.upload(files.png())
    monkeypatch.undo()
    assert world.rows() == 0 and world.blobs() == []


def test_a_changed_blob_is_not_sent_and_the_failure_is_audited(world: World) -> None:
    mine = world.upload(files.pdf()).json
    [blob] = world.blobs()
    blob.write_bytes(files.pdf("tampered"))
    resp = world.client.get(mine["content_url"], headers=world.headers())
    assert resp.status_code == 409 and (resp.json or {})["code"] == "attachment.corrupt"
    assert b"tampered" not in resp.data
    [row] = world.audit("attachment.download")
    assert row.outcome == "failure" and (row.detail or {})["error"] == "BlobCorrupt"
