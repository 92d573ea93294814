"""Settings of notify's delivery machinery, from `HUHANG_NOTIFY_*` environment variables.

Kept apart from `shared.config.Settings` (what every service needs): only notify sends notices.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _names(name: str, default: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in os.environ.get(name, default).split(",") if part.strip())


@dataclass(frozen=True)
class NotifySettings:
    """Which channels are on, how the dispatcher retries, and how the email channel reaches its server."""

    channels: tuple[str, ...] = field(default_factory=lambda: _names("HUHANG_NOTIFY_CHANNELS", "staff_inbox"))
    # Tries per delivery (successful or not, throttling excluded) before it is `failed`.
    max_attempts: int = field(default_factory=lambda: _int("HUHANG_NOTIFY_MAX_ATTEMPTS", 8))
    # Backoff after the n-th failure: up to base·2^(n-1), capped, with jitter (states.RetryPolicy).
    backoff_base_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_BACKOFF_BASE", 10.0))
    backoff_max_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_BACKOFF_MAX", 3600.0))
    batch_size: int = field(default_factory=lambda: _int("HUHANG_NOTIFY_BATCH", 20))
    # How long a claimed delivery is invisible to other dispatchers while its send runs.
    lease_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_LEASE", 120.0))
    poll_interval_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_POLL_INTERVAL", 0.2))

    # --- the email channel (channels/email.py), SMTP ---
    smtp_host: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMTP_HOST", "localhost"))
    # 0: the port of the security mode (587 STARTTLS, 465 implicit TLS, 25 plain).
    smtp_port: int = field(default_factory=lambda: _int("HUHANG_NOTIFY_SMTP_PORT", 0))
    # starttls (upgrade a plain connection; refuse a server that cannot) | tls (TLS from the first byte) | none.
    smtp_security: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMTP_SECURITY", "starttls"))
    smtp_username: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMTP_USERNAME"))
    # A secret: from the environment (or the deployment's secret store that fills it), never the repo.
    smtp_password: str = field(default_factory=lambda: os.environ.get("HUHANG_NOTIFY_SMTP_PASSWORD", ""), repr=False)
    # A CA bundle the server's certificate must chain to (a private CA); empty: the system's.
    smtp_ca_file: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMTP_CA_FILE"))
    smtp_timeout_s: float = field(default_factory=lambda: _float("HUHANG_NOTIFY_SMTP_TIMEOUT", 30.0))
    email_from: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_EMAIL_FROM", "noreply@huhang.invalid"))
    email_from_name: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_EMAIL_FROM_NAME", "涉企案件护航平台"))

    # --- the SMS channel (channels/sms.py): a provider adapter; Alibaba Cloud SMS today ---
    sms_provider: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMS_PROVIDER", "aliyun"))
    sms_endpoint: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/"))
    sms_access_key_id: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMS_ACCESS_KEY_ID"))
    sms_access_key_secret: str = field(
        default_factory=lambda: os.environ.get("HUHANG_NOTIFY_SMS_ACCESS_KEY_SECRET", ""), repr=False)
    sms_sign_name: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMS_SIGN_NAME"))
    sms_template_code: str = field(default_factory=lambda: _str("HUHANG_NOTIFY_SMS_TEMPLATE_CODE"))

    @property
    def smtp_port_or_default(self) -> int:
        return self.smtp_port or {"starttls": 587, "tls": 465}.get(self.smtp_security, 25)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("HUHANG_NOTIFY_MAX_ATTEMPTS must be at least 1")
        if not 0 < self.backoff_base_s <= self.backoff_max_s:
            raise ValueError("need 0 < HUHANG_NOTIFY_BACKOFF_BASE <= HUHANG_NOTIFY_BACKOFF_MAX")
        if self.batch_size < 1 or self.lease_s <= 0:
            raise ValueError("HUHANG_NOTIFY_BATCH and HUHANG_NOTIFY_LEASE must be positive")
        if self.smtp_security not in ("starttls", "tls", "none"):
            raise ValueError("HUHANG_NOTIFY_SMTP_SECURITY is starttls, tls or none")
        if self.smtp_username and not self.smtp_password:
            raise ValueError("HUHANG_NOTIFY_SMTP_USERNAME is set but HUHANG_NOTIFY_SMTP_PASSWORD is not")
        if "@" not in self.email_from:
            raise ValueError("HUHANG_NOTIFY_EMAIL_FROM must be an email address")
        if self.smtp_timeout_s <= 0:
            # Keep it well below HUHANG_NOTIFY_LEASE: a send that outlives the lease may be tried again.
            raise ValueError("HUHANG_NOTIFY_SMTP_TIMEOUT must be positive")
