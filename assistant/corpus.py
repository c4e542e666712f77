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
from typing import Iterable

from .errors import CorpusError, ParseError
from .models import Article, Document
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


def load_document(path: Path) -> Document:
    """Load one `.txt` policy document and its optional `.meta.json`."""
    text = _read_text(path)
    meta_path = path.with_suffix(".meta.json")
    meta: dict = {}
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{meta_path}: invalid metadata ({exc})") from exc
    doc_id = str(meta.get("doc_id") or path.stem)
    articles = parse_text(text, doc_id, str(path))
    title = str(meta.get("title") or _guess_title(text)
                or (articles[0].title if articles[0].number == 0 else "") or path.stem)
    return Document(doc_id=doc_id, title=title, path=str(path), articles=articles, meta=meta)


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


def corpus_hash(corpus_dir: Path, extra: Iterable[str] = ()) -> str:
    """SHA-256 over the texts and metadata (names and bytes) and extra strings, for staleness
    checks; rule files do not change the index."""
    h = hashlib.sha256()
    for p in sorted(corpus_dir.glob("*")):
        if p.is_file() and (p.suffix == ".txt" or p.name.endswith(".meta.json")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    for item in extra:
        h.update(item.encode())
    return h.hexdigest()
