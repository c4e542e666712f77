"""Passwords, login throttling, expiring sessions and rate limits (no server needed)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.errors import ConfigError
from ui.security import (Credentials, LoginThrottle, RateLimiter, SessionSigner, hash_password,
                         verify_password)


def test_hashed_and_plain_passwords() -> None:
    stored = hash_password("s3cret", iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$") and "s3cret" not in stored
    assert verify_password("s3cret", stored) and not verify_password("S3cret", stored)
    assert verify_password("plain", "plain") and not verify_password("plain", "other")
    assert not verify_password("x", "pbkdf2_sha256$broken")
    creds = Credentials.parse(f"staff:{stored}")
    assert creds.check("staff", "s3cret") and not creds.check("admin", "s3cret")
    assert Credentials.parse("") is None
    with pytest.raises(ConfigError, match="user:password"):
        Credentials.parse("nopassword")


def test_hash_password_command() -> None:
    res = CliRunner().invoke(cli, ["hash-password", "--password", "pw"])
    assert res.exit_code == 0 and verify_password("pw", res.stdout.strip())


def test_failed_logins_slow_down_then_lock_out() -> None:
    t = LoginThrottle(base_delay=0.5, max_delay=4, lock_after=5, window=600, lockout=900)
    delays = [t.failed("1.2.3.4", now=100 + i) for i in range(4)]
    assert delays == [0.5, 1.0, 2.0, 4.0] and t.locked_for("1.2.3.4", now=104) == 0
    t.failed("1.2.3.4", now=105)
    assert t.locked_for("1.2.3.4", now=106) > 800  # locked
    assert t.locked_for("5.6.7.8", now=106) == 0  # other addresses unaffected
    assert t.locked_for("1.2.3.4", now=106 + 900) == 0  # the lock ends
    t.succeeded("1.2.3.4")
    assert t.failed("1.2.3.4", now=2000) == 0.5


def test_sessions_expire_and_can_be_revoked() -> None:
    signer = SessionSigner(secret=b"k" * 32, lifetime=60)
    token = signer.issue("staff", now=1000)
    assert signer.user(token, now=1030) == "staff"
    assert signer.user(token, now=1061) is None  # expired server-side
    assert signer.user(token.replace("staff", "admin"), now=1030) is None  # tampered
    assert signer.user("garbage", now=1030) is None and signer.user(None) is None
    fresh = signer.issue("staff")
    signer.revoke(fresh)
    assert signer.user(fresh) is None
    assert SessionSigner(secret=b"other" * 8).user(signer.issue("staff")) is None


def test_rate_limiter_per_client() -> None:
    limiter = RateLimiter(rate=3, per=60)
    assert [limiter.allow("a", now=0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=0)
    assert limiter.allow("a", now=20)  # one request's worth refilled after 20 s
