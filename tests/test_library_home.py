"""Web round 25: a library whose added documents sort before the seed's file. The library's own
policy (the one with rule data) stays its first document — in every listing, the document picker,
and for a question about "this policy" that names no document and no topic."""

from __future__ import annotations

import shutil

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.library import add_document

from .conftest import CORPUS, FIXTURES, FakeEmbeddings


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("web25")
    shutil.copytree(CORPUS, root / "corpus")
    add_document(root / "corpus", FIXTURES / "real-r38" / "beijing-jingkai-aiyuansheng.txt")
    return Assistant(load_settings().with_(corpus_dir=root / "corpus", index_dir=root / "index"),
                     embeddings=FakeEmbeddings())


def test_the_library_s_own_policy_comes_first(library: Assistant) -> None:
    ids = [d.doc_id for d in library.corpus.documents]
    assert ids == ["hz-robots-2024-draft", "beijing-jingkai-aiyuansheng"]
    assert [d.doc_id for d in library.corpus.listing][0] == "hz-robots-2024-draft"


def test_a_reposted_page_is_titled_by_the_document_it_reposts(library: Assistant) -> None:
    doc = library.corpus.document("beijing-jingkai-aiyuansheng")
    assert doc is not None and doc.title == "北京经济技术开发区关于加快打造AI原生产业创新高地的若干政策"


def test_this_policy_without_a_name_or_topic_is_the_library_s_own(library: Assistant) -> None:
    answer = library.ask("这个政策现在正式生效了吗?")
    assert answer.found and (answer.citations[0].doc_id, answer.citations[0].article) == ("hz-robots-2024-draft", 0)
    assert answer.answer.startswith("《杭州市促进智能机器人产业高质量发展的实施意见(征求意见稿)》目前是征求意见稿")
    topical = library.ask("算力券这个政策现在生效了吗")
    assert topical.citations[0].doc_id == "beijing-jingkai-aiyuansheng"
