"""The policy library in `corpus/`: documents parsed into articles, their metadata and vocabulary.

A document is a UTF-8 `<stem>.txt` (written by `policy-assistant add` from .txt/.docx/.pdf/.html)
with, beside it, `<stem>.meta.json` (title, 文号, status, dates, contact, jurisdiction, aliases,
supersedes), `<stem>.vocab.json` (terms, synonyms, English glossary) and `<stem>.rules.json`
(calculators). What the metadata file does not say is read from the text itself. The library's
own texts for its pages and answers are `site.json` (see `site`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import CorpusError
from ..lang.cues import data, pattern
from .metadata import DRAFT_STATUSES, REPEALED, read_metadata
from ..models import DRAFTS, Article, Document, DocumentMeta
from .parsing import ParsedArticle, parse_policy, title_bigrams
from .site import load_site

M = TypeVar("M", bound=BaseModel)


def parse_text(text: str, doc_id: str, path: str = "<text>") -> list[Article]:
    """Parse a policy text into articles (see `parsing.parse_policy`); ParseError names the file
    when no article structure is found."""
    return [_article(doc_id, a) for a in parse_policy(text, path).articles]


def _article(doc_id: str, a: ParsedArticle) -> Article:
    return Article(doc_id, a.number, a.title, a.text, a.departments, label=a.label,
                   section=a.section, kind=a.kind)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read the policy text ({exc})") from exc


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{path}: invalid {what} ({exc})") from exc


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ())) or "file"
    return f"{where}: {err.get('msg')}"


def _load_model(path: Path, model: type[M], what: str) -> M:
    """A JSON file beside a document, validated by its model (an empty model when there is none)."""
    if not path.exists():
        return model()
    raw = _read_json(path, what)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise CorpusError(f"{path}: invalid {what} ({_validation_message(exc)})") from exc


def load_meta(path: Path) -> DocumentMeta:
    """The metadata file of a document (an empty model when there is none)."""
    return _load_model(path, DocumentMeta, "metadata")


def load_document(path: Path) -> Document:
    """Load one `.txt` policy document: its articles, and its metadata (the `.meta.json`, with
    what the text itself states filling the fields the file leaves out)."""
    text = _read_text(path)
    meta = load_meta(meta_path(path))
    doc_id = meta.doc_id or path.stem
    parsed = parse_policy(text, str(path))
    meta = merged_meta(meta, text, parsed)
    articles = [_article(doc_id, a) for a in parsed.articles]
    title = (meta.title or _guess_title(text)
             or (articles[0].title if articles[0].number == 0 else "") or path.stem)
    return Document(doc_id=doc_id, title=title, path=str(path), articles=articles, meta=meta)


def merged_meta(meta: DocumentMeta, text: str, parsed: Any = None) -> DocumentMeta:
    """The metadata file's fields, with the ones it leaves out read from the text."""
    found = read_metadata(text, parsed).to_meta_dict()
    given = meta.model_dump(exclude_unset=True, exclude_defaults=True)
    try:
        return DocumentMeta.model_validate({**found, **given})
    except ValidationError:
        return meta


def meta_path(text_path: Path) -> Path:
    return text_path.with_name(text_path.stem + ".meta.json")


def vocab_path(text_path: Path) -> Path:
    return text_path.with_name(text_path.stem + ".vocab.json")


def _guess_title(text: str) -> str:
    m = re.search(r"《([^》]{4,80})》", text)
    return m.group(1) if m else ""


def document_paths(corpus_dir: Path) -> list[Path]:
    """The policy texts in a corpus directory: the library's own policies first — those with rule
    data (`<stem>.rules.json`) beside them, whose calculators the assistant answers amounts with —,
    then the others, each group sorted by name. The first is the document a question about "this
    policy" means when it names none."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus directory not found")
    paths = sorted((p for p in corpus_dir.glob("*.txt") if p.is_file()),
                   key=lambda p: (not p.with_name(p.stem + ".rules.json").is_file(), p.name))
    if not paths:
        raise CorpusError(f"{corpus_dir}: no policy texts (*.txt) in the corpus directory")
    return paths


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@lru_cache(maxsize=1)
def _parser_key() -> str:
    """Changes whenever the code that turns a text into a Document changes."""
    here = Path(__file__).parent
    return hashlib.sha256(b"".join(f.read_bytes() for f in
                                   (here / "corpus.py", here / "parsing.py", here / "metadata.py",
                                    here.parent / "models.py"))).hexdigest()


def write_synced(path: Path, text: str) -> None:
    """Write and fsync (a power loss after the rename must not leave an empty file)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(directory: Path) -> None:
    """Make renames inside `directory` durable (best effort where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _load_documents(paths: list[Path], cache: Path | None) -> list[Document]:
    """The documents, parsed again only when a text or its metadata file changed since the
    parse kept in `cache` (a pickle beside the index: 0.02 s instead of 0.35 s for 200 documents
    when a command starts)."""
    if cache is None:
        return [load_document(p) for p in paths]
    try:
        kept = pickle.loads(cache.read_bytes())
        if not isinstance(kept, dict) or kept.get("key") != _parser_key():
            kept = {}
    except Exception:  # noqa: BLE001 - a missing or damaged cache is only slower
        kept = {}
    old: dict[str, Any] = kept.get("docs", {}) if kept else {}
    docs, fresh, changed = [], {}, False
    for p in paths:
        stamp = (_stamp(p), _stamp(meta_path(p)))
        hit = old.get(str(p))
        if hit is not None and hit[0] == stamp:
            doc = hit[1]
        else:
            doc, changed = load_document(p), True
        docs.append(doc)
        fresh[str(p)] = (stamp, doc)
    if changed or set(fresh) != set(old):
        try:
            tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps({"key": _parser_key(), "docs": fresh}, protocol=5))
            os.replace(tmp, cache)
        except OSError:
            pass  # only a cache
    return docs


def load_corpus(corpus_dir: Path, cache: Path | None = None) -> list[Document]:
    """Every document in the corpus directory; doc_ids must be unique."""
    docs = _load_documents(document_paths(corpus_dir), cache)
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.doc_id in seen:
            raise CorpusError(f"{doc.path}: doc_id {doc.doc_id!r} is already used by {seen[doc.doc_id]}")
        seen[doc.doc_id] = doc.path
    return docs


HASHED_SUFFIXES = (".txt", ".meta.json", ".vocab.json")
"""Files whose bytes the index depends on (rule files do not change the index)."""


def document_hash(text_path: Path) -> str:
    """SHA-256 over one document's text, metadata and vocabulary (names and bytes)."""
    h = hashlib.sha256()
    for p in (text_path, meta_path(text_path), vocab_path(text_path)):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def corpus_hash(corpus_dir: Path, extra: Iterable[str] = ()) -> str:
    """SHA-256 over every document's hash and extra strings, for staleness checks."""
    h = hashlib.sha256()
    for p in document_paths(corpus_dir):
        h.update(document_hash(p).encode())
    for item in extra:
        h.update(item.encode())
    return h.hexdigest()


class Vocabulary(BaseModel):
    """`<stem>.vocab.json`: a document's own words for the tokenizer and the query."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    terms: tuple[str, ...] = ()
    """Multi-character policy terms the tokenizer keeps whole."""
    synonyms: dict[str, tuple[str, ...]] = {}
    """Everyday word → the document's own terms (query expansion; counted as present)."""
    english: dict[str, tuple[str, ...]] = {}
    """English word → the document's Chinese terms."""

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        return _load_model(path, cls, "vocabulary")

    @classmethod
    def merge(cls, parts: Iterable["Vocabulary"]) -> "Vocabulary":
        terms: dict[str, None] = {}
        syn: dict[str, dict[str, None]] = {}
        eng: dict[str, dict[str, None]] = {}
        for v in parts:
            terms.update(dict.fromkeys(v.terms))
            for src, dst in ((v.synonyms, syn), (v.english, eng)):
                for k, vals in src.items():
                    dst.setdefault(k.lower(), {}).update(dict.fromkeys(vals))
        return cls(terms=tuple(terms), synonyms={k: tuple(v) for k, v in syn.items()},
                   english={k: tuple(v) for k, v in eng.items()})

    def expansions(self, word: str) -> tuple[str, ...]:
        """The library terms an everyday or English word stands for."""
        from ..lang.bridge import english_keys

        w = word.lower()
        out = self.synonyms.get(w, ())
        for key in english_keys(w) if w.isascii() else ():
            out += self.english.get(key, ())
            if key != w:  # (AMRs: the synonym of AMR)
                out += self.synonyms.get(key, ())
        return tuple(dict.fromkeys(out))


def department_short_name(name: str) -> str:
    """The short name callers give a department (市投资促进局 → 投促局, 市发展和改革委员会 → 发改委):
    the first character of each part of its name and its unit's short ending; '' when the name is
    short already (经信局) or its parts cannot be told."""
    words = data("document_text.json")
    core = name[1:] if name[:1] in words["area_levels"] else name  # (市投资促进局: the city's)
    for unit, short in words["department_units"]:
        if core.endswith(unit) and len(core) > len(unit):
            body = core[:-len(unit)]
            parts = body.split(words["department_joiner"])
            if len(parts) == 1 and len(body) == SHORT_NAME_BODY:
                parts = [body[:2], body[2:]]
            if len(parts) < 2 or any(len(p) < 2 for p in parts):
                return ""
            return "".join(p[0] for p in parts) + short
    return ""


SHORT_NAME_BODY = 4
"""The length of a department's name before its unit that is two two-character words (投资促进)."""


def _with_short_names(vocabulary: Vocabulary, documents: list[Document]) -> Vocabulary:
    """The vocabulary with the short names of the departments the articles name (投促局 → 市投资促进局)
    as words the tokenizer keeps whole and synonyms of the full names."""
    names = {d for doc in documents for a in doc.articles for d in a.departments}
    short = {s: n for n in sorted(names) if (s := department_short_name(n)) and s not in names
             and f"市{s}" not in names}
    if not short:
        return vocabulary
    return Vocabulary.merge([vocabulary, Vocabulary(terms=tuple(short),
                                                    synonyms={s: (n,) for s, n in short.items()})])


class Corpus:
    """The policy library: documents, their articles and metadata, the merged vocabulary, and
    look-ups by document and article. Composers and the UI read this, not the index."""

    def __init__(self, documents: list[Document], vocabulary: Vocabulary | None = None,
                 directory: Path | None = None) -> None:
        self.documents = documents
        self.directory = directory
        self.vocabulary = _with_short_names(vocabulary or Vocabulary(), documents)
        self.articles: dict[str, Article] = {
            article_key(a): a for d in documents for a in d.articles}
        self.doc_titles = {d.doc_id: d.title for d in documents}
        self._docs = {d.doc_id: d for d in documents}
        self.keys = list(self.articles)
        self.texts = [f"{a.title}\n{a.text}".lower() for a in self.articles.values()]
        """Lower-cased title and text per article, in `keys` order."""
        meta_text = "\n".join(" ".join(filter(None, [d.title, d.meta.issuer, d.meta.drafter,
                                                        d.meta.contact, *d.meta.aliases]))
                              for d in documents)
        self.text = ("\n".join(self.texts) + "\n" + meta_text).lower()
        """Everything a question's words may be found in."""
        self.jurisdictions = {j.lower() for d in documents for j in d.meta.jurisdiction}
        self.site = load_site(directory).filled(documents)
        """The texts of the library's pages and answers (`site.json`, else derived)."""
        superseded: dict[str, str] = {}
        for d in documents:
            for old in d.meta.supersedes:
                superseded[old] = d.doc_id
        for draft, final in _versions(documents):
            superseded.setdefault(draft, final)
        self.superseded_by = superseded
        """doc_id → the doc_id of the document that replaces it: as its metadata says, or a draft
        whose title the library also holds without the draft's marks (…促进条例(草案)(征求意见稿)
        beside …促进条例), near enough (VERSION_TITLE_OVERLAP)."""
        self.listing = sorted(documents, key=lambda d: (d.doc_id in superseded, not (d.in_force or d.meta.status in DRAFTS)))
        """The documents in the order answers and pages name them: current ones (in force, or a
        draft nothing replaces yet) in the library's order, then replaced or repealed ones."""

    @classmethod
    def load(cls, corpus_dir: Path, cache: Path | None = None) -> "Corpus":
        """The library in `corpus_dir` (parses kept in `cache`, when given, are reused)."""
        paths = document_paths(corpus_dir)
        docs = load_corpus(corpus_dir, cache)
        vocab = Vocabulary.merge(Vocabulary.load(vocab_path(p)) for p in paths)
        return cls(docs, vocab, corpus_dir)

    def document(self, doc_id: str) -> Document | None:
        return self._docs.get(doc_id)

    def describe(self, doc: Document) -> dict:
        """One document as JSON (`docs --json`, the web API): its id, title, status, number of
        articles, what replaces it, and every metadata field it has."""
        return ({"doc_id": doc.doc_id, "title": doc.title, "status": doc.status,
                 "superseded_by": self.superseded_by.get(doc.doc_id), "articles": doc.last_number}
                | doc.meta.model_dump(mode="json", exclude_none=True,
                                      exclude={"doc_id", "title", "status"}))

    def article(self, doc_id: str, number: int) -> Article | None:
        return self.articles.get(f"{doc_id}:{number}")

    def title_of(self, doc_id: str) -> str:
        return self.doc_titles.get(doc_id, doc_id)

    @property
    def contacts(self) -> list[str]:
        return list(dict.fromkeys(d.contact for d in self.documents if d.contact))


def article_key(article: Article) -> str:
    """`doc_id:number`, the key of an article in the index."""
    return f"{article.doc_id}:{article.number}"


VERSION_TITLE_OVERLAP = 0.75
"""Share of a draft's title bigrams (`title_bigrams`) a document not marked as a draft
must share, with the same kind of document and a place in common, to be its later version."""


def title_kind(title: str) -> str:
    """The kind of document a title names (its last kind word: 条例, 实施意见 …), '' when none."""
    found = pattern("policy_kind").findall(pattern("title_noise").sub("", title))
    return found[-1] if found else ""


def _most_specific(names: Iterable[str]) -> frozenset[str]:
    """The places a jurisdiction names, as gazetteer prefixes, without one that holds another of
    them (萧山区, 杭州市 → 萧山区's)."""
    from ..lang.places import prefixes_of

    prefixes = prefixes_of(names)
    return frozenset(p for p in prefixes if not any(o != p and o.startswith(p) for o in prefixes))


def _versions(documents: list[Document]) -> list[tuple[str, str]]:
    """(draft, later version) pairs among the documents by their titles: a draft (its status one
    of DRAFT_STATUSES) and one neither a draft nor repealed, of the same kind and with a place in
    common, sharing most title bigrams."""
    drafts = [d for d in documents if d.meta.status in DRAFT_STATUSES]
    others = [d for d in documents if d.meta.status not in (*DRAFT_STATUSES, REPEALED)]
    out = []
    for draft in drafts:
        mine, kind = title_bigrams(draft.title), title_kind(draft.title)
        for other in others:
            theirs = title_bigrams(other.title)
            if not mine or not theirs or other.doc_id == draft.doc_id or (kind and title_kind(other.title) != kind):
                continue
            places = _most_specific(draft.meta.jurisdiction), _most_specific(other.meta.jurisdiction)
            if all(places) and places[0] != places[1]:
                # 北京市…条例(征求意见稿) is no draft of 广东省…条例, nor 杭州市…规划(征求意见稿) of
                # 萧山区…规划 (a district's places hold its city; 杭州 and 杭州市 are one place)
                continue
            if len(mine & theirs) / max(len(mine), len(theirs)) >= VERSION_TITLE_OVERLAP:
                out.append((draft.doc_id, other.doc_id))
                break
    return out
