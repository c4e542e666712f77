"""The index: dense vectors (our own embeddings, stored in Chroma) and a BM25 index over jieba tokens,
kept in step with the corpus one document at a time.

Chunk ids are content hashes, so syncing is a diff: chunks of a new or changed document are
embedded and added, chunks no document has any more are deleted, everything else is kept. The
same code runs against the local store (`index/chroma`) and a Chroma server (`POLICY_CHROMA_HOST`).
`index/manifest.json` (corpus hash, model, chunk ids per document) makes an unchanged index open
without any work; `index/lexical.json` keeps each document's tokens and the English bridge.
A damaged part (manifest, lexical file, local Chroma store) is rebuilt, never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..lang.bridge import build_bridge
from ..config import Settings
from ..ingest.corpus import Corpus, article_key, corpus_hash, document_hash, document_paths, fsync_dir
from .encoders import Encoder, model_id
from ..errors import IndexUnavailableError
from ..lang.lexical import BM25, tokenizer_for, typo_terms
from ..lang.tables import use_table_dir
from ..lang.sentences import split_sentences
from ..models import Article, Chunk, Document

log = logging.getLogger("policy-assistant.index")

INDEX_VERSION = "7"
"""Bump when chunking or tokenisation changes: existing indexes then count as stale."""
COLLECTION = "policy_chunks"
CHUNK_CHARS = 320
"""Articles longer than this are also embedded as overlapping sentence windows."""
EMBED_BATCH = 16
"""Chunks embedded per call (progress is reported after each batch)."""

Progress = Callable[[str, int, int], None]


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


def _chunk_id(doc_id: str, number: int, text: str) -> str:
    digest = hashlib.sha256(f"{doc_id}\n{number}\n{text}".encode()).hexdigest()[:20]
    return f"{doc_id}:{number}:{digest}"


def article_chunks(article: Article, doc_title: str) -> list[Chunk]:
    """The article as one chunk, plus sentence windows when it is long (ids are content hashes)."""
    head = f"{doc_title} {article.section} {article.display}" if article.section \
        else f"{doc_title} {article.display}"
    texts = [f"{head}\n{article.text}"]
    if len(article.text) > CHUNK_CHARS:
        window: list[str] = []
        for sent in split_sentences(article.text):
            window.append(sent)
            if sum(map(len, window)) >= CHUNK_CHARS // 2:
                texts.append(f"{head}\n{''.join(window)}")
                window = window[-1:]
        if len(window) > 1:
            texts.append(f"{head}\n{''.join(window)}")
    return [Chunk(_chunk_id(article.doc_id, article.number, t), article.doc_id, article.number, t)
            for t in dict.fromkeys(texts)]


def document_chunks(doc: Document) -> list[Chunk]:
    return [c for a in doc.articles for c in article_chunks(a, doc.title)]


def lexical_text(article: Article, doc_title: str = "") -> str:
    """What BM25 indexes for an article: its title and text, without the document's own title
    (an issuing notice repeats it three times; it says nothing about which article is meant)."""
    # A heading the article stands under (一、分担创新成本, 第二章 创新支持) goes with it.
    text = f"{article.section}\n{article.title}\n{article.text}" if article.section \
        else f"{article.title}\n{article.text}"
    # the longer form first (a set's order follows the process's hash seed: replacing the bare
    # title first would leave its bracket behind in some runs and not in others)
    for title in sorted({doc_title, re.sub(r"[(（][^)）]*[)）]$", "", doc_title)}, key=len, reverse=True):
        if len(title) >= 6:
            text = text.replace(title, " ")
    return text


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
        raise IndexUnavailableError(f"cannot open the Chroma store at {_where(settings)}: {exc}") from exc


def _where(settings: Settings) -> str:
    return (f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host
            else str(settings.index_dir / "chroma"))


class PolicyIndex:
    """An opened index over a corpus: BM25, the vectors in memory and (opened only when needed)
    the Chroma collection they are stored in."""

    def __init__(self, corpus: Corpus, bm25: BM25, collection: Any, manifest: dict[str, Any],
                 bridge: dict[str, list[str]] | None = None, chunk_keys: list[str] | None = None,
                 vectors: np.ndarray | None = None, typo_terms: list[str] | None = None) -> None:
        self.corpus = corpus
        self.bm25 = bm25
        self._collection = collection
        """The Chroma collection, or a function that opens it (a cold start never imports chromadb)."""
        self.manifest = manifest
        self.bridge = bridge or {}
        """English word → library terms (from CC-CEDICT, built with the index)."""
        self.chunk_keys = chunk_keys or []
        """Article key of each row of `vectors`."""
        self.vectors = vectors if vectors is not None else np.zeros((0, 1), dtype=np.float32)
        """Unit-length chunk vectors: dense similarity is exact over every chunk (no top-n cap)."""
        self.typo_terms = typo_terms
        """Library words a one-character typo may be corrected to (built with the index)."""
        self.__post_init__()

    @property
    def documents(self) -> list[Document]:
        return self.corpus.documents

    @property
    def articles(self) -> dict[str, Article]:
        return self.corpus.articles

    @property
    def doc_titles(self) -> dict[str, str]:
        return self.corpus.doc_titles

    def document(self, doc_id: str) -> Document | None:
        return self.corpus.document(doc_id)

    def article(self, doc_id: str, number: int) -> Article | None:
        return self.corpus.article(doc_id, number)

    @property
    def tokenizer(self) -> Any:
        return tokenizer_for(self.corpus.vocabulary.terms)

    @property
    def collection(self) -> Any:
        if callable(self._collection) and not hasattr(self._collection, "count"):
            self._collection = self._collection()
        return self._collection

    def __post_init__(self) -> None:
        self.article_list: list[Article] = list(self.corpus.articles.values())
        """Articles in index order (the order of BM25 documents and of every score array)."""
        self.position = {id(a): i for i, a in enumerate(self.article_list)}
        key_position = {k: i for i, k in enumerate(self.corpus.articles)}
        self.doc_position = {d.doc_id: i for i, d in enumerate(self.corpus.documents)}
        self.doc_of = np.asarray([self.doc_position[a.doc_id] for a in self.article_list], dtype=np.int64)
        self.doc_ranges: list[tuple[int, int]] = []
        start = 0
        for d in self.corpus.documents:
            self.doc_ranges.append((start, start + len(d.articles)))
            start += len(d.articles)
        self.chunk_article = np.asarray([key_position[k] for k in self.chunk_keys], dtype=np.int64)
        if self.bm25.doc_ids != list(self.corpus.articles):
            raise IndexUnavailableError("the lexical index does not match the corpus; run `policy-assistant index`")

    def dense_array(self, query_vector: list[float]) -> np.ndarray:
        """Cosine similarity per article (its best chunk), in index order, over every chunk."""
        out = np.full(len(self.article_list), -1.0)
        if not len(self.chunk_keys):
            return out
        q = np.asarray(query_vector, dtype=np.float32)
        sims = (self.vectors @ (q / (float(np.linalg.norm(q)) or 1.0))).astype(np.float64)
        np.maximum.at(out, self.chunk_article, sims)
        return out

    def dense_scores(self, query_vector: list[float]) -> dict[str, float]:
        """Cosine similarity per article key (its best chunk), over every chunk."""
        if not len(self.chunk_keys):
            return {}
        q = np.asarray(query_vector, dtype=np.float32)
        norm = float(np.linalg.norm(q)) or 1.0
        sims = self.vectors @ (q / norm)
        out: dict[str, float] = {}
        for key, sim in zip(self.chunk_keys, sims.tolist()):
            if sim > out.get(key, -2.0):
                out[key] = sim
        return out


# --- manifest and lexical files -----------------------------------------------------------------
def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_json(path: Path, data: Any) -> None:
    """Atomically: a reader never sees half a file, a crash never leaves one."""
    tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, ensure_ascii=False))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise IndexUnavailableError(f"cannot write {path}: {exc.strerror or exc}") from exc


def expected_manifest(settings: Settings, embeddings: Encoder) -> dict[str, Any]:
    return {"corpus_hash": corpus_hash(settings.corpus_dir, [INDEX_VERSION]),
            "embedding_model": model_id(embeddings), "index_version": INDEX_VERSION}


def is_stale(settings: Settings, embeddings: Encoder) -> bool:
    """True when the index is missing or was built from another corpus or model."""
    manifest = _read_json(settings.index_dir / "manifest.json")
    if manifest is None or not (settings.index_dir / "lexical.json").exists():
        return True
    want = expected_manifest(settings, embeddings)
    return any(manifest.get(k) != v for k, v in want.items())


# --- syncing --------------------------------------------------------------------------------------
def _collection(client: Any, settings: Settings, model: str, fresh: bool) -> Any:
    """The collection for this embedding model (recreated when asked or built by another model)."""
    try:
        if not fresh:
            try:
                coll = client.get_collection(COLLECTION)
                if (coll.metadata or {}).get("embedding_model") == model:
                    return coll
            except Exception:  # noqa: BLE001 - absent: create it below
                pass
        try:
            client.delete_collection(COLLECTION)
        except Exception:  # noqa: BLE001 - absent collection
            pass
        return client.create_collection(COLLECTION, embedding_function=None,
                                        metadata={"hnsw:space": "cosine", "embedding_model": model})
    except IndexUnavailableError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise IndexUnavailableError(f"cannot use the Chroma collection at {_where(settings)}: {exc}") from exc


def _existing_ids(collection: Any) -> set[str]:
    ids: set[str] = set()
    offset, page = 0, 5000
    while True:
        batch = collection.get(include=[], limit=page, offset=offset)["ids"]
        ids.update(batch)
        if len(batch) < page:
            return ids
        offset += page


def _sync_vectors(collection: Any, chunks: list[Chunk], embeddings: Encoder,
                  progress: Progress) -> tuple[int, int]:
    """Add the chunks the collection lacks and delete the ones no document has: (added, deleted)."""
    existing = _existing_ids(collection)
    wanted = {c.chunk_id for c in chunks}
    new = [c for c in chunks if c.chunk_id not in existing]
    stale = sorted(existing - wanted)
    for start in range(0, len(stale), 5000):
        collection.delete(ids=stale[start:start + 5000])
    total = len(new)
    progress("embed", 0, total)
    for start in range(0, total, EMBED_BATCH):
        part = new[start:start + EMBED_BATCH]
        vectors = embeddings.embed_documents([c.text for c in part])
        collection.add(ids=[c.chunk_id for c in part], embeddings=vectors,
                       documents=[c.text for c in part],
                       metadatas=[{"doc_id": c.doc_id, "article": c.article} for c in part])
        progress("embed", min(start + EMBED_BATCH, total), total)
    return total, len(stale)


def _load_vectors(collection: Any, chunks: list[Chunk]) -> tuple[list[str], np.ndarray]:
    ids = [c.chunk_id for c in chunks]
    keys = {c.chunk_id: f"{c.doc_id}:{c.article}" for c in chunks}
    rows: dict[str, Any] = {}
    for start in range(0, len(ids), 5000):
        got = collection.get(ids=ids[start:start + 5000], include=["embeddings"])
        rows.update(zip(got["ids"], got["embeddings"]))
    missing = [i for i in ids if i not in rows]
    if missing:
        raise IndexUnavailableError(f"{len(missing)} chunks are missing from the Chroma collection")
    matrix = np.asarray([rows[i] for i in ids], dtype=np.float32).reshape(len(ids), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return [keys[i] for i in ids], matrix / norms


def _lexical(corpus: Corpus, old: dict[str, Any] | None, hashes: dict[str, str],
             progress: Progress, index_dir: Path | None = None) -> tuple[dict[str, Any], BM25, dict[str, list[str]]]:
    """Tokens per document (reused while a document and the vocabulary are unchanged), the BM25
    index over all articles, and the English bridge (rebuilt when the library's words change)."""
    tok = tokenizer_for(corpus.vocabulary.terms)
    vocab_hash = hashlib.sha256("\n".join(corpus.vocabulary.terms).encode()).hexdigest()
    reuse = old if old and old.get("vocab_hash") == vocab_hash and old.get("version") == INDEX_VERSION else {}
    docs_old = reuse.get("docs", {}) if reuse else {}
    docs: dict[str, Any] = {}
    n = len(corpus.documents)
    for i, doc in enumerate(corpus.documents, 1):
        cached = docs_old.get(doc.doc_id)
        if cached and cached.get("hash") == hashes[doc.doc_id]:
            docs[doc.doc_id] = cached
        else:
            docs[doc.doc_id] = {"hash": hashes[doc.doc_id],
                                "articles": {article_key(a): tok.cut(lexical_text(a, doc.title))
                                             for a in doc.articles},
                                "terms": sorted({t for a in doc.articles
                                                 for t in typo_terms(f"{a.title}\n{a.text}".lower(), tok)})}
            progress("lexical", i, n)
    keys = [k for d in corpus.documents for k in docs[d.doc_id]["articles"]]
    tokens = [docs[d.doc_id]["articles"][k] for d in corpus.documents for k in docs[d.doc_id]["articles"]]
    bm25 = BM25(keys, tokens)
    terms = sorted(set(corpus.vocabulary.terms) | {t for ts in tokens for t in ts if len(t) >= 2})
    terms_hash = hashlib.sha256("\n".join(terms).encode()).hexdigest()
    if reuse.get("terms_hash") == terms_hash and isinstance(reuse.get("bridge"), dict):
        bridge = reuse["bridge"]
    else:
        progress("bridge", 0, 1)
        bridge = build_bridge(terms, cedict_cache(index_dir))
        progress("bridge", 1, 1)
    data = {"version": INDEX_VERSION, "vocab_hash": vocab_hash, "terms_hash": terms_hash,
            "docs": docs, "bridge": bridge}
    return data, bm25, bridge


def _is_damaged_store(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("sqlite", "database", "malformed", "corrupt", "hnsw", "segment",
                                   "no such table", "disk image", "not a database", "pickle",
                                   "unpickl", "eof", "index"))


def sync_index(settings: Settings, embeddings: Encoder, corpus: Corpus | None = None,
               rebuild: bool = False, progress: Progress = _quiet) -> PolicyIndex:
    """Bring the index in step with the corpus (only what changed) and open it."""
    try:
        return _sync(settings, embeddings, corpus, rebuild, progress)
    except IndexUnavailableError as exc:
        if settings.chroma_host or rebuild or not _is_damaged_store(exc.__cause__ or exc):
            raise
        # A damaged local store is regenerated from the corpus (the corpus is the truth).
        log.warning("the local Chroma store is damaged (%s); rebuilding it", exc)
        shutil.rmtree(settings.index_dir / "chroma", ignore_errors=True)
        (settings.index_dir / "manifest.json").unlink(missing_ok=True)
        _forget_clients()  # (Chroma keeps the removed store's system per path: it would still hold its collection)
        return _sync(settings, embeddings, corpus, True, progress)


def _forget_clients() -> None:
    """Drop Chroma's per-path systems of this process, so a store removed from disk is opened anew."""
    try:
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    except Exception:  # noqa: BLE001 - an older or newer chromadb without it: nothing cached to drop
        pass


def _sync(settings: Settings, embeddings: Encoder, corpus: Corpus | None, rebuild: bool,
          progress: Progress) -> PolicyIndex:
    started = time.perf_counter()
    index_dir = settings.index_dir
    use_table_dir(index_dir)
    with contextlib.suppress(OSError):  # a failure is reported below, after the corpus is read
        index_dir.mkdir(parents=True, exist_ok=True)
    given = corpus is not None
    corpus = corpus or Corpus.load(settings.corpus_dir, cache=documents_cache(settings))
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailableError(f"cannot write the index at {index_dir}: {exc.strerror or exc}") from exc
    want = expected_manifest(settings, embeddings)
    old = None if rebuild else _read_json(index_dir / "manifest.json")
    hashes = {d.doc_id: document_hash(Path(d.path)) for d in corpus.documents}
    chunks = [c for d in corpus.documents for c in document_chunks(d)]
    unchanged = old is not None and bool(old) and all(old.get(k) == v for k, v in want.items()) \
        and old.get("chunk_ids") == [c.chunk_id for c in chunks]
    if not unchanged:
        progress("parse", len(corpus.articles), len(corpus.articles))
    vectors_key = hashlib.sha256(("\n".join(c.chunk_id for c in chunks) + want["embedding_model"])
                                 .encode()).hexdigest()
    cached = _cached_vectors(index_dir, vectors_key) if unchanged and old and \
        old.get("vectors_hash") == vectors_key else None
    if cached is not None and cached.shape[0] != len(chunks):
        cached = None
    added = deleted = 0
    if cached is not None:
        # Nothing changed: the vectors come from index/vectors.npy and Chroma is not even opened.
        keys = [f"{c.doc_id}:{c.article}" for c in chunks]
        vectors: np.ndarray = cached
        collection: Any = lambda: _collection(_client(settings), settings, want["embedding_model"], False)  # noqa: E731
    else:
        client = _client(settings)
        collection = _collection(client, settings, want["embedding_model"], fresh=rebuild)
        try:
            if not unchanged or collection.count() != len(chunks):
                added, deleted = _sync_vectors(collection, chunks, embeddings, progress)
            progress("store", len(chunks), len(chunks))
            keys, vectors = _load_vectors(collection, chunks)
        except IndexUnavailableError:
            raise
        except Exception as exc:  # noqa: BLE001 - chroma raises many kinds
            raise IndexUnavailableError(f"the Chroma store at {_where(settings)} failed: {exc}") from exc
        _save_vectors(index_dir, vectors)

    lexical_old = None if rebuild else _read_json(index_dir / "lexical.json")
    lexical, bm25, bridge = _lexical(corpus, lexical_old, hashes, progress, index_dir)
    if lexical != lexical_old:
        _write_json(index_dir / "lexical.json", lexical)
    manifest = dict(want)
    if given and sorted(hashes.values()) != sorted(document_hash(p) for p in document_paths(settings.corpus_dir)):
        # A part of the library (see ready_corpus): the index is not current for the whole of it.
        manifest["corpus_hash"] = "part-" + hashlib.sha256("".join(sorted(hashes.values())).encode()).hexdigest()
    manifest.update({"n_chunks": len(chunks), "n_articles": len(corpus.articles),
                     "documents": {d.doc_id: hashes[d.doc_id] for d in corpus.documents},
                     "chunk_ids": [c.chunk_id for c in chunks],
                     "embedded": added, "deleted": deleted,
                     "built_at": (old or {}).get("built_at") if unchanged else time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "build_seconds": (old or {}).get("build_seconds") if unchanged and old
                     else round(time.perf_counter() - started, 3),
                     "vectors_hash": vectors_key})
    if manifest != old:
        _write_json(index_dir / "manifest.json", manifest)
    terms = sorted({t for d in lexical["docs"].values() for t in d.get("terms", ())})
    return PolicyIndex(corpus, bm25, collection, manifest, bridge, keys, vectors, terms)


VECTORS_FILE = "vectors.npy"
DOCUMENTS_FILE = "documents.pickle"


def documents_cache(settings: Settings) -> Path:
    """Where the index keeps the parsed documents of its corpus (see `corpus._load_documents`)."""
    return settings.index_dir / DOCUMENTS_FILE


def cedict_cache(index_dir: Path | None) -> Path | None:
    """Where the English-bridge table (derived from CC-CEDICT, the same for every library) is
    kept: the user's cache directory, shared by every index on the machine; else the index."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy-assistant"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base / "cedict-en.json"
    except OSError:
        pass
    return index_dir / "cedict-en.json" if index_dir else None


def _cached_vectors(index_dir: Path, key: str) -> np.ndarray | None:
    """The chunk vectors saved by the last sync (None when missing or damaged: empty or cut short
    by a power loss — np.load raises EOFError then — or not an array of vectors)."""
    try:
        data = np.load(index_dir / VECTORS_FILE, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    return data if isinstance(data, np.ndarray) and data.ndim == 2 and data.dtype.kind == "f" else None


def _save_vectors(index_dir: Path, vectors: np.ndarray) -> None:
    tmp = index_dir / f"vectors.{os.getpid()}.tmp.npy"
    try:
        with open(tmp, "wb") as handle:
            np.save(handle, vectors.astype(np.float32), allow_pickle=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, index_dir / VECTORS_FILE)
        fsync_dir(index_dir)
    except OSError:
        tmp.unlink(missing_ok=True)  # only a cache: the next start reads Chroma


def ready_corpus(settings: Settings, embeddings: Encoder) -> Corpus | None:
    """The part of the library the index already holds, when some document is new or changed
    since it was built (an upload cut short by a crash): a server can answer from this part at
    once and sync the rest in the background. None when there is nothing to defer (the index is
    current, missing, of another model, or holds none of the documents)."""
    old = _read_json(settings.index_dir / "manifest.json")
    want = expected_manifest(settings, embeddings)
    if not old or any(old.get(k) != want[k] for k in ("embedding_model", "index_version")) \
            or old.get("corpus_hash") == want["corpus_hash"]:
        return None
    known = old.get("documents") or {}
    try:
        corpus = Corpus.load(settings.corpus_dir, cache=documents_cache(settings))
    except Exception:  # noqa: BLE001 - the full sync reports a broken library
        return None
    kept = [d for d in corpus.documents if known.get(d.doc_id) == document_hash(Path(d.path))]
    if not kept or len(kept) == len(corpus.documents):
        return None
    from ..ingest.corpus import Vocabulary, vocab_path

    vocab = Vocabulary.merge(Vocabulary.load(vocab_path(Path(d.path))) for d in kept)
    return Corpus(kept, vocab, settings.corpus_dir)


def build_index(settings: Settings, embeddings: Encoder, progress: Progress = _quiet) -> PolicyIndex:
    """A full rebuild: every chunk embedded again."""
    return sync_index(settings, embeddings, rebuild=True, progress=progress)


def open_index(settings: Settings, embeddings: Encoder, rebuild: bool = False,
               progress: Progress | None = None) -> PolicyIndex:
    """The index, synced first (only what changed is embedded again); no progress reports when
    `progress` is None."""
    return sync_index(settings, embeddings, rebuild=rebuild, progress=progress or _quiet)


__all__ = ["PolicyIndex", "article_chunks", "build_index", "document_chunks", "document_paths", "documents_cache",
           "expected_manifest", "is_stale", "open_index", "split_sentences", "sync_index"]
