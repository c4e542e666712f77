"""The library on disk as the assistant last loaded it: a fingerprint every view follows, a change
on disk loaded once its files settle, and one lock around every reload (the watcher's, an upload's,
another instance's)."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger("policy-assistant.ui")
SETTLE_SECONDS = 1.0
"""A changed library is loaded when its files have not changed for this long (an `add` writes
several files)."""


def library_state(corpus_dir: Path) -> tuple[str, float]:
    """(a hash of the library files' names, sizes and modification times, the newest of those
    times): one directory scan."""
    h = hashlib.sha256()
    try:
        entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                         for e in Path(corpus_dir).iterdir() if e.is_file() and not e.name.startswith("."))
    except OSError:
        entries = []
    for e in entries:
        h.update(repr(e).encode())
    return h.hexdigest(), max((e[2] / 1e9 for e in entries), default=0.0)


def library_signature(corpus_dir: Path) -> str:
    return library_state(corpus_dir)[0]


class LibraryWatch:
    """The loaded library's version, and the reloads that move it."""

    def __init__(self, assistant: Any) -> None:
        self.assistant = assistant
        self._lock = threading.Lock()
        self._loaded = library_signature(assistant.settings.corpus_dir)
        """The library on disk as the assistant last loaded it."""
        self._checked = 0.0

    def version(self) -> str:
        """A short fingerprint of the loaded library. A change on disk (an upload, or `add` by
        another process on the same corpus) is loaded once its files are `SETTLE_SECONDS` old,
        checked at most once a second, so every view can follow without a restart."""
        now = time.monotonic()
        if now - self._checked >= 1.0 and self._lock.acquire(blocking=False):
            try:
                self._checked = now
                current, newest = library_state(self.assistant.settings.corpus_dir)
                if current != self._loaded and time.time() - newest >= SETTLE_SECONDS:
                    try:
                        self.assistant.reload()
                        self._loaded = current
                    except Exception:  # noqa: BLE001 - a half-written document: try again later
                        log.exception("reloading the library failed")
            finally:
                self._lock.release()
        return self._loaded[:12]

    def reload(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Load the library as it is on disk now (after an upload, or another instance's change);
        the watcher waits meanwhile."""
        with self._lock:
            self.assistant.reload(progress)
            self._loaded = library_signature(self.assistant.settings.corpus_dir)
