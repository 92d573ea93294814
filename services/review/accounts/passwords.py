"""Password policy and argon2id hashing.

Policy (等保 身份鉴别(a); ASVS 6.2): at least 12 characters, at least three of the four classes
(lower case, upper case, digits, other), and not containing the username.  No forced periodic
change for staff (ASVS 6.2.10); see docs/security.md for the administrators' exception.
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


class WeakPassword(DomainError):
    code = "weak_password"
    message_en = "The password does not meet the policy: 12+ characters, 3 of 4 character classes, not the username"
    message_zh = "密码不符合要求：至少12位，包含大写字母、小写字母、数字、符号中的至少三类，且不得包含用户名"


def policy_problems(password: str, *, username: str) -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"at most {MAX_LENGTH} characters")
    classes = sum([
        any(c.islower() for c in password), any(c.isupper() for c in password),
        any(c.isdigit() for c in password), any(not c.isalnum() for c in password),
    ])
    if classes < 3:
        problems.append("three of: lower case, upper case, digits, symbols")
    if username and username.lower() in password.lower():
        problems.append("must not contain the username")
    return problems


def check_policy(password: str, *, username: str) -> None:
    problems = policy_problems(password, username=username)
    if problems:
        raise WeakPassword(problems=problems)


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
