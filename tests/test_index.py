from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import IndexUnavailableError, ParseError
from assistant.index.policy_index import article_chunks, build_index, is_stale, open_index
from assistant.retrieve.langchain_retriever import PolicyRetriever

from .conftest import FIXTURES, FakeEmbeddings


def _settings(corpus: Path, index: Path):
    return load_settings().with_(corpus_dir=corpus, index_dir=index)


def test_build_writes_manifest_and_reports_progress(corpus_copy: Path, tmp_path: Path) -> None:
    seen: list[str] = []
    s = _settings(corpus_copy, tmp_path / "idx")
    idx = build_index(s, FakeEmbeddings(), progress=lambda stage, done, total: seen.append(stage))
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["embedding_model"] == "fake:bigram-hash-256"
    assert manifest["n_articles"] == 19 and manifest["n_chunks"] >= 19
    assert idx.collection.count() == manifest["n_chunks"]
    assert {"parse", "embed", "lexical", "store"} <= set(seen)
    assert not is_stale(s, FakeEmbeddings())
    seen.clear()
    open_index(s, FakeEmbeddings(), progress=lambda stage, done, total: seen.append(stage))
    assert seen == []  # an index in step with the corpus reports no work


def test_stale_index_is_rebuilt_when_the_corpus_changes(corpus_copy: Path, tmp_path: Path) -> None:
    s = _settings(corpus_copy, tmp_path / "idx")
    emb = FakeEmbeddings()
    first = open_index(s, emb)
    assert not is_stale(s, emb)
    policy = corpus_copy / "hangzhou-intelligent-robots-2024-draft.txt"
    policy.write_text(policy.read_text(encoding="utf-8")
                      + "\n19、新增条款示例。支持机器人量子导航。(责任单位:市经信局)\n", encoding="utf-8")
    assert is_stale(s, emb)
    second = open_index(s, emb)
    assert second.manifest["corpus_hash"] != first.manifest["corpus_hash"]
    assert second.article("hz-robots-2024-draft", 19) is not None
    hits = PolicyRetriever(index=second, embeddings=emb).retrieve("量子导航有支持吗?").hits
    assert hits[0].article.number == 19


def test_model_change_makes_index_stale(corpus_copy: Path, tmp_path: Path) -> None:
    s = _settings(corpus_copy, tmp_path / "idx")
    open_index(s, FakeEmbeddings())

    class Other(FakeEmbeddings):
        model_id = "fake:other"

    assert is_stale(s, Other())


def test_missing_store_is_rebuilt(corpus_copy: Path, tmp_path: Path) -> None:
    s = _settings(corpus_copy, tmp_path / "idx")
    open_index(s, FakeEmbeddings())
    (tmp_path / "idx" / "lexical.json").unlink()
    idx = open_index(s, FakeEmbeddings())
    assert (tmp_path / "idx" / "lexical.json").exists() and len(idx.articles) == 19


def test_second_document_indexes_without_code_changes(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "drones.txt").write_text((FIXTURES / "tiao.txt").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    s = _settings(corpus_copy, tmp_path / "idx")
    idx = open_index(s, FakeEmbeddings())
    assert sorted(d.doc_id for d in idx.documents) == ["drones", "hz-robots-2024-draft"]
    hit = PolicyRetriever(index=idx, embeddings=FakeEmbeddings()).retrieve("无人机适航认证奖励多少?").hits[0]
    assert (hit.article.doc_id, hit.article.number) == ("drones", 2)


def test_unstructured_document_is_indexed_as_one_unit(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "notes.txt").write_text("随便写的一段话。\n没有条款。\n", encoding="utf-8")
    index = open_index(_settings(corpus_copy, tmp_path / "idx"), FakeEmbeddings())
    notes = index.corpus.document("notes")
    assert notes is not None and [(a.number, a.kind) for a in notes.articles] == [(0, "preamble")]


def test_empty_document_fails_the_build_naming_it(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "notes.txt").write_text("\n \n", encoding="utf-8")
    with pytest.raises(ParseError, match="notes.txt"):
        open_index(_settings(corpus_copy, tmp_path / "idx"), FakeEmbeddings())


def test_unwritable_index_dir(corpus_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(IndexUnavailableError):
        build_index(_settings(corpus_copy, blocker / "idx"), FakeEmbeddings())


def test_long_articles_get_sentence_windows() -> None:
    from assistant.models import Article

    text = "。".join(f"第{i}句话讲的是一项具体的支持措施内容" for i in range(40)) + "。"
    chunks = article_chunks(Article("d", 1, "标题", text), "文件")
    assert len(chunks) > 2
    assert all(c.article == 1 and c.text.startswith("文件 第1条 标题") for c in chunks)


@pytest.mark.slow
def test_chroma_server_through_http_client(corpus_copy: Path, tmp_path: Path) -> None:
    """POLICY_CHROMA_HOST switches the same code to Chroma's HttpClient (a real server here)."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    from .conftest import free_port

    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(chroma).exists():
        pytest.skip("the chroma server command is not installed")
    port = free_port()
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        s = _settings(corpus_copy, tmp_path / "idx").with_(chroma_host="127.0.0.1", chroma_port=port)
        idx = open_index(s, FakeEmbeddings())
        assert idx.collection.count() == idx.manifest["n_chunks"]
        assert not (tmp_path / "idx" / "chroma").exists()  # nothing stored locally but the manifest
        again = open_index(s, FakeEmbeddings())  # reopened from the server, not rebuilt
        assert again.manifest["built_at"] == idx.manifest["built_at"]
        hit = PolicyRetriever(index=again, embeddings=FakeEmbeddings()).retrieve("手术机器人有政策支持吗?").hits[0]
        assert hit.article.number == 11
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_unreachable_chroma_server_is_a_clear_error(corpus_copy: Path, tmp_path: Path) -> None:
    from .conftest import free_port

    s = _settings(corpus_copy, tmp_path / "idx").with_(chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(IndexUnavailableError, match="Chroma"):
        build_index(s, FakeEmbeddings())


def test_sparse_bm25_matches_the_formula() -> None:
    import math
    import random
    from collections import Counter

    from assistant.lang.lexical import BM25

    rng = random.Random(0)
    docs = [[rng.choice("abcdefghij") for _ in range(rng.randint(1, 30))] for _ in range(60)]
    bm25 = BM25([str(i) for i in range(60)], docs)
    n, avg = len(docs), sum(map(len, docs)) / len(docs)
    df = Counter(t for d in docs for t in set(d))
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    query, weights = ["a", "c", "c", "zz"], [1.0, 0.5, 0.2, 1.0]
    expected = []
    for d in docs:
        tf, norm = Counter(d), 1.5 * (1 - 0.75 + 0.75 * len(d) / avg)
        expected.append(sum(w * idf[t] * tf[t] * 2.5 / (tf[t] + norm) for t, w in zip(query, weights) if tf[t]))
    assert max(abs(a - b) for a, b in zip(bm25.scores(query, weights), expected)) < 1e-12


def test_unchanged_index_opens_from_its_vector_cache(corpus_copy: Path, tmp_path: Path) -> None:
    s = _settings(corpus_copy, tmp_path / "idx")
    first = open_index(s, FakeEmbeddings())
    assert (tmp_path / "idx" / "vectors.npy").exists()
    again = open_index(s, FakeEmbeddings())
    assert not hasattr(again._collection, "count")  # Chroma not opened: vectors from the cache
    assert (again.vectors == first.vectors).all() and again.manifest["embedded"] == 0
    (tmp_path / "idx" / "vectors.npy").write_bytes(b"damaged")
    repaired = open_index(s, FakeEmbeddings())
    assert repaired.vectors.shape == first.vectors.shape and repaired.collection.count() == first.manifest["n_chunks"]
