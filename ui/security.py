"""What keeps the web app safe to run for staff and the public: hashed passwords, a login that
slows down and locks out guessing, signed sessions that expire server-side, per-client rate limits.

Nothing here knows Gradio; `web.server` puts these in front of every route.
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
    """Failed logins per address and per user name: each failure doubles a delay (from
    `base_delay`, at most `max_delay`); `lock_after` failures from one address, or
    `user_lock_after` for one user name from anywhere, within `window` seconds lock that address
    (or name) out for `lockout` seconds. A success clears the address and the name."""

    def __init__(self, base_delay: float = 0.5, max_delay: float = 4.0, lock_after: int = 5,
                 window: float = 600.0, lockout: float = 900.0, max_addresses: int = 10_000,
                 user_lock_after: int = 20) -> None:
        self.base_delay, self.max_delay = base_delay, max_delay
        self.lock_after, self.window, self.lockout = lock_after, window, lockout
        self.user_lock_after = user_lock_after
        self.max_addresses = max_addresses
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(address: str, user: str | None) -> list[str]:
        return [f"addr:{address}"] + ([f"user:{user[:64]}"] if user else [])

    def locked_for(self, address: str, now: float | None = None, user: str | None = None) -> float:
        """Seconds the address (or the user name) must still wait (0 when it may try)."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in self._keys(address, user):
                until = self._locked.get(key, 0.0)
                if until <= now:
                    self._locked.pop(key, None)
                else:
                    wait = max(wait, until - now)
        return wait

    def failed(self, address: str, now: float | None = None, user: str | None = None) -> float:
        """Record a failure; returns the delay to impose before answering."""
        now = time.monotonic() if now is None else now
        count = 0
        with self._lock:
            for key in self._keys(address, user):
                times = [t for t in self._failures.pop(key, []) if now - t < self.window] + [now]
                self._failures[key] = times[-max(self.lock_after, self.user_lock_after):]
                limit = self.lock_after if key.startswith("addr:") else self.user_lock_after
                if len(times) >= limit:
                    self._locked[key] = now + self.lockout
                count = max(count, len(times)) if key.startswith("addr:") else count
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)
            while len(self._locked) > self.max_addresses:
                self._locked.pop(next(iter(self._locked)))
            return min(self.max_delay, self.base_delay * 2 ** (count - 1))

    def succeeded(self, address: str, user: str | None = None) -> None:
        with self._lock:
            for key in self._keys(address, user):
                self._failures.pop(key, None)
                self._locked.pop(key, None)


class SessionSigner:
    """Login sessions as signed cookies `user|issued|nonce|mac`: valid for `lifetime` seconds
    after login, checked on every request, revocable by logging out. Only a token this signer
    issued (and that has not expired) can be revoked; its nonce is kept until the token would have
    expired anyway, and at most `max_revoked` of them (the oldest go first)."""

    def __init__(self, secret: bytes | None = None, lifetime: float = 8 * 3600,
                 max_revoked: int = 100_000) -> None:
        self.secret = secret or secrets.token_bytes(32)
        self.lifetime = lifetime
        self.max_revoked = max_revoked
        self._revoked: OrderedDict[str, float] = OrderedDict()
        """nonce → when its token expires (insertion order = expiry order)."""
        self._lock = threading.Lock()

    def _mac(self, payload: str) -> str:
        return hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()

    def issue(self, user: str, now: float | None = None) -> str:
        now = time.time() if now is None else now
        payload = f"{user}|{int(now)}|{secrets.token_hex(8)}"
        return f"{payload}|{self._mac(payload)}"

    def _valid(self, token: str | None, now: float) -> tuple[str, int, str] | None:
        """(user, issued, nonce) of a token with a good signature, unexpired (revocation aside)."""
        if not token or len(token) > 512 or token.count("|") != 3:
            return None
        payload, mac = token.rsplit("|", 1)
        if not hmac.compare_digest(mac.encode(), self._mac(payload).encode()):
            return None
        user, issued_text, nonce = payload.split("|")
        try:
            issued = int(issued_text)
        except ValueError:
            return None
        if now - issued > self.lifetime or issued > now + 60:
            return None
        return user, issued, nonce

    def user(self, token: str | None, now: float | None = None) -> str | None:
        """The user of a valid, unexpired, unrevoked token; else None."""
        now = time.time() if now is None else now
        valid = self._valid(token, now)
        if valid is None:
            return None
        with self._lock:
            if valid[2] in self._revoked:
                return None
        return valid[0]

    def revoke(self, token: str | None, now: float | None = None) -> bool:
        """Log a session out (True); a forged, expired or malformed token is ignored (False)."""
        now = time.time() if now is None else now
        valid = self._valid(token, now)
        if valid is None:
            return False
        with self._lock:
            while self._revoked and next(iter(self._revoked.values())) <= now:
                self._revoked.popitem(last=False)
            self._revoked[valid[2]] = valid[1] + self.lifetime
            while len(self._revoked) > self.max_revoked:
                self._revoked.popitem(last=False)
        return True

    @property
    def revoked(self) -> int:
        """How many revoked sessions are remembered."""
        return len(self._revoked)


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
