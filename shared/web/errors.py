"""One handler turns every HTTP and domain error into the shared JSON error shape.

`status_body(status)` renders the same shape for a bare status, for answers that no service
gives: the front door's own 413 and 502/503/504 (deploy/local/nginx_conf.py writes them as files).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from shared import validation
from shared.errors import DomainError, ErrorKind, error_body

log = logging.getLogger(__name__)

# Chinese and English text for the statuses the services answer with.
_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Bad request", "请求格式错误"),
    401: ("unauthenticated", "Sign-in required or token invalid", "未登录或令牌无效"),
    403: ("forbidden", "You may not do this", "无权进行此操作"),
    404: ("not_found", "No such record", "未找到该记录"),
    405: ("method_not_allowed", "Method not allowed", "不支持该请求方法"),
    409: ("conflict", "Conflicts with an existing record", "与已有记录冲突"),
    413: ("payload_too_large", "Request body too large", "请求内容过大"),
    415: ("unsupported_media_type", "Send application/json", "请使用 application/json 格式"),
    422: ("validation_failed", "The request failed validation", "请求数据校验未通过"),
    429: ("too_many_requests", "Too many requests", "请求过于频繁"),
    502: ("bad_gateway", "The service behind the front door did not answer", "后端服务无响应"),
    503: ("unavailable", "Service temporarily unavailable", "服务暂不可用"),
    504: ("gateway_timeout", "The service behind the front door answered too slowly", "后端服务响应超时"),
}


# The one place a kind of domain refusal becomes an HTTP status.
STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.INVALID: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.TOO_LARGE: 413,
}


def status_body(status: int) -> dict[str, Any]:
    """The platform's error body for `status` alone (code, status, Chinese and English message)."""
    try:
        code, en, zh = _MESSAGES[status]
    except KeyError:
        raise ValueError(f"no message for status {status}; add it to _MESSAGES") from None
    return error_body(status, code, en, zh)


def _respond(status: int, code: str, en: str, zh: str, errors: Any = None,
             problems: list[dict[str, Any]] | None = None) -> tuple[Response, int]:
    # A page (shared/web/pages) answers its errors as a page or a redirect; the API as JSON.
    as_page = current_app.extensions.get("huhang_error_page")
    if as_page is not None:
        page = as_page(status, code, en, zh, errors)
        if page is not None:
            return page, page.status_code
    body = error_body(status, code, en, zh, errors)
    if problems:
        body["problems"] = problems
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        code, en, zh = _MESSAGES.get(status, ("error", exc.name, "请求出错"))
        errors = None
        data = getattr(exc, "data", None)  # webargs puts field messages here
        if isinstance(data, dict) and "messages" in data:
            errors = data["messages"]
            # flask-smorest nests by location ("json", "query"); the body is what clients send.
            if isinstance(errors, dict) and set(errors) == {"json"}:
                errors = errors["json"]
        if status == 400 and errors is not None or status == 422:
            # Unparseable JSON and schema failures both answer 422 with field-level messages.
            status, code, en, zh = 422, "validation_failed", _MESSAGES[422][1], _MESSAGES[422][2]
            if "Invalid JSON body." in str(errors):
                code, en, zh = "invalid_json", "The body is not valid JSON", "请求体不是有效的 JSON"
                errors = {"_body": ["Invalid JSON body."]}
        problems = None
        if status == 422 and errors is not None:
            problems = validation.flatten(errors)
            errors = validation.as_text(errors)
        custom = getattr(exc, "huhang", None)
        if isinstance(custom, dict):
            code = custom.get("code", code)
            en = custom.get("en", en)
            zh = custom.get("zh", zh)
        return _respond(status, code, en, zh, errors, problems=problems)

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> tuple[Response, int]:
        status = STATUS_OF_KIND[exc.kind]
        # A refusal about one field (received_at in the future) names it, as a schema's would.
        problems = ([{"field": exc.field, "code": exc.code, "message": {"zh": exc.message_zh, "en": exc.message_en}}]
                    if exc.field else None)
        response, status = _respond(status, exc.code, exc.message_en, exc.message_zh, exc.details or None,
                                    problems=problems)
        retry_after = getattr(exc, "retry_after_s", None)
        if isinstance(retry_after, int) and status == 429:  # a rate limit says when to come back
            response.headers["Retry-After"] = str(retry_after)
        return response, status

    @app.errorhandler(RecursionError)
    def _too_deep(exc: RecursionError) -> tuple[Response, int]:
        # The JSON decoders (Flask's, webargs') recurse per nesting level: a body of a few thousand
        # brackets exhausts the stack before any schema runs.  That is the client's input, so a 422
        # like any other unparseable body; nothing has been read, so nothing has been written.  A
        # recursion without a JSON body is a bug of ours and stays a 500.
        if not request.is_json:
            raise exc
        code, en, zh = "json_too_deep", "The JSON body is nested too deeply", "请求体 JSON 嵌套层数过多"
        return _respond(422, code, en, zh, {"_body": [en]},
                        problems=[{"field": "_body", "code": code, "message": {"zh": zh, "en": en}}])

    @app.errorhandler(OperationalError)
    def _db_down(exc: OperationalError) -> tuple[Response, int]:
        # A database outage is a 503 the client may retry, never a 500 with a stack trace.
        log.error("database unavailable: %s", exc.orig)
        code, en, zh = _MESSAGES[503]
        return _respond(503, code, en, zh)
