"""Password policy and argon2id hashing.

Policy (等保 身份鉴别(a); ASVS 6.2): at least 12 characters, at least three of the four classes
(lower case, upper case, digits, other), and not containing the username.  No forced periodic
change for staff (ASVS 6.2.10); administrators change theirs every
`HUHANG_ADMIN_PASSWORD_MAX_AGE_DAYS` (90) days (等保 定期更换; docs/security.md).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from shared.errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 128  # argon2 would hash more; a cap keeps a request from costing seconds
_HASHER = PasswordHasher()  # argon2id, library defaults (RFC 9106 low-memory profile)
# Verified against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = _HASHER.hash("huhang-timing-equaliser-password")


# The rules of the policy: code → (English, Chinese).  A refusal names the rules it broke.
RULES: dict[str, tuple[str, str]] = {
    "min_length": (f"at least {MIN_LENGTH} characters", f"至少{MIN_LENGTH}位"),
    "max_length": (f"at most {MAX_LENGTH} characters", f"不超过{MAX_LENGTH}位"),
    "character_classes": ("three of: lower case, upper case, digits, symbols",
                          "包含大写字母、小写字母、数字、符号中的至少三类"),
    "contains_username": ("must not contain the username", "不得包含用户名"),
}


class WeakPassword(DomainError):
    code = "weak_password"
    message_en = "The password does not meet the policy: 12+ characters, 3 of 4 character classes, not the username"
    message_zh = "密码不符合要求：至少12位，包含大写字母、小写字母、数字、符号中的至少三类，且不得包含用户名"

    @classmethod
    def of(cls, rules: list[str]) -> "WeakPassword":
        """The refusal naming the broken rules (`errors.rules` carries their codes)."""
        return cls(
            "The password does not meet the policy: " + "; ".join(RULES[r][0] for r in rules),
            "密码不符合要求：" + "；".join(RULES[r][1] for r in rules),
            rules=rules, problems=[RULES[r][0] for r in rules],
        )


def broken_rules(password: str, *, username: str) -> list[str]:
    """The codes (keys of RULES) of the rules `password` breaks; [] when it meets the policy."""
    broken = []
    if len(password) < MIN_LENGTH:
        broken.append("min_length")
    if len(password) > MAX_LENGTH:
        broken.append("max_length")
    classes = sum([
        any(c.islower() for c in password), any(c.isupper() for c in password),
        any(c.isdigit() for c in password), any(not c.isalnum() for c in password),
    ])
    if classes < 3:
        broken.append("character_classes")
    if username and username.lower() in password.lower():
        broken.append("contains_username")
    return broken


def policy_problems(password: str, *, username: str) -> list[str]:
    return [RULES[r][0] for r in broken_rules(password, username=username)]


def check_policy(password: str, *, username: str) -> None:
    rules = broken_rules(password, username=username)
    if rules:
        raise WeakPassword.of(rules)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; an unknown user (hash None) costs the same and is False."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
