"""The index: Chroma (dense vectors we compute ourselves) plus a BM25 index over jieba tokens.

`index/manifest.json` records the corpus hash and the embedding model; `open_index` rebuilds
automatically when either changed or the store is missing. With `POLICY_CHROMA_HOST` set, the same
code stores vectors in a Chroma server through `HttpClient`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from langchain_core.embeddings import Embeddings

from .config import Settings
from .corpus import corpus_hash, load_corpus
from .embeddings import model_id
from .errors import IndexUnavailableError
from .lexical import BM25, tokenize
from .models import Article, Chunk, Document

INDEX_VERSION = "3"
"""Bump when chunking or tokenisation changes: existing indexes then count as stale."""
COLLECTION = "policy_chunks"
CHUNK_CHARS = 320
"""Articles longer than this are also embedded as overlapping sentence windows."""

Progress = Callable[[str, int, int], None]


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。；！？ or a line break, each kept verbatim (delimiters included)."""
    out, buf = [], ""
    for ch in text:
        buf += ch
        if ch in "。；;！？!?\n":
            if buf.strip():
                out.append(buf)
            buf = ""
    if buf.strip():
        out.append(buf)
    return out


def article_chunks(article: Article, doc_title: str) -> list[Chunk]:
    """The article as one chunk, plus sentence windows when it is long."""
    head = f"{doc_title} {article.display}"
    chunks = [Chunk(f"{article.doc_id}:{article.number}:0", article.doc_id, article.number,
                    f"{head}\n{article.text}")]
    if len(article.text) > CHUNK_CHARS:
        window: list[str] = []
        for sent in split_sentences(article.text):
            window.append(sent)
            if sum(map(len, window)) >= CHUNK_CHARS // 2:
                chunks.append(Chunk(f"{article.doc_id}:{article.number}:{len(chunks)}",
                                    article.doc_id, article.number, f"{head}\n{''.join(window)}"))
                window = window[-1:]
        if len(window) > 1:
            chunks.append(Chunk(f"{article.doc_id}:{article.number}:{len(chunks)}",
                                article.doc_id, article.number, f"{head}\n{''.join(window)}"))
    return chunks


def lexical_text(article: Article) -> str:
    return f"{article.title}\n{article.text}"


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                       settings=chroma_settings)
        return chromadb.PersistentClient(path=str(settings.index_dir / "chroma"),
                                         settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - chroma raises many kinds; all mean "unavailable"
        where = (f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
                 else settings.index_dir / "chroma")
        raise IndexUnavailableError(f"cannot open the Chroma store at {where}: {exc}") from exc


@dataclass
class PolicyIndex:
    """An opened index: documents, articles, the BM25 index and the Chroma collection."""

    documents: list[Document]
    bm25: BM25
    collection: Any
    manifest: dict[str, Any]

    def __post_init__(self) -> None:
        self.articles: dict[str, Article] = {
            f"{a.doc_id}:{a.number}": a for d in self.documents for a in d.articles}
        self.doc_titles = {d.doc_id: d.title for d in self.documents}

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)

    def article(self, doc_id: str, number: int) -> Article | None:
        return self.articles.get(f"{doc_id}:{number}")

    def dense_scores(self, query_vector: list[float], n: int = 50) -> dict[str, float]:
        """Cosine similarity per article key (best chunk), from Chroma."""
        count = self.manifest.get("n_chunks", 0)
        try:
            res = self.collection.query(query_embeddings=[query_vector],
                                        n_results=max(1, min(n, count)),
                                        include=["metadatas", "distances"])
        except Exception as exc:  # noqa: BLE001
            raise IndexUnavailableError(f"the Chroma query failed: {exc}") from exc
        out: dict[str, float] = {}
        for meta, dist in zip(res["metadatas"][0], res["distances"][0]):
            key = f"{meta['doc_id']}:{meta['article']}"
            out[key] = max(out.get(key, -1.0), 1.0 - float(dist))
        return out


def expected_manifest(settings: Settings, embeddings: Embeddings) -> dict[str, Any]:
    return {"corpus_hash": corpus_hash(settings.corpus_dir, [INDEX_VERSION]),
            "embedding_model": model_id(embeddings), "index_version": INDEX_VERSION}


def _read_manifest(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_stale(settings: Settings, embeddings: Embeddings) -> bool:
    """True when the index is missing or was built from another corpus or model."""
    manifest = _read_manifest(settings.index_dir)
    if manifest is None or not (settings.index_dir / "lexical.json").exists():
        return True
    want = expected_manifest(settings, embeddings)
    return any(manifest.get(k) != v for k, v in want.items())


def build_index(settings: Settings, embeddings: Embeddings,
                progress: Progress = _quiet) -> PolicyIndex:
    """Parse the corpus, embed every chunk and write Chroma, BM25 and the manifest."""
    started = time.perf_counter()
    documents = load_corpus(settings.corpus_dir)
    manifest = expected_manifest(settings, embeddings)
    articles = [a for d in documents for a in d.articles]
    chunks = [c for d in documents for a in d.articles for c in article_chunks(a, d.title)]
    progress("parse", len(articles), len(articles))

    vectors: list[list[float]] = []
    step = 16
    for start in range(0, len(chunks), step):
        vectors.extend(embeddings.embed_documents([c.text for c in chunks[start:start + step]]))
        progress("embed", min(start + step, len(chunks)), len(chunks))

    bm25 = BM25([f"{a.doc_id}:{a.number}" for a in articles],
                [tokenize(lexical_text(a)) for a in articles])
    progress("lexical", len(articles), len(articles))

    index_dir = settings.index_dir
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        (index_dir / "manifest.json").unlink(missing_ok=True)
    except OSError as exc:
        raise IndexUnavailableError(f"cannot write the index at {index_dir}: {exc}") from exc
    client = _client(settings)
    try:
        try:
            client.delete_collection(COLLECTION)
        except Exception:  # noqa: BLE001 - absent collection
            pass
        collection = client.create_collection(
            COLLECTION, embedding_function=None,
            metadata={"hnsw:space": "cosine", "corpus_hash": manifest["corpus_hash"]})
        for start in range(0, len(chunks), 256):
            part = chunks[start:start + 256]
            collection.add(ids=[c.chunk_id for c in part],
                           embeddings=vectors[start:start + 256],
                           documents=[c.text for c in part],
                           metadatas=[{"doc_id": c.doc_id, "article": c.article} for c in part])
    except IndexUnavailableError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise IndexUnavailableError(f"cannot write the Chroma collection: {exc}") from exc
    progress("store", len(chunks), len(chunks))

    manifest.update({"n_chunks": len(chunks), "n_articles": len(articles),
                     "documents": [d.doc_id for d in documents],
                     "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "build_seconds": round(time.perf_counter() - started, 3)})
    (index_dir / "lexical.json").write_text(json.dumps(bm25.to_json(), ensure_ascii=False),
                                            encoding="utf-8")
    (index_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2),
                                             encoding="utf-8")
    return PolicyIndex(documents, bm25, collection, manifest)


def open_index(settings: Settings, embeddings: Embeddings, rebuild: bool = False,
               progress: Progress = _quiet) -> PolicyIndex:
    """The index, rebuilt first when it is missing, stale or `rebuild` is asked for."""
    if rebuild or is_stale(settings, embeddings):
        return build_index(settings, embeddings, progress)
    manifest = _read_manifest(settings.index_dir) or {}
    try:
        bm25 = BM25.from_json(json.loads((settings.index_dir / "lexical.json").read_text("utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        raise IndexUnavailableError(f"{settings.index_dir / 'lexical.json'}: unreadable ({exc})") from exc
    client = _client(settings)
    try:
        collection = client.get_collection(COLLECTION)
    except Exception:  # noqa: BLE001 - missing collection: rebuild
        return build_index(settings, embeddings, progress)
    if (collection.metadata or {}).get("corpus_hash") != manifest.get("corpus_hash"):
        return build_index(settings, embeddings, progress)
    documents = load_corpus(settings.corpus_dir)
    return PolicyIndex(documents, bm25, collection, manifest)
