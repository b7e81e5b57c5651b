"""Accounts, roles, sessions, API tokens, permission policies and the audit log."""

from jingjinji.auth.accounts import (
    AccountError,
    LoginResult,
    authenticate,
    create_api_token,
    create_organization,
    create_user,
    end_session,
    resolve_api_token,
    resolve_session,
    revoke_api_token,
    start_session,
)
from jingjinji.auth.audit import record_change, snapshot
from jingjinji.auth.passwords import PasswordPolicyError, hash_password, verify_password
from jingjinji.auth.policies import (
    ADMIN,
    ANALYST,
    EDITOR,
    PUBLIC,
    SIGNED_IN,
    Policy,
    can_edit,
    can_read_private,
    owner,
)

__all__ = [
    "ADMIN",
    "ANALYST",
    "EDITOR",
    "PUBLIC",
    "SIGNED_IN",
    "AccountError",
    "LoginResult",
    "PasswordPolicyError",
    "Policy",
    "authenticate",
    "can_edit",
    "can_read_private",
    "create_api_token",
    "create_organization",
    "create_user",
    "end_session",
    "hash_password",
    "owner",
    "record_change",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "snapshot",
    "start_session",
    "verify_password",
]
