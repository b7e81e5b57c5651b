"""Password hashing with Argon2id (RFC 9106 parameters as chosen by argon2-cffi)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "PasswordPolicyError",
    "check_password_policy",
    "dummy_hash",
    "hash_password",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


class PasswordPolicyError(ValueError):
    """The password is too weak; ``message_zh`` is shown to the user."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


def check_password_policy(password: str) -> None:
    """Refuse passwords shorter than ``MIN_PASSWORD_LENGTH`` or longer than 256 characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            f"password must have at least {MIN_PASSWORD_LENGTH} characters",
            f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符",
        )
    if len(password) > 256:
        raise PasswordPolicyError("password longer than 256 characters", "密码不能超过 256 个字符")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (salted; the encoded string holds the parameters)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; never raises on a wrong password."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """The hash of a random password nobody knows, made once with the same hasher (algorithm
    and parameters) as real ones: checking a password against it costs what checking a real
    account costs, so an unknown username cannot be told from a wrong password by the time
    the answer takes."""
    return _hasher.hash(secrets.token_urlsafe(32))
