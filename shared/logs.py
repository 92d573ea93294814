"""JSON logs that carry the trace_id from the HTTP request through every event it causes."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timezone

from shared.pii.masking import mask_text

_trace_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("trace_id", default=None)


def current_trace_id() -> str | None:
    return _trace_id.get()


def set_trace_id(value: str | None) -> contextvars.Token[str | None]:
    return _trace_id.set(value)


@contextlib.contextmanager
def trace(value: str | None) -> Iterator[None]:
    """Run a block (one consumed event, one request) under a trace_id."""
    token = _trace_id.set(value)
    try:
        yield
    finally:
        _trace_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; CR/LF in messages cannot forge a log line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
            "trace_id": getattr(record, "trace_id", None) or _trace_id.get(),
        }
        for key in ("event_id", "event_type", "topic", "partition", "offset", "status", "path"):
            if hasattr(record, key):
                body[key] = getattr(record, key)
        if record.exc_info:
            body["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(body, ensure_ascii=False, default=str)


# Secrets by name (`password=...`, `"token": "..."`) and bearer tokens / JWTs anywhere in a message.
_SECRET_FIELD = re.compile(
    r"""(?i)\b(password|passwd|pwd|secret|token|access_token|refresh_token|otp|totp|api_key|query_code)(["']?\s*[:=]\s*["']?)([^"'\s,&;}]+)"""
)
_BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def redact(text: str) -> str:
    """A log message with ID-card and mobile numbers masked and secrets replaced by ***."""
    text = _SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _BEARER.sub("Bearer ***", text)
    text = _JWT.sub("***", text)
    return mask_text(text)


class PersonalDataFilter(logging.Filter):
    """Masks personal numbers and secrets in every record before any handler formats it.

    The message is rendered once here (with its args) so a number passed as an argument is
    masked too; the exception text is left alone (it is code, not data) except by the formatter.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def configure(service: str, level: str = "INFO") -> None:
    """Send the root logger to stderr as JSON (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_huhang", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(PersonalDataFilter())
    handler._huhang = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # kafka-python is chatty at INFO about every connection.
    logging.getLogger("kafka").setLevel(logging.WARNING)
