"""All ORM tables of the platform; importing this module registers them on ``Base.metadata``."""

from jingjinji.store.models.accounts import (
    ApiToken,
    AuthSession,
    LoginFailure,
    Organization,
    User,
)
from jingjinji.store.models.audit import AuditEntry

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuthSession",
    "LoginFailure",
    "Organization",
    "User",
]
