"""信访材料 on the staff pages: the list on the petition page and its panel, the upload form (one or
more files, each stored or refused on its own), the receipt's form, and the audited page download."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.intake.attachments.models import Attachment
from shared.storage import LocalFolderStore
from tests.support import files
from tests.unit.portal.conftest import assert_no_inline_code, soup
from tests.unit.services.intake.conftest import ID, Browser, audit_rows, count, form_of, petition_id_of, register_by_form

PDF = files.pdf("huhang page upload")


@pytest.fixture
def store(intake_app: Flask, tmp_path: Path) -> LocalFolderStore:
    """The app's blob store: a folder in the test's tmp dir."""
    folder = LocalFolderStore(tmp_path / "blobs")
    intake_app.extensions["huhang"].extras["blob_store"] = folder
    return folder


def _blobs(store: LocalFolderStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []


def _upload(client: FlaskClient, petition_id: str, *items: tuple[bytes, str], token: str | None = None,
            from_page: str | None = None) -> Any:
    """POST the petition page's upload form with `items` (bytes, file name), as a browser sends it."""
    if token is None:
        token = form_of(client, from_page or f"/petitions/{petition_id}")["csrf_token"]
    data: dict[str, Any] = {"file": [(io.BytesIO(b), name) for b, name in items]}
    if token:
        data["csrf_token"] = token
    return client.post(f"/attachments/upload?petition_id={petition_id}", data=data, content_type="multipart/form-data")


def _rows(page: Any) -> list[Any]:
    return soup(page.data).select("table.attachment-list tbody tr")


def test_the_petition_page_lists_nothing_yet_and_offers_the_form_to_registering_roles(
    browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    for role, unit, offered in (("intake_clerk", None, True), ("triage_officer", None, False),
                                ("case_handler", "NY-JCY-KS", False)):
        html = soup(browser(role, unit).get(f"/petitions/{registered['id']}").data)
        section = html.find("section", class_="attachments")
        assert section is not None and "尚未上传信访材料" in section.get_text()
        form = section.find("form", attrs={"action": f"/attachments/upload?petition_id={registered['id']}"})
        assert (form is not None) == offered, role
        if form is not None:
            assert form["enctype"] == "multipart/form-data" and form["method"] == "post"
            field = form.find("input", attrs={"type": "file"})
            assert field["name"] == "file" and field.has_attr("multiple") and field.has_attr("required")
            assert form.find("input", attrs={"name": "csrf_token"})


def test_an_upload_is_listed_with_type_size_hash_and_who_and_is_audited(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    clerk = browser("intake_clerk")
    resp = _upload(clerk, registered["id"], (PDF, "起诉材料.pdf"), (files.png(), "现场照片.png"))
    assert resp.status_code == 303, resp.data[:2000]
    assert resp.headers["Location"].startswith(f"/petitions/{registered['id']}?uploaded=")
    page = clerk.get(resp.headers["Location"])
    assert page.status_code == 200
    assert_no_inline_code(page.get_data(as_text=True))
    confirmation = soup(page.data).find(class_="upload-confirmation")
    assert confirmation is not None and "已上传 2 份材料：起诉材料.pdf、现场照片.png" in confirmation.get_text()
    rows = _rows(page)
    assert [r.find(class_="attachment-list__name").get_text() for r in rows] == ["起诉材料.pdf", "现场照片.png"]
    cells = [td.get_text(" ", strip=True) for td in rows[0].find_all("td")]
    digest = hashlib.sha256(PDF).hexdigest()
    assert cells[1] == "PDF" and cells[2] == f"{len(PDF) / 1024:.1f} KB"
    assert rows[0].find("code")["title"] == digest and digest[:12] in cells[3]
    assert rows[0].find("code", class_="hash__full").get_text() == digest
    assert cells[4] == "t-intake_clerk" and "年" in cells[5] and "星期" in cells[5]
    assert _rows(page)[1].find_all("td")[1].get_text() == "PNG 图片"
    link = rows[0].find("a", attrs={"download": True})
    assert link["href"].startswith("/attachments/")
    # Two files, two uploads: each audited as the API's upload is.
    uploads = audit_rows(intake_app, "attachment.upload")
    assert [(u.outcome, u.actor, u.detail["kind"]) for u in uploads] == [
        ("success", "t-intake_clerk", "pdf"), ("success", "t-intake_clerk", "png")]
    assert count(intake_app, Attachment) == 2 and len(_blobs(store)) == 2
    # Every case role sees the list (the panel too), masked as the rest of the page.
    panel = browser("triage_officer").get(f"/petitions/{registered['id']}/panel", headers={"X-Huhang-Fragment": "1"})
    assert len(_rows(panel)) == 2 and soup(panel.data).find("h3", id="attachments-title")
    assert soup(panel.data).find("form", attrs={"enctype": "multipart/form-data"}) is None


def test_a_file_name_with_a_personal_number_is_shown_masked(
    browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    clerk = browser("intake_clerk")
    assert _upload(clerk, registered["id"], (PDF, f"身份证{ID}.pdf")).status_code == 303
    text = clerk.get(f"/petitions/{registered['id']}").get_data(as_text=True)
    assert ID not in text and "身份证4113**********1236.pdf" in text


def test_the_same_file_again_is_confirmed_as_already_there(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    clerk = browser("intake_clerk")
    assert _upload(clerk, registered["id"], (PDF, "a.pdf")).status_code == 303
    again = _upload(clerk, registered["id"], (PDF, "b.pdf"))
    assert again.status_code == 303 and "existing=" in again.headers["Location"]
    confirmation = soup(clerk.get(again.headers["Location"]).data).find(class_="upload-confirmation")
    assert "与已有材料相同、未重复保存：a.pdf" in confirmation.get_text()
    assert count(intake_app, Attachment) == 1


def test_a_forged_confirmation_shows_nothing(browser: Browser, registered: dict[str, Any], store: LocalFolderStore) -> None:
    page = browser("intake_clerk").get(f"/petitions/{registered['id']}?uploaded=<script>,x")
    assert page.status_code == 200 and soup(page.data).find(class_="upload-confirmation") is None


@pytest.mark.parametrize("data", [files.exe(), files.plain_zip()], ids=["exe", "zip"])
def test_a_refused_type_shows_its_chinese_message_beside_the_field_and_stores_nothing(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore, data: bytes,
) -> None:
    resp = _upload(browser("intake_clerk"), registered["id"], (data, "证据.pdf"))
    assert resp.status_code == 422
    html = soup(resp.data)
    error = html.find(id="attachment-files-error")
    assert error is not None and "证据.pdf：仅接受 PDF、OFD、JPEG、PNG、DOCX 格式的材料" in error.get_text()
    field = html.find("input", id="attachment-files")
    assert field["aria-invalid"] == "true" and "attachment-files-error" in field["aria-describedby"]
    assert html.find("details", class_="upload").has_attr("open")
    assert count(intake_app, Attachment) == 0 and _blobs(store) == []
    assert audit_rows(intake_app, "attachment.upload") == []


def test_each_file_is_stored_or_refused_on_its_own(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    resp = _upload(browser("intake_clerk"), registered["id"], (PDF, "好的.pdf"), (files.exe(), "坏的.exe"))
    assert resp.status_code == 422
    html = soup(resp.data)
    results = [li.get_text(" ", strip=True) for li in html.select("ul.upload-results li")]
    assert results[0].startswith("好的.pdf ：已保存") and results[1].startswith("坏的.exe ：未保存")
    assert [r.find(class_="attachment-list__name").get_text() for r in _rows(resp)] == ["好的.pdf"]
    assert count(intake_app, Attachment) == 1 and len(_blobs(store)) == 1


def test_a_file_over_the_limit_is_413_in_chinese(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    from services.intake.config import IntakeSettings

    intake_app.extensions["huhang"].extras["intake_settings"] = IntakeSettings(attachment_max_bytes=1024)
    resp = _upload(browser("intake_clerk"), registered["id"], (PDF + b"\n" * 2048, "大文件.pdf"))
    assert resp.status_code == 413
    error = soup(resp.data).find(id="attachment-files-error").get_text()
    assert "大文件.pdf：材料文件超过大小上限（每个文件不超过 1.0 KB）" in error
    assert count(intake_app, Attachment) == 0 and _blobs(store) == []


def test_a_body_over_the_door_limit_is_not_read_and_answers_413(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    from shared.routing import UPLOAD_BODY_BYTES

    clerk = browser("intake_clerk")
    # Sent straight to intake (the door would refuse it first): refused by its length, unread.
    resp = _upload(clerk, registered["id"], (b"\0" * (UPLOAD_BODY_BYTES + 1), "a.pdf"))
    assert resp.status_code == 413
    error = soup(resp.data).find(id="attachment-files-error").get_text()
    assert "提交的文件合计超过 21 MB，未保存任何文件" in error
    assert count(intake_app, Attachment) == 0 and _blobs(store) == []


def test_without_the_csrf_token_nothing_is_stored(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    clerk = browser("intake_clerk")
    clerk.get(f"/petitions/{registered['id']}")  # the browser has its CSRF cookie
    resp = _upload(clerk, registered["id"], (PDF, "a.pdf"), token="")
    assert resp.status_code == 400 and "表单已失效" in resp.get_data(as_text=True)
    forged = _upload(clerk, registered["id"], (PDF, "a.pdf"), token="forged.token")
    assert forged.status_code == 400
    assert count(intake_app, Attachment) == 0 and _blobs(store) == []


@pytest.mark.parametrize("role", ["triage_officer", "case_handler", "unit_leader", "task_force", "auditor"])
def test_roles_that_do_not_register_get_403_before_the_body_is_read(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore, role: str,
) -> None:
    clerk = browser("intake_clerk")
    token = form_of(clerk, f"/petitions/{registered['id']}")["csrf_token"]
    other = browser(role)
    other.set_cookie("__Host-huhang_csrf", token)
    resp = _upload(other, registered["id"], (PDF, "a.pdf"), token=token)
    assert resp.status_code == 403
    assert count(intake_app, Attachment) == 0


def test_another_units_petition_is_404(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    own = browser("intake_clerk")
    token = form_of(own, f"/petitions/{registered['id']}")["csrf_token"]
    other = browser("intake_clerk", "NY-JCY-WC")
    other.set_cookie("__Host-huhang_csrf", token)
    resp = _upload(other, registered["id"], (PDF, "a.pdf"), token=token)
    assert resp.status_code == 404 and registered["case_number"] not in resp.get_data(as_text=True)
    assert count(intake_app, Attachment) == 0 and _blobs(store) == []
    assert _upload(own, "x" * 37, (PDF, "a.pdf"), token=token).status_code == 404


def test_the_page_download_sends_the_file_and_is_audited(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], store: LocalFolderStore,
) -> None:
    clerk = browser("intake_clerk")
    page = clerk.get(_upload(clerk, registered["id"], (PDF, "起诉材料.pdf")).headers["Location"])
    href = _rows(page)[0].find("a", attrs={"download": True})["href"]
    handler = browser("case_handler", "NY-JCY-KS")
    resp = handler.get(href)
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.headers["Content-Type"] == "application/pdf" and resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''%E8%B5%B7%E8%AF%89%E6%9D%90%E6%96%99.pdf" in resp.headers["Content-Disposition"]
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    (row,) = audit_rows(intake_app, "attachment.download")
    assert (row.outcome, row.actor, row.subject_id) == ("success", "t-case_handler", href.rsplit("/", 1)[1])
    # Another unit: the 404 page, and the attempt audited as denied.
    refused = browser("case_handler", "NY-JCY-WC").get(href)
    assert refused.status_code == 404 and refused.mimetype == "text/html"
    assert [r.outcome for r in audit_rows(intake_app, "attachment.download")] == ["success", "denied"]
    # No session: to sign in, and back here afterwards.
    anonymous = browser(None).get(href)
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/signin?next=%2Fattachments%2F")
    assert browser("auditor").get(href).status_code == 403


def test_the_receipt_after_registration_offers_the_upload_in_a_new_tab(
    browser: Browser, store: LocalFolderStore,
) -> None:
    clerk = browser("intake_clerk")
    answer = register_by_form(clerk)
    petition_id = petition_id_of(answer)
    form = soup(answer.data).find("form", attrs={"action": f"/attachments/upload?petition_id={petition_id}"})
    assert form is not None and form["target"] == "_blank", "the receipt with the code stays open"
    token = str(form.find("input", attrs={"name": "csrf_token"})["value"])
    resp = _upload(clerk, petition_id, (PDF, "来访材料.pdf"), token=token)
    assert resp.status_code == 303 and resp.headers["Location"].startswith(f"/petitions/{petition_id}?uploaded=")
    # The reprint (no code on it) keeps the form, in the same tab.
    reprint = soup(clerk.get(f"/petitions/{petition_id}/receipt").data)
    again = reprint.find("form", attrs={"action": f"/attachments/upload?petition_id={petition_id}"})
    assert again is not None and not again.has_attr("target")
