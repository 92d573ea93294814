"""Domain errors and the one JSON error shape every service answers with.

Domain code raises `DomainError` subclasses that know nothing of HTTP; the web layer maps them to
`{"code", "status", "message": {"zh", "en"}, "errors"}`.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the request."""

    status = 422
    code = "domain_error"
    message_zh = "请求不符合业务规则"
    message_en = "The request breaks a business rule"

    def __init__(self, message_en: str | None = None, message_zh: str | None = None, **details: Any) -> None:
        super().__init__(message_en or self.message_en)
        if message_en:
            self.message_en = message_en
        if message_zh:
            self.message_zh = message_zh
        self.details = details


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message_zh = "未找到该记录"
    message_en = "No such record"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message_zh = "与已有记录冲突"
    message_en = "Conflicts with an existing record"


def error_body(
    status: int, code: str, message_en: str, message_zh: str, errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "status": status, "message": {"zh": message_zh, "en": message_en}}
    if errors:
        body["errors"] = errors
    return body
