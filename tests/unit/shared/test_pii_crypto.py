"""Encryption at rest, key rotation, the blind index, key loading, and masking of free text."""

from __future__ import annotations

import base64
import os
import stat

import pytest

from shared import keyring
from shared.pii import DecryptionFailed, blind_index, decrypt, encrypt, mask_text
from shared.pii.crypto import key_id_of

ID = "411302199001011236"
OTHER_KEY = base64.b64encode(b"k" * 32).decode()


def test_round_trip_and_fresh_nonce() -> None:
    a, b = encrypt(ID, purpose="petition.id_number"), encrypt(ID, purpose="petition.id_number")
    assert a != b  # random nonce: equal numbers are not visible as equal ciphertexts
    assert a.startswith("v1:") and ID not in a
    assert decrypt(a, purpose="petition.id_number") == decrypt(b, purpose="petition.id_number") == ID


def test_ciphertext_is_bound_to_its_purpose() -> None:
    token = encrypt(ID, purpose="petition.id_number")
    with pytest.raises(DecryptionFailed):
        decrypt(token, purpose="petition.phone")


def test_wrong_key_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    token = encrypt(ID, purpose="p")
    monkeypatch.setenv("HUHANG_PII_KEY", OTHER_KEY)
    keyring.reset()
    with pytest.raises(DecryptionFailed):
        decrypt(token, purpose="p")


def test_tampered_ciphertext_fails() -> None:
    token = encrypt(ID, purpose="p")
    raw = bytearray(base64.b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(DecryptionFailed):
        decrypt("v1:" + base64.b64encode(bytes(raw)).decode(), purpose="p")
    with pytest.raises(DecryptionFailed):
        decrypt("no-prefix", purpose="p")


def test_rotation_new_key_writes_new_prefix_old_values_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    old_key = os.environ["HUHANG_PII_KEY"]
    old = encrypt(ID, purpose="p")
    monkeypatch.setenv("HUHANG_PII_KEY", OTHER_KEY)
    monkeypatch.setenv("HUHANG_PII_KEY_ID", "v2")
    monkeypatch.setenv("HUHANG_PII_RETIRED_KEYS", f"v1:{old_key}")
    keyring.reset()
    new = encrypt(ID, purpose="p")
    assert key_id_of(new) == "v2" and key_id_of(old) == "v1"
    assert decrypt(old, purpose="p") == decrypt(new, purpose="p") == ID
    monkeypatch.delenv("HUHANG_PII_RETIRED_KEYS")
    keyring.reset()
    with pytest.raises(keyring.KeyringError, match="v1"):
        decrypt(old, purpose="p")


def test_blind_index_is_stable_normalised_and_keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    first = blind_index("41130219900101121x", kind="id_number")
    assert first == blind_index(" 41130219900101121X ", kind="id_number")
    assert len(first) == 64 and "411302" not in first
    assert blind_index(ID, kind="id_number") != blind_index(ID, kind="phone")  # kinds are kept apart
    monkeypatch.setenv("HUHANG_PII_INDEX_KEY", OTHER_KEY)
    keyring.reset()
    assert blind_index("41130219900101121X", kind="id_number") != first


def test_index_key_is_not_the_encryption_key() -> None:
    assert keyring.keyring("pii").current != keyring.keyring("pii_index").current


def test_production_refuses_to_start_without_explicit_keys(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUHANG_ENV", "production")
    monkeypatch.setenv("HUHANG_VAR", str(tmp_path))
    monkeypatch.delenv("HUHANG_PII_KEY")
    keyring.reset()
    with pytest.raises(keyring.KeyringError, match="HUHANG_PII_KEY"):
        keyring.check_configured()
    assert not (tmp_path / "keys").exists()  # nothing generated in production


def test_production_accepts_a_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUHANG_ENV", "production")
    monkeypatch.delenv("HUHANG_PII_KEY")
    path = tmp_path / "pii.key"
    path.write_text(OTHER_KEY + "\n")
    monkeypatch.setenv("HUHANG_PII_KEY_FILE", str(path))
    keyring.reset()
    keyring.check_configured()
    assert keyring.keyring("pii").current == b"k" * 32


def test_development_generates_one_private_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUHANG_VAR", str(tmp_path))
    monkeypatch.delenv("HUHANG_AUDIT_KEY")
    keyring.reset()
    first = keyring.keyring("audit").current
    keyring.reset()
    assert keyring.keyring("audit").current == first  # reused, not regenerated
    path = tmp_path / "keys" / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_malformed_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_PII_KEY", base64.b64encode(b"short").decode())
    keyring.reset()
    with pytest.raises(keyring.KeyringError, match="32 bytes"):
        encrypt(ID, purpose="p")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证 411302199001011236 已登记", "身份证 4113**********1236 已登记"),
        ("id=41130219900101121X;", "id=4113**********121X;"),
        ("tel 13800138000, +86 13912345678", "tel 138****8000, 139****5678"),
        ("trace a13800138000b and uuid 9f1c13800138000", "trace a13800138000b and uuid 9f1c13800138000"),
        ("case 12309-2026-000001", "case 12309-2026-000001"),
        ("case 宛检12309〔2026〕123456号", "case 宛检12309〔2026〕123456号"),
    ],
)
def test_mask_text(text: str, expected: str) -> None:
    assert mask_text(text) == expected
