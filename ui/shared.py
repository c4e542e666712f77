"""What several instances of the web app share through the store (assistant/store.py) when it is
PostgreSQL (or `POLICY_SHARED_STATE=true`): login sessions signed with one secret and revoked
everywhere, failed logins and lockouts, rate-limit buckets, conversations, and the library (an
instance reloads its assistant when the library's version in the database moves).

Each class keeps the interface of its in-memory twin in `web.security`, so the Guard uses either.
Times are wall-clock seconds (instances share no monotonic clock).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import sqlalchemy as sa

from assistant.ops.store import (ConversationStore, Database, StoredConversation, StoreError,
                             bump_library_version, library_version, lockouts, login_failures,
                             rate_buckets, revoked_sessions, shared_secret)

from .security import LoginThrottle, RateLimiter, SessionSigner

log = logging.getLogger("policy-assistant.shared")
PRUNE_SECONDS = 60.0
"""How often expired counters, revocations and conversations are deleted."""
UNAVAILABLE_WAIT = 60.0
"""While the database cannot be reached, logins wait this long (fail closed)."""


class SharedSessionSigner(SessionSigner):
    """Signed session cookies every instance accepts (the secret lives in the database); a
    logout on one instance revokes the session on all of them."""

    def __init__(self, db: Database, lifetime: float = 8 * 3600) -> None:
        super().__init__(secret=shared_secret(db, "session"), lifetime=lifetime)
        self.db = db

    def user(self, token: str | None, now: float | None = None) -> str | None:
        now = time.time() if now is None else now
        user = super().user(token, now)
        if user is None or token is None:
            return None
        nonce = token.split("|")[2]
        try:
            with self.db.begin() as conn:
                revoked = conn.execute(sa.select(revoked_sessions.c.expires_at)
                                       .where(revoked_sessions.c.nonce == nonce)).first()
        except StoreError:
            log.exception("cannot check the session")
            return None  # fail closed
        return None if revoked is not None else user

    def revoke(self, token: str | None, now: float | None = None) -> bool:
        """Log a session out everywhere (True); forged, expired or malformed tokens are ignored."""
        now = time.time() if now is None else now
        if SessionSigner.user(self, token, now) is None or token is None:
            return False
        _, issued, nonce, _ = token.split("|")
        with self.db.begin(write=True) as conn:
            self.db.upsert(conn, revoked_sessions, {"nonce": nonce[:64],
                                                    "expires_at": int(issued) + self.lifetime}, ("nonce",))
        return True

    @property
    def revoked(self) -> int:
        with self.db.begin() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(revoked_sessions)).scalar() or 0)

    def prune(self, now: float) -> None:
        with self.db.begin(write=True) as conn:
            conn.execute(sa.delete(revoked_sessions).where(revoked_sessions.c.expires_at < now))


class SharedLoginThrottle(LoginThrottle):
    """Failed logins per address and per user name, counted in the database: a lockout earned on
    one instance holds on every instance."""

    def __init__(self, db: Database, base_delay: float = 0.5, max_delay: float = 4.0,
                 lock_after: int = 5, window: float = 600.0, lockout: float = 900.0,
                 user_lock_after: int = 20) -> None:
        super().__init__(base_delay=base_delay, max_delay=max_delay, lock_after=lock_after,
                         window=window, lockout=lockout)
        self.user_lock_after = user_lock_after
        self.db = db

    @staticmethod
    def _keys(address: str, user: str | None) -> list[str]:
        return [f"addr:{address}"[:200]] + ([f"user:{user[:64]}"] if user else [])

    def locked_for(self, address: str, now: float | None = None, user: str | None = None) -> float:
        """Seconds to wait; without the database nobody may try (a minute at a time): failed
        attempts could not be counted."""
        now = time.time() if now is None else now
        try:
            with self.db.begin() as conn:
                until = conn.execute(sa.select(sa.func.max(lockouts.c.until))
                                     .where(lockouts.c.key.in_(self._keys(address, user)))).scalar()
        except StoreError:
            log.exception("login lockouts unavailable")
            return UNAVAILABLE_WAIT
        return max(0.0, float(until) - now) if until else 0.0

    def failed(self, address: str, now: float | None = None, user: str | None = None) -> float:
        now = time.time() if now is None else now
        try:
            return self._failed(address, now, user)
        except StoreError:
            log.exception("a failed login could not be counted")
            return self.max_delay

    def _failed(self, address: str, now: float, user: str | None) -> float:
        count = 0
        with self.db.begin(write=True) as conn:
            for key in self._keys(address, user):
                conn.execute(sa.insert(login_failures).values(key=key, at=now))
                times = conn.execute(sa.select(sa.func.count()).select_from(login_failures).where(
                    login_failures.c.key == key, login_failures.c.at > now - self.window)).scalar() or 0
                limit = self.lock_after if key.startswith("addr:") else self.user_lock_after
                if times >= limit:
                    self.db.upsert(conn, lockouts, {"key": key, "until": now + self.lockout}, ("key",))
                if key.startswith("addr:"):
                    count = int(times)
        return min(self.max_delay, self.base_delay * 2 ** (max(count, 1) - 1))

    def succeeded(self, address: str, user: str | None = None) -> None:
        keys = self._keys(address, user)
        try:
            with self.db.begin(write=True) as conn:
                conn.execute(sa.delete(login_failures).where(login_failures.c.key.in_(keys)))
                conn.execute(sa.delete(lockouts).where(lockouts.c.key.in_(keys)))
        except StoreError:
            log.exception("failed logins could not be cleared")

    def prune(self, now: float) -> None:
        with self.db.begin(write=True) as conn:
            conn.execute(sa.delete(login_failures).where(login_failures.c.at < now - self.window))
            conn.execute(sa.delete(lockouts).where(lockouts.c.until < now))


class SharedRateLimiter(RateLimiter):
    """One token bucket per client for all instances (a row locked while it is updated)."""

    def __init__(self, db: Database, rate: int, per: float = 60.0) -> None:
        super().__init__(rate, per)
        self.db = db
        self.per = per

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        client = client[:200]
        try:
            with self.db.begin(write=True) as conn:
                row = conn.execute(sa.select(rate_buckets.c.tokens, rate_buckets.c.last)
                                   .where(rate_buckets.c.client == client).with_for_update()).first()
                tokens, last = (row.tokens, row.last) if row is not None else (self.capacity, now)
                tokens = min(self.capacity, tokens + max(0.0, now - last) * self.refill)
                allowed = tokens >= 1.0
                self.db.upsert(conn, rate_buckets, {"client": client, "last": now,
                                                    "tokens": tokens - 1.0 if allowed else tokens},
                               ("client",))
                return allowed
        except StoreError:
            log.exception("rate limit not checked (database unavailable)")
            return True  # the database being down must not turn every caller away

    def prune(self, now: float) -> None:
        with self.db.begin(write=True) as conn:
            conn.execute(sa.delete(rate_buckets).where(rate_buckets.c.last < now - 2 * self.per))


def install(guard: Any, db: Database) -> None:
    """Replace a Guard's in-memory signer, throttle and limiter by the shared ones."""
    throttle = guard.throttle
    guard.signer = SharedSessionSigner(db, lifetime=guard.signer.lifetime)
    guard.throttle = SharedLoginThrottle(
        db, base_delay=throttle.base_delay, max_delay=throttle.max_delay, lock_after=throttle.lock_after,
        window=throttle.window, lockout=throttle.lockout,
        user_lock_after=getattr(throttle, "user_lock_after", 20))
    guard.limiter = SharedRateLimiter(db, int(guard.limiter.capacity))


class SharedState:
    """The shared parts of one instance: its conversations, and the library it follows."""

    def __init__(self, db: Database, assistant: Any, reload: Any = None) -> None:
        self.db = db
        self.assistant = assistant
        self.reload = reload or assistant.reload
        """How the instance loads the library again (the handlers' own reload by default)."""
        self.conversations = ConversationStore(db)
        self.seen_version = library_version(db)
        """The library version this instance's assistant was loaded at."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._guard: Any = None
        self._reload_lock = threading.Lock()

    @classmethod
    def of(cls, store: Any, assistant: Any, reload: Any = None) -> "SharedState | None":
        """The shared state of a FeedbackStore's database (None when it is not shared)."""
        db = getattr(store, "db", None)
        return cls(db, assistant, reload) if db is not None and db.shared else None

    def conversation(self, session_id: str) -> StoredConversation:
        return StoredConversation(session_id, self.conversations, lambda: self.assistant.rules)

    def library_changed(self) -> int:
        """After this instance changed the library (and reloaded): tell the others."""
        version = bump_library_version(self.db)
        self.seen_version = version
        return version

    def follow(self) -> bool:
        """Reload the assistant when the library's version moved (True when it did)."""
        version = library_version(self.db)
        if version == self.seen_version:
            return False
        with self._reload_lock:
            started = time.perf_counter()
            self.reload()
            self.seen_version = version
        log.info("library version %s: reloaded in %.2f s", version, time.perf_counter() - started)
        return True

    def prune(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.conversations.prune(now)
        if self._guard is not None:
            for part in (self._guard.signer, self._guard.throttle, self._guard.limiter):
                if hasattr(part, "prune"):
                    part.prune(now)

    def start(self, guard: Any, poll_seconds: float) -> None:
        """Share the Guard's state and poll the library's version in a background thread."""
        install(guard, self.db)
        self._guard = guard
        self._thread = threading.Thread(target=self._loop, args=(poll_seconds,),
                                        name="policy-assistant-library", daemon=True)
        self._thread.start()

    def _loop(self, poll_seconds: float) -> None:
        last_prune = 0.0
        while not self._stop.wait(poll_seconds):
            try:
                self.follow()
                if time.monotonic() - last_prune > PRUNE_SECONDS:
                    last_prune = time.monotonic()
                    self.prune()
            except Exception:  # noqa: BLE001 - a failed poll is retried at the next one
                log.exception("library poll failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


__all__ = ["SharedLoginThrottle", "SharedRateLimiter", "SharedSessionSigner", "SharedState", "install"]
