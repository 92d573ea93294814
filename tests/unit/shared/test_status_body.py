"""`status_body`: the platform's error shape for the statuses the front door answers itself."""

from __future__ import annotations

import pytest

from shared.web.errors import status_body


@pytest.mark.parametrize("status", [413, 502, 503, 504])
def test_the_door_statuses_have_the_platform_shape(status: int) -> None:
    body = status_body(status)
    assert set(body) == {"code", "status", "message"} and body["status"] == status
    assert body["code"].isidentifier() and body["code"].islower()
    zh, en = body["message"]["zh"], body["message"]["en"]
    assert en.isascii() and any("\u4e00" <= c <= "\u9fff" for c in zh)


def test_413_is_the_one_a_service_answers_too() -> None:
    assert status_body(413)["code"] == "payload_too_large"


def test_an_unknown_status_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="no message for status 418"):
        status_body(418)
