"""The SMS channel's Alibaba Cloud adapter against a local HTTP server that checks the request's
signature as dysmsapi does (written here independently of the adapter) and plays its answers:
OK, throttling, a bad number, a server error, a replayed nonce, a wrong signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from services.notify.channels.base import OutgoingMessage, PermanentSendError, Throttled, TransientSendError
from services.notify.channels.sms import AliyunSms, SmsChannel, segments
from services.notify.deliveries.notices import PHONE_PURPOSE
from shared.pii import encrypt

KEY_ID, SECRET = "LTAI-test-key", "test-secret-of-the-account"


@dataclass
class Gateway:
    url: str
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    received: list[dict[str, str]] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)


def _expected_signature(params: dict[str, str]) -> str:
    # As the provider's documentation states it: sorted, RFC 3986-encoded pairs; POST&%2F&<encoded>.
    enc = lambda s: urllib.parse.quote(s, safe="~")  # noqa: E731 - '-', '_', '.' are never quoted by quote()
    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted((k, v) for k, v in params.items() if k != "Signature"))
    string_to_sign = "POST&%2F&" + enc(query)
    return base64.b64encode(hmac.new((SECRET + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 - the http.server hook's name
            length = int(self.headers["Content-Length"])
            params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            state.received.append(params)
            if params.get("AccessKeyId") != KEY_ID:
                status, body = 404, {"Code": "InvalidAccessKeyId.NotFound"}
            elif params.get("Signature") != _expected_signature(params):
                status, body = 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
            elif params["SignatureNonce"] in state.nonces:
                status, body = 400, {"Code": "SignatureNonceUsed"}
            elif state.script:
                status, body = state.script.pop(0)
            else:
                status, body = 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(state.received)}",
                                     "RequestId": "req-1"}
            state.nonces.add(params["SignatureNonce"])
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _channel(gateway: Gateway, secret: str = SECRET) -> SmsChannel:
    return SmsChannel(AliyunSms(endpoint=gateway.url, access_key_id=KEY_ID, access_key_secret=secret,
                                sign_name="南阳市人民检察院", template_code="SMS_000001", timeout_s=5))


def _message(body: str = "【依法告知】宛检捕审〔2026〕3号 羁押必要性审查已有结果，书面通知已发至您的邮箱。", **kw: Any
             ) -> OutgoingMessage:
    values: dict[str, Any] = {"delivery_id": "d-1", "channel": "sms", "recipient": "张* <138****5678>",
                              "title": "t", "body": body, "template": "public_notice.requested",
                              "idempotency_key": "d-1", "contact_enc": encrypt("13812345678", purpose=PHONE_PURPOSE)}
    values.update(kw)
    return OutgoingMessage(**values)


def test_a_signed_send_is_accepted_with_the_number_the_text_and_the_delivery_id(gateway: Gateway) -> None:
    result = _channel(gateway).send(_message())
    assert result.provider_id == "biz-1"
    [params] = gateway.received
    assert params["PhoneNumbers"] == "13812345678" and params["OutId"] == "d-1"
    assert json.loads(params["TemplateParam"])["content"].startswith("【依法告知】宛检捕审")
    assert params["SignName"] == "南阳市人民检察院" and params["Action"] == "SendSms"


def test_a_wrong_secret_is_refused_by_the_signature_check(gateway: Gateway) -> None:
    with pytest.raises(TransientSendError, match="SignatureDoesNotMatch"):
        _channel(gateway, secret="not-the-secret").send(_message())


def test_throttling_slows_the_channel_and_a_bad_number_fails(gateway: Gateway) -> None:
    gateway.script.extend([
        (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"}),
        (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}),
        (500, {"Code": "isp.SYSTEM_ERROR", "Message": "系统错误"}),
    ])
    with pytest.raises(Throttled) as throttled:
        _channel(gateway).send(_message())
    assert throttled.value.retry_after_s > 0
    with pytest.raises(PermanentSendError, match="MOBILE_NUMBER_ILLEGAL"):
        _channel(gateway).send(_message())
    with pytest.raises(TransientSendError, match="SYSTEM_ERROR") as transient:
        _channel(gateway).send(_message())
    assert not isinstance(transient.value, (PermanentSendError, Throttled))
    # Every request carried a fresh nonce (the gateway refuses a replayed one).
    assert len({p["SignatureNonce"] for p in gateway.received}) == 3


def test_a_text_longer_than_two_segments_or_a_bad_contact_is_never_sent(gateway: Gateway) -> None:
    assert segments("字" * 70) == 1 and segments("字" * 71) == 2 and segments("字" * 141) == 3
    with pytest.raises(PermanentSendError, match="segments"):
        _channel(gateway).send(_message(body="字" * 141))
    with pytest.raises(PermanentSendError, match="decrypt"):
        _channel(gateway).send(_message(contact_enc=encrypt("13812345678", purpose="public_notice.email")))
    with pytest.raises(PermanentSendError, match="mobile"):
        _channel(gateway).send(_message(contact_enc=encrypt("010-12345678", purpose=PHONE_PURPOSE)))
    assert gateway.received == []
