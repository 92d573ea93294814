"""短信 the SMS channel: a provider adapter behind `SmsProvider`; Alibaba Cloud SMS (dysmsapi) implemented.

`SmsChannel` decrypts the mobile number at send time (like the email channel), checks the text's
length (at most 2 segments of 70 characters: a longer notice is a template bug, failed permanently
rather than sent cut), and hands it to the provider, which maps the provider's answers onto the
channel contract: accepted → `SendResult`; throttled → `Throttled` (the channel pauses, nothing is
counted); a bad number or a refused template → `PermanentSendError`; anything else → transient.

Alibaba Cloud SMS (`SendSms`, API version 2017-05-25, RPC style): the request's parameters are
signed with HMAC-SHA1 under `AccessKeySecret + "&"` over
`POST&%2F&<percent-encoded canonical query>` (parameters sorted by name, each name and value
percent-encoded per RFC 3986 with `~` kept, space as `%20`); the signature travels as `Signature`.
The text is the approved template `TemplateCode` with one parameter, `content`; `OutId` is the
delivery id (the provider echoes it in its receipts: the same on every attempt).
"""

from __future__ import annotations

import abc
import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote

import requests

from services.notify.channels.base import (
    Channel,
    OutgoingMessage,
    PermanentSendError,
    SendResult,
    Throttled,
    TransientSendError,
)
from services.notify.config import NotifySettings
from services.notify.deliveries.notices import PHONE_PURPOSE
from shared.keyring import KeyringError
from shared.pii import DecryptionFailed, decrypt, is_valid_mobile

SMS = "sms"
SEGMENT_CHARS = 70
MAX_SEGMENTS = 2


class SmsProvider(abc.ABC):
    """One SMS gateway: send one text to one mobile number, raising the channel contract's errors."""

    @abc.abstractmethod
    def send(self, *, mobile: str, text: str, idempotency_key: str) -> SendResult: ...


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding as Alibaba Cloud signs it (unreserved: A-Z a-z 0-9 - _ . ~)."""
    return quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """The `Signature` of an Alibaba Cloud RPC request (signature version 1.0, HMAC-SHA1)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


# Answers of SendSms (its `Code`) that say "slow down" and "this message can never go".
_THROTTLED = {"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling"}
_PERMANENT = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
              "isv.TEMPLATE_MISSING_PARAMETERS", "isv.PARAM_LENGTH_LIMIT", "isv.BLACK_KEY_CONTROL_LIMIT",
              "isv.DENY_IP_RANGE"}


@dataclass(frozen=True)
class AliyunSms(SmsProvider):
    endpoint: str
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_code: str
    timeout_s: float = 10.0
    # Seconds to pause the channel on a throttling answer (the API gives no Retry-After).
    throttle_pause_s: float = 60.0

    def params(self, *, mobile: str, text: str, idempotency_key: str, now: datetime | None = None,
               nonce: str | None = None) -> dict[str, str]:
        now = now or datetime.now(timezone.utc)
        params = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0", "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            "PhoneNumbers": mobile, "SignName": self.sign_name, "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"content": text}, ensure_ascii=False), "OutId": idempotency_key,
        }
        params["Signature"] = aliyun_signature(params, self.access_key_secret)
        return params

    def send(self, *, mobile: str, text: str, idempotency_key: str) -> SendResult:
        try:
            answer = requests.post(self.endpoint, data=self.params(mobile=mobile, text=text,
                                                                   idempotency_key=idempotency_key),
                                   timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise TransientSendError(f"SMS gateway: {exc!r}") from None
        try:
            body = answer.json()
        except ValueError:
            body = {}
        code = str(body.get("Code") or "")
        message = str(body.get("Message") or answer.reason)
        if answer.ok and code == "OK":
            return SendResult(provider_id=str(body.get("BizId") or ""), detail=str(body.get("RequestId") or ""))
        if code in _THROTTLED or answer.status_code == 429:
            raise Throttled(self.throttle_pause_s, f"SMS gateway throttled: {code} {message}")
        if code in _PERMANENT:
            raise PermanentSendError(f"SMS gateway refused: {code} {message}")
        raise TransientSendError(f"SMS gateway: HTTP {answer.status_code} {code} {message}")


def segments(text: str) -> int:
    """How many SMS segments `text` takes (70 characters each, as the provider counts a Chinese text)."""
    return max(1, -(-len(text) // SEGMENT_CHARS))


class SmsChannel(Channel):
    name = SMS

    def __init__(self, provider: SmsProvider) -> None:
        self.provider = provider

    def send(self, message: OutgoingMessage) -> SendResult:
        if not message.contact_enc:
            raise PermanentSendError("the delivery has no mobile number")
        try:
            mobile = decrypt(message.contact_enc, purpose=PHONE_PURPOSE)
        except (DecryptionFailed, KeyringError) as exc:
            raise PermanentSendError(f"the mobile number does not decrypt: {exc}") from None
        if not is_valid_mobile(mobile):
            raise PermanentSendError("not a mainland mobile number")
        if segments(message.body) > MAX_SEGMENTS:
            raise PermanentSendError(f"the text takes {segments(message.body)} segments (at most {MAX_SEGMENTS})")
        return self.provider.send(mobile=mobile, text=message.body, idempotency_key=message.idempotency_key)


def build_sms(settings: NotifySettings) -> SmsChannel:
    if settings.sms_provider != "aliyun":
        raise ValueError(f"no SMS provider {settings.sms_provider!r} (known: aliyun)")
    if not (settings.sms_access_key_id and settings.sms_access_key_secret and settings.sms_sign_name
            and settings.sms_template_code):
        raise ValueError("the SMS channel needs HUHANG_NOTIFY_SMS_ACCESS_KEY_ID, _ACCESS_KEY_SECRET, "
                         "_SIGN_NAME and _TEMPLATE_CODE")
    return SmsChannel(AliyunSms(
        endpoint=settings.sms_endpoint, access_key_id=settings.sms_access_key_id,
        access_key_secret=settings.sms_access_key_secret, sign_name=settings.sms_sign_name,
        template_code=settings.sms_template_code,
    ))
