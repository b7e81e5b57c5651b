"""The sign-in lock-out on stored failures: when it applies (per account and address, and per
address over all accounts), when it ends, what the admin page counts, the dummy hash."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from jingjinji.auth.accounts import ADDRESS_FACTOR, aware, begin_attempt, locked_until
from jingjinji.auth.credentials import failed_sign_ins
from jingjinji.auth.passwords import dummy_hash, hash_password, verify_password
from jingjinji.store.base import utcnow
from jingjinji.store.models import LoginFailure

WINDOW = timedelta(minutes=15)
A, B = "203.0.113.7", "198.51.100.20"


def _fail(db: Session, username: str, ip: str, *minutes_ago: int, now: datetime) -> None:
    for minutes in minutes_ago:
        db.add(LoginFailure(username=username, ip=ip, at=now - timedelta(minutes=minutes)))
    db.commit()


def _until(db: Session, username: str, ip: str, now: datetime) -> datetime | None:
    until = locked_until(db, username=username, ip=ip, max_failures=5, window=WINDOW, now=now)
    return aware(until) if until is not None else None


@pytest.mark.db
def test_lock_ends_when_the_oldest_failure_of_the_limit_leaves_the_window(db: Session) -> None:
    now = utcnow()
    _fail(db, "wang.li", A, 20, 10, 8, 6, 4, now=now)  # 20 minutes ago: outside the window
    assert _until(db, "wang.li", A, now) is None  # four in the window
    _fail(db, "wang.li", A, 2, now=now)
    assert _until(db, "wang.li", A, now) == now - timedelta(minutes=10) + WINDOW
    _fail(db, "wang.li", A, 1, now=now)  # a sixth: the fifth newest is now 8 minutes old
    assert _until(db, "wang.li", A, now) == now - timedelta(minutes=8) + WINDOW
    # the same account from another address, and another account from this one: no lock
    assert _until(db, "wang.li", B, now) is None
    assert _until(db, "zhao.min", A, now) is None
    # once the window has passed the failure that locked it, the lock is gone
    assert _until(db, "wang.li", A, now + timedelta(minutes=8, seconds=1)) is None


@pytest.mark.db
def test_an_address_trying_many_accounts_is_locked_for_all(db: Session) -> None:
    now = utcnow()
    limit = 5 * ADDRESS_FACTOR
    for index in range(limit - 1):
        _fail(db, f"guess{index}", A, 1, now=now)
    assert _until(db, "anyone", A, now) is None
    _fail(db, "last_guess", A, 3, now=now)
    assert _until(db, "anyone", A, now) == now - timedelta(minutes=3) + WINDOW
    assert _until(db, "anyone", B, now) is None


@pytest.mark.db
def test_begin_attempt_records_before_the_check_and_refuses_past_the_limit(
    db: Session,
) -> None:
    rows = []
    for _ in range(5):
        attempt = begin_attempt(db, username="li.qiang", ip=A, max_failures=5, window=WINDOW)
        assert attempt.row is not None and attempt.locked_until is None
        rows.append(attempt.row.id)
    refused = begin_attempt(db, username="li.qiang", ip=A, max_failures=5, window=WINDOW)
    assert refused.row is None and refused.locked_until is not None
    assert db.query(LoginFailure).count() == 5  # the refused one left nothing behind
    other = begin_attempt(db, username="li.qiang", ip=B, max_failures=5, window=WINDOW)
    assert other.row is not None


@pytest.mark.db
def test_admin_page_counts_the_most_failures_from_one_address(db: Session) -> None:
    now = utcnow()
    _fail(db, "wang.li", A, 1, 2, 3, now=now)
    _fail(db, "wang.li", B, 1, 2, now=now)
    _fail(db, "zhao.min", B, 30, now=now)  # before ``since``
    assert failed_sign_ins(db, since=now - WINDOW) == {"wang.li": 3}


def test_dummy_hash_is_made_once_like_a_real_one() -> None:
    assert dummy_hash() is dummy_hash()
    real = hash_password("京津冀-协同-2026")
    assert dummy_hash().rsplit("$", 2)[0] == real.rsplit("$", 2)[0]  # algorithm, parameters
    assert not verify_password(dummy_hash(), "")
