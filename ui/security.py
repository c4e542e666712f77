"""What keeps the web app safe to run for staff and the public: hashed passwords, a login that
slows down and locks out guessing, signed sessions that expire server-side, per-client rate limits.

Nothing here knows Gradio; `ui.server` puts these in front of every route.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from assistant.errors import ConfigError

PBKDF2_ITERATIONS = 200_000
"""Work factor of `policy-assistant hash-password` (about 0.1 s per check on this machine)."""


def hash_password(password: str, iterations: int = PBKDF2_ITERATIONS, salt: str | None = None) -> str:
    """`pbkdf2_sha256$<iterations>$<salt>$<hash>`: what POLICY_UI_AUTH may hold instead of the
    plain password."""
    if not password:
        raise ConfigError("the password is empty")
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check against a plain or a `pbkdf2_sha256$…` stored password."""
    if stored.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, expected = stored.split("$", 3)
            digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(base64.b64encode(digest).decode(), expected)
    return hmac.compare_digest(password.encode(), stored.encode())


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    """Plain text or `pbkdf2_sha256$…`."""

    @classmethod
    def parse(cls, value: str) -> "Credentials | None":
        """From POLICY_UI_AUTH (`user:password` or `user:pbkdf2_sha256$…`); None when unset."""
        if not value:
            return None
        user, sep, password = value.partition(":")
        if not sep or not user.strip() or not password:
            raise ConfigError("POLICY_UI_AUTH must look like user:password or user:pbkdf2_sha256$…")
        return cls(user.strip(), password)

    def check(self, user: str, password: str) -> bool:
        ok_user = hmac.compare_digest(user.encode(), self.user.encode())
        ok_password = verify_password(password, self.password)
        return ok_user and ok_password


class LoginThrottle:
    """Per-address failed logins: each failure doubles a delay (from `base_delay`, at most
    `max_delay`); `lock_after` failures within `window` seconds lock the address out for
    `lockout` seconds. A success clears the address."""

    def __init__(self, base_delay: float = 0.5, max_delay: float = 4.0, lock_after: int = 5,
                 window: float = 600.0, lockout: float = 900.0, max_addresses: int = 10_000) -> None:
        self.base_delay, self.max_delay = base_delay, max_delay
        self.lock_after, self.window, self.lockout = lock_after, window, lockout
        self.max_addresses = max_addresses
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked_for(self, address: str, now: float | None = None) -> float:
        """Seconds the address must still wait (0 when it may try)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            until = self._locked.get(address, 0.0)
            if until <= now:
                self._locked.pop(address, None)
                return 0.0
            return until - now

    def failed(self, address: str, now: float | None = None) -> float:
        """Record a failure; returns the delay to impose before answering."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = [t for t in self._failures.pop(address, []) if now - t < self.window] + [now]
            self._failures[address] = times
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)
            if len(times) >= self.lock_after:
                self._locked[address] = now + self.lockout
            return min(self.max_delay, self.base_delay * 2 ** (len(times) - 1))

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
            self._locked.pop(address, None)


class SessionSigner:
    """Login sessions as signed cookies `user|issued|nonce|mac`: valid for `lifetime` seconds
    after login, checked on every request, revocable by logging out (the nonce is forgotten)."""

    def __init__(self, secret: bytes | None = None, lifetime: float = 8 * 3600) -> None:
        self.secret = secret or secrets.token_bytes(32)
        self.lifetime = lifetime
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def _mac(self, payload: str) -> str:
        return hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, user: str, now: float | None = None) -> str:
        now = time.time() if now is None else now
        payload = f"{user}|{int(now)}|{secrets.token_hex(8)}"
        return f"{payload}|{self._mac(payload)}"

    def user(self, token: str | None, now: float | None = None) -> str | None:
        """The user of a valid, unexpired, unrevoked token; else None."""
        if not token or token.count("|") != 3 or len(token) > 512:
            return None
        payload, mac = token.rsplit("|", 1)
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        user, issued, nonce = payload.split("|")
        now = time.time() if now is None else now
        try:
            if now - int(issued) > self.lifetime or int(issued) > now + 60:
                return None
        except ValueError:
            return None
        with self._lock:
            if nonce in self._revoked:
                return None
        return user

    def revoke(self, token: str | None) -> None:
        if token and token.count("|") == 3:
            with self._lock:
                self._revoked.add(token.split("|")[2])


class RateLimiter:
    """A token bucket per client: `rate` requests per `per` seconds, bursts up to `rate`."""

    def __init__(self, rate: int, per: float = 60.0, max_clients: int = 50_000) -> None:
        self.capacity = float(rate)
        self.refill = rate / per
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return allowed
