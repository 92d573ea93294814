"""Domain errors and the one JSON error shape every service answers with.

Domain code raises `DomainError` subclasses that say what *kind* of refusal they are
(`ErrorKind`) and know nothing of HTTP; the web layer (`shared/web/errors.py`) maps each kind to a
status and answers `{"code", "status", "message": {"zh", "en"}, "errors"}`.  A CLI or a consumer
maps the same kinds its own way (an exit code, a dead letter).
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar


class ErrorKind(str, Enum):
    """What kind of refusal an error is; the web layer owns the status each maps to."""

    INVALID = "invalid"  # the request breaks a rule (422)
    NOT_FOUND = "not_found"  # no such record, or one the caller may not see (404)
    CONFLICT = "conflict"  # clashes with what is stored (409)
    UNAUTHENTICATED = "unauthenticated"  # who is asking is not established (401)
    FORBIDDEN = "forbidden"  # established, but not allowed (403)
    TOO_MANY = "too_many"  # a rate or attempt limit (429)
    TOO_LARGE = "too_large"  # more bytes than a limit allows (413)


class DomainError(Exception):
    """A rule of the domain refused the request.

    `keeps_writes`: what the function wrote before raising is the record of the refusal (a failed
    sign-in's counter and audit row) and is committed by the caller's unit of work
    (`shared.db.transaction`); otherwise the caller rolls back.
    """

    kind: ClassVar[ErrorKind] = ErrorKind.INVALID
    keeps_writes: ClassVar[bool] = False
    code = "domain_error"
    message_zh = "请求不符合业务规则"
    message_en = "The request breaks a business rule"
    # The request field the refusal is about, if one (the 422 body's problems name it).
    field: str | None = None

    def __init__(self, message_en: str | None = None, message_zh: str | None = None, **details: Any) -> None:
        super().__init__(message_en or self.message_en)
        if message_en:
            self.message_en = message_en
        if message_zh:
            self.message_zh = message_zh
        self.details = details


class NotFound(DomainError):
    kind = ErrorKind.NOT_FOUND
    code = "not_found"
    message_zh = "未找到该记录"
    message_en = "No such record"


class Conflict(DomainError):
    kind = ErrorKind.CONFLICT
    code = "conflict"
    message_zh = "与已有记录冲突"
    message_en = "Conflicts with an existing record"


class Unauthenticated(DomainError):
    kind = ErrorKind.UNAUTHENTICATED
    code = "unauthenticated"
    message_zh = "未登录或令牌无效"
    message_en = "Sign-in required or token invalid"


class Forbidden(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "forbidden"
    message_zh = "无权进行此操作"
    message_en = "You may not do this"


def error_body(
    status: int, code: str, message_en: str, message_zh: str, errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "status": status, "message": {"zh": message_zh, "en": message_en}}
    if errors:
        body["errors"] = errors
    return body
