"""How the pages name a delivery's status, channel, attempt outcome and recipient, in Chinese.

A recipient is shown as words when it is a staff-inbox group, and masked otherwise: an SMS or
email channel will put a phone number or an address there, which a list must not show whole.
"""

from __future__ import annotations

from services.notify.deliveries.workflow import (
    COURT_INBOX,
    DEADLINE_INBOX,
    HANDLER_INBOX,
    PROSECUTOR_INBOX,
    TRIAGE_INBOX,
)
from shared.pii.masking import mask_text

STATUS_TEXT = {"pending": "待发送", "sent": "已发送", "failed": "发送失败"}
CHANNEL_TEXT = {"staff_inbox": "站内信", "sms": "短信", "email": "电子邮件", "webhook": "接口推送"}
OUTCOME_TEXT = {
    "sent": "成功",
    "retry": "失败，稍后重试",
    "throttled": "对方限流，延后重试（不计次数）",
    "failed": "失败，不再重试",
    "abandoned": "中断（发送进程未回报结果）",
}
IN_FLIGHT_TEXT = "发送中"
GROUP_TEXT = {TRIAGE_INBOX: "本单位分流员", DEADLINE_INBOX: "本单位督办人员", COURT_INBOX: "本院法官与书记员",
              HANDLER_INBOX: "本单位承办人员", PROSECUTOR_INBOX: "本单位捕诉检察官"}


def status_text(status: str) -> str:
    """待发送 / 已发送 / 发送失败 (an unknown stored status as it is)."""
    return STATUS_TEXT.get(status, status)


def channel_text(channel: str) -> str:
    """站内信, 短信, ... (a channel without a name here as it is)."""
    return CHANNEL_TEXT.get(channel, channel)


def outcome_text(outcome: str | None) -> str:
    """What one attempt came to, in words; None is an attempt still in flight."""
    return IN_FLIGHT_TEXT if outcome is None else OUTCOME_TEXT.get(outcome, outcome)


def recipient_text(recipient: str) -> str:
    """A group in words; anything else with phone and ID-card numbers masked."""
    return GROUP_TEXT.get(recipient) or mask_text(recipient)


def error_text(error: str | None, *, limit: int | None = None) -> str:
    """A channel's error message (masked like a recipient: a gateway may quote the number), cut to `limit`."""
    if not error:
        return "—"
    text = mask_text(error)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
