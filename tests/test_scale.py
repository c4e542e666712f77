"""The scale flow on a small generated library with fake embeddings: the generator's documents
parse, a build embeds everything, adding a document embeds only its chunks, removing one deletes
only its chunks, and the generated questions are answered from the right document.

The same generator and flow as `scripts/scale_bench.py` (which measures them with real embeddings
on 200 documents)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from assistant.answer.chain import Assistant
from assistant.config import load_settings
from assistant.ingest.corpus import Corpus
from assistant.index.policy_index import build_index, document_chunks, sync_index
from assistant.ingest.library import add_document, remove_document
from assistant.models import DocumentMeta
from assistant.ingest.parsing import parse_policy

from .conftest import ROOT, FakeEmbeddings

N_DOCS = 6


def _load_script(name: str) -> ModuleType:
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_scale_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_library() -> ModuleType:
    return _load_script("make_library")


@pytest.fixture
def library(make_library: ModuleType, tmp_path: Path):  # noqa: ANN201 - (module, Library, paths)
    corpus, incoming = tmp_path / "corpus", tmp_path / "incoming"
    lib = make_library.write_library(corpus, N_DOCS, seed=11, n_articles=20, n_questions=50,
                                     extra=1, extra_dir=incoming, questions_path=tmp_path / "questions.json")
    return lib, corpus, incoming, tmp_path


def test_generator_is_deterministic_and_varied(make_library: ModuleType) -> None:
    a = make_library.generate(12, seed=3)
    b = make_library.generate(12, seed=3)
    assert [d.text for d in a.documents] == [d.text for d in b.documents]
    assert a.questions == b.questions
    assert [d.text for d in make_library.generate(12, seed=4).documents] != [d.text for d in a.documents]
    styles = {d.spec.style for d in a.documents}
    assert styles == set(make_library.STYLES)  # all six structural styles
    assert {d.spec.status for d in a.documents} == {"正式", "征求意见稿"} or len(a.documents) < 6
    assert len({d.spec.place.city for d in a.documents}) >= 3
    assert len({d.spec.industry.code for d in a.documents}) >= 5
    # From 20 documents on, a few come as a draft and the final version that replaces it.
    pairs = [d for d in make_library.generate(50, seed=3).documents if d.spec.version_of]
    assert pairs and all(d.meta["supersedes"] == [d.spec.version_of] for d in pairs)


def test_generated_documents_parse(library) -> None:  # noqa: ANN001
    lib, corpus, incoming, tmp = library
    texts = sorted(corpus.glob("*.txt"))
    assert len(texts) == N_DOCS
    styles = set()
    for path in texts + sorted(incoming.glob("*.txt")):
        parsed = parse_policy(path.read_text(encoding="utf-8"), str(path))  # no ParseError
        styles.add(parsed.style)
        assert len(parsed.body) >= 15, path.name
        assert all(120 <= len(a.text) <= 340 for a in parsed.body), path.name
        meta = path.with_name(path.stem + ".meta.json")
        if path.parent == corpus:
            data = DocumentMeta.model_validate(json.loads(meta.read_text(encoding="utf-8")))
            assert data.doc_id == path.stem and data.title and data.status in ("正式", "征求意见稿")
    assert {"cn", "tiao", "arabic"} <= styles
    corpus_obj = Corpus.load(corpus)  # the library loads as a corpus (unique doc_ids, metadata valid)
    assert len(corpus_obj.documents) == N_DOCS
    questions = json.loads((tmp / "questions.json").read_text(encoding="utf-8"))["questions"]
    assert 40 <= len(questions) <= 50
    for q in questions:  # each expected article exists and is the generated one
        art = corpus_obj.article(q["doc_id"], q["article"])
        assert art is not None and art.number > 0, q


@pytest.mark.slow
def test_build_add_remove_and_answer(library) -> None:  # noqa: ANN001
    lib, corpus, incoming, tmp = library
    settings = load_settings().with_(corpus_dir=corpus, index_dir=tmp / "index")
    emb = FakeEmbeddings()

    idx = build_index(settings, emb)
    n_chunks = idx.manifest["n_chunks"]
    assert idx.manifest["embedded"] == n_chunks == idx.collection.count()
    assert len(idx.documents) == N_DOCS

    # Incremental add: only the new document's chunks are embedded.
    new_path = sorted(incoming.glob("*.txt"))[0]
    added = add_document(corpus, new_path)
    idx2 = sync_index(settings, emb)
    new_doc = idx2.document(added.doc_id)
    assert new_doc is not None and added.articles >= 15
    new_ids = {c.chunk_id for c in document_chunks(new_doc)}
    assert idx2.manifest["embedded"] == len(new_ids) > 0
    assert idx2.manifest["deleted"] == 0
    assert set(idx2.manifest["chunk_ids"]) - set(idx.manifest["chunk_ids"]) == new_ids
    assert idx2.collection.count() == n_chunks + len(new_ids)

    # The new document answers questions about itself.
    assistant = Assistant(settings, embeddings=emb, index=idx2)
    for q in lib.extra_questions:
        answer = assistant.ask(q["question"])
        assert answer.citations and answer.citations[0].doc_id == added.doc_id, q

    # Removal deletes its chunks (and embeds nothing).
    victim = lib.documents[0].doc_id
    victim_chunks = [c for c in idx2.manifest["chunk_ids"] if c.startswith(victim + ":")]
    remove_document(corpus, victim)
    idx3 = sync_index(settings, emb)
    assert idx3.manifest["embedded"] == 0
    assert idx3.manifest["deleted"] == len(victim_chunks) > 0
    assert idx3.collection.get(where={"doc_id": victim}, include=[])["ids"] == []
    assert idx3.collection.count() == n_chunks + len(new_ids) - len(victim_chunks)
    assert idx3.document(victim) is None

    # Generated questions (those about documents still in the library) are answered from the
    # right document.
    assistant = Assistant(settings, embeddings=emb, index=idx3)
    questions = [q for q in lib.questions if q["doc_id"] != victim]
    doc_hits = art_hits = 0
    misses = []
    for q in questions:
        answer = assistant.ask(q["question"])
        top = (answer.citations[0].doc_id, answer.citations[0].article) if answer.citations else None
        doc_hits += bool(top) and top[0] == q["doc_id"]
        art_hits += top == (q["doc_id"], q["article"])
        if not top or top[0] != q["doc_id"]:
            misses.append((q["question"], q["doc_id"], top))
    doc_hit_at_1 = doc_hits / len(questions)
    print(f"\nsmall library: document hit@1 {doc_hit_at_1:.2f}, article hit@1 {art_hits / len(questions):.2f}")
    assert doc_hit_at_1 >= 0.8, misses
