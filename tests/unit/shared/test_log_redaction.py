"""No plaintext ID number, phone number, password or token reaches a log line."""

from __future__ import annotations

import io
import json
import logging

import pytest

from shared.logs import JsonFormatter, PersonalDataFilter, redact


@pytest.fixture
def capture() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("test"))
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("test.redaction")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_numbers_in_message_and_args_are_masked(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.info("registered %s with phone %s", "411302199001011236", "13800138000")
    logger.warning("petitioner 41130219900101121X called from 13912345678")
    lines = [json.loads(line)["msg"] for line in stream.getvalue().splitlines()]
    assert lines == [
        "registered 4113**********1236 with phone 138****8000",
        "petitioner 4113**********121X called from 139****5678",
    ]


def test_exception_text_is_masked(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        raise ValueError("bad row 411302199001011236")
    except ValueError:
        logger.exception("failed")
    body = json.loads(stream.getvalue())
    assert "411302199001011236" not in stream.getvalue()
    assert "4113**********1236" in body["exc"]


@pytest.mark.parametrize(
    "secret_line",
    [
        "sign-in password=hunter2&user=x",
        'payload {"password": "hunter2"}',
        "Authorization: Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln",
        "token=abc123def",
        "otp: 123456",
    ],
)
def test_secrets_are_replaced(secret_line: str) -> None:
    out = redact(secret_line)
    for secret in ("hunter2", "eyJhbGciOiJFZERTQSJ9", "abc123def", "123456"):
        assert secret not in out
    assert "***" in out


def test_configure_installs_the_filter() -> None:
    from shared import logs

    logs.configure("unit-test")
    try:
        handlers = [h for h in logging.getLogger().handlers if getattr(h, "_huhang", False)]
        assert handlers and any(isinstance(f, PersonalDataFilter) for f in handlers[0].filters)
    finally:
        for h in handlers:
            logging.getLogger().removeHandler(h)
