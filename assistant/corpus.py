"""Corpus loading: policy texts in `corpus/` parsed into documents and articles.

A document is a UTF-8 `.txt` file, optionally with `<stem>.meta.json` beside it. The parser finds the
article structure from line-start markers and is not tied to one file: `1、`, `一、`, `第一条` and
`(一)` (also nested under `一、` sections) are recognised.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import CorpusError, ParseError
from .models import Article, Document, DocumentMeta
from .numerals import NUMERAL_CHARS, chinese_int

_CN = f"[{NUMERAL_CHARS}]+"
# Marker kinds, each matched at the start of a (stripped) line.
MARKERS: dict[str, re.Pattern[str]] = {
    "tiao": re.compile(rf"^第\s*({_CN}|\d+)\s*条[\s、.．:：]*"),
    "paren": re.compile(rf"^[(（]\s*({_CN})\s*[)）][\s、.．]*"),
    "cn": re.compile(rf"^({_CN})\s*[、.．]\s*"),
    "arabic": re.compile(r"^(\d{1,3})\s*[、.．](?!\d)\s*"),
}
_DEPT = re.compile(r"[(（]\s*(?:责任单位|牵头单位|责任部门)\s*[:：]\s*([^)）]*)[)）]")
_DEPT_SPLIT = re.compile(r"[、,，;；/]+")
TITLE_MAX = 30
SENTENCE_TITLE = 16


@dataclass
class _Marker:
    line_no: int
    kind: str
    number: int
    rest: str
    label: str


def _markers(lines: list[str]) -> list[_Marker]:
    found = []
    for i, line in enumerate(lines):
        for kind, pat in MARKERS.items():
            m = pat.match(line)
            if not m:
                continue
            try:
                number = chinese_int(m.group(1))
            except ValueError:
                continue
            found.append(_Marker(i, kind, number, line[m.end():], m.group(0).strip()))
            break
    return found


def _increasing_run(markers: list[_Marker]) -> list[_Marker]:
    """Keep markers whose numbers go 1, 2, 3, … (numbering may restart per section)."""
    kept: list[_Marker] = []
    expected = 1
    for mk in markers:
        if mk.number == expected:
            kept.append(mk)
            expected += 1
        elif mk.number == 1 and kept:
            kept.append(mk)
            expected = 2
    return kept


def split_title(text: str) -> tuple[str, str]:
    """(title, rest): the heading phrase before the first 。, shortened when it is a long sentence."""
    head, sep, rest = text.partition("。")
    if not sep:
        head = text
    head = head.strip()
    if re.search(r"[,，;；]", head) or len(head) > TITLE_MAX:
        # A sentence, not a heading (regulations often have none): its opening words.
        head = re.split(r"[,，;；]", head)[0][:SENTENCE_TITLE] + "…"
    return head, rest


def departments_of(text: str) -> tuple[str, ...]:
    """Departments named in `(责任单位:…)` clauses, in order, without repeats."""
    out: list[str] = []
    for m in _DEPT.finditer(text):
        for name in _DEPT_SPLIT.split(m.group(1)):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return tuple(out)


def _preamble_title(lines: list[str]) -> str:
    for line in lines:
        if "。" not in line and len(line) <= 80:
            return line
    return "前言"


def parse_text(text: str, doc_id: str, path: str = "<text>") -> list[Article]:
    """Parse a policy text into articles; raise ParseError when no article structure is found."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise ParseError(path, "the file is empty")
    markers = _markers(lines)
    by_kind: dict[str, list[_Marker]] = {}
    for mk in markers:
        by_kind.setdefault(mk.kind, []).append(mk)
    runs = {kind: _increasing_run(mks) for kind, mks in by_kind.items()}

    article_kind = None
    for kind in ("tiao", "paren", "cn", "arabic"):
        if len(runs.get(kind, [])) >= 2:
            article_kind = kind
            break
    if article_kind is None:
        raise ParseError(path, "no article structure found (expected lines starting with "
                               "`1、`, `一、`, `第一条` or `(一)`)")
    arts = runs[article_kind]
    restarts = any(mk.number == 1 for mk in arts[1:])
    sections = runs.get("cn", []) if article_kind == "paren" else []

    articles: list[Article] = []
    first = arts[0].line_no
    # Preamble: everything before the first article (or before its enclosing section heading).
    section_lines = {s.line_no for s in sections}
    pre = [ln for j, ln in enumerate(lines[:first]) if j not in section_lines]
    if pre:
        body = "\n".join(pre)
        articles.append(Article(doc_id, 0, _preamble_title(pre), body,
                                departments_of(body), label="", section=""))
    for idx, mk in enumerate(arts):
        end = arts[idx + 1].line_no if idx + 1 < len(arts) else len(lines)
        body_lines = [mk.rest] + [ln for j, ln in enumerate(lines[mk.line_no + 1:end], mk.line_no + 1)
                                  if j not in section_lines]
        body = "\n".join(bl for bl in body_lines if bl)
        section = ""
        label = mk.label
        if sections:
            enclosing = [s for s in sections if s.line_no < mk.line_no]
            if enclosing:
                section = split_title(enclosing[-1].rest)[0]
                label = enclosing[-1].label.rstrip("、.． ") + mk.label
        number = idx + 1 if restarts else mk.number
        title, _ = split_title(body)
        articles.append(Article(doc_id, number, title, body, departments_of(body),
                                label=label, section=section))
    return articles


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


def load_meta(path: Path) -> DocumentMeta:
    """The metadata file of a document (an empty model when there is none)."""
    if not path.exists():
        return DocumentMeta()
    raw = _read_json(path, "metadata")
    try:
        return DocumentMeta.model_validate(raw)
    except ValidationError as exc:
        raise CorpusError(f"{path}: invalid metadata ({_validation_message(exc)})") from exc


def load_document(path: Path) -> Document:
    """Load one `.txt` policy document and its optional `.meta.json`."""
    text = _read_text(path)
    meta = load_meta(meta_path(path))
    doc_id = meta.doc_id or path.stem
    articles = parse_text(text, doc_id, str(path))
    title = (meta.title or _guess_title(text)
             or (articles[0].title if articles[0].number == 0 else "") or path.stem)
    return Document(doc_id=doc_id, title=title, path=str(path), articles=articles, meta=meta)


def meta_path(text_path: Path) -> Path:
    return text_path.with_name(text_path.stem + ".meta.json")


def vocab_path(text_path: Path) -> Path:
    return text_path.with_name(text_path.stem + ".vocab.json")


def _guess_title(text: str) -> str:
    m = re.search(r"《([^》]{4,80})》", text)
    return m.group(1) if m else ""


def document_paths(corpus_dir: Path) -> list[Path]:
    """The policy texts in a corpus directory, sorted by name."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir}: corpus directory not found")
    paths = sorted(p for p in corpus_dir.glob("*.txt") if p.is_file())
    if not paths:
        raise CorpusError(f"{corpus_dir}: no policy texts (*.txt) in the corpus directory")
    return paths


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every document in the corpus directory; doc_ids must be unique."""
    docs = [load_document(p) for p in document_paths(corpus_dir)]
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
        if not path.exists():
            return cls()
        raw = _read_json(path, "vocabulary")
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            raise CorpusError(f"{path}: invalid vocabulary ({_validation_message(exc)})") from exc

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
        from .bridge import english_keys

        w = word.lower()
        out = self.synonyms.get(w, ())
        for key in english_keys(w) if w.isascii() else ():
            out += self.english.get(key, ())
        return tuple(dict.fromkeys(out))


class Corpus:
    """The policy library: documents, their articles and metadata, the merged vocabulary, and
    look-ups by document and article. Composers and the UI read this, not the index."""

    def __init__(self, documents: list[Document], vocabulary: Vocabulary | None = None,
                 directory: Path | None = None) -> None:
        self.documents = documents
        self.directory = directory
        self.vocabulary = vocabulary or Vocabulary()
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
        superseded: dict[str, str] = {}
        for d in documents:
            for old in d.meta.supersedes:
                superseded[old] = d.doc_id
        self.superseded_by = superseded
        """doc_id → the doc_id of the document that replaces it."""

    @classmethod
    def load(cls, corpus_dir: Path) -> "Corpus":
        paths = document_paths(corpus_dir)
        docs = load_corpus(corpus_dir)
        vocab = Vocabulary.merge(Vocabulary.load(vocab_path(p)) for p in paths)
        return cls(docs, vocab, corpus_dir)

    def document(self, doc_id: str) -> Document | None:
        return self._docs.get(doc_id)

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
