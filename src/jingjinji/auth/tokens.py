"""Random tokens and their stored digests: a token is shown once, only its SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["digest", "new_token"]


def new_token(prefix: str = "") -> str:
    """A new random token (256 bits, URL-safe), optionally prefixed (``jjj_`` for API tokens)."""
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """Hex SHA-256 of ``token``, the form stored in the database."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
