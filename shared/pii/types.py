"""`EncryptedString`: a column that holds ciphertext in the database and plaintext in Python."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from shared.pii.crypto import decrypt, encrypt


class EncryptedString(TypeDecorator[str]):
    """AES-GCM at rest (see shared/pii/crypto.py); `purpose` binds the ciphertext to its column.

    Such a column cannot be searched or compared in SQL: pair it with a blind-index column.
    """

    impl = String
    cache_ok = True

    def __init__(self, length: int = 255, *, purpose: str) -> None:
        super().__init__(length)
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encrypt(value, purpose=self.purpose)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt(value, purpose=self.purpose)
