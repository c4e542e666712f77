"""Retrieval: lexical (BM25) and dense (Chroma) evidence fused per article, explicit article
references, and the scope judgement that decides whether the corpus covers a question at all."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .index import PolicyIndex
from .lexical import tokenize
from .models import Hit
from .numerals import NUMERAL_CHARS, chinese_int

DATA = Path(__file__).parent / "data"

LEXICAL_WEIGHT = 0.5
"""Weight of BM25 in the fused score (dense gets the rest); see `make calibrate`."""
COVERAGE_THRESHOLD = 0.58
"""Share of a question's topic words found in the corpus below which it is not covered."""

SINGLE_CHAR_WEIGHT = 0.25
"""Weight of a one-character topic word (领, 评, 年 say little either way)."""
PARTIAL_CREDIT = 0.5
"""Credit for a compound the corpus lacks whose parts it has (意见反馈 ~ 意见或建议, but also
养老金 ~ 养老院): half, since the parts may mean something else together."""

_REF = re.compile(
    rf"第\s*(\d{{1,3}}|[{NUMERAL_CHARS}]{{1,4}})\s*[条点项]"
    r"|\b(?:article|art\.?|section|clause|item)\s*(?:no\.?\s*)?(\d{1,3})\b",
    re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _scope_data() -> dict[str, Any]:
    """scope.json with its word lists as sets (read once per process)."""
    data = json.loads((DATA / "scope.json").read_text(encoding="utf-8"))
    data["stopwords"], data["generic"] = set(data["stopwords"]), set(data["generic"])
    return data


@lru_cache(maxsize=1)
def _glossary() -> dict[str, Any]:
    return json.loads((DATA / "glossary.json").read_text(encoding="utf-8"))


def article_references(question: str) -> list[int]:
    """Article numbers the question names (`第13条`, `第十三条`, `article 13`), in order."""
    out: list[int] = []
    for m in _REF.finditer(question):
        raw = m.group(1) or m.group(2)
        try:
            n = chinese_int(raw)
        except ValueError:
            continue
        if n not in out:
            out.append(n)
    return out


@dataclass
class QueryAnalysis:
    """What the retriever reads from a question before scoring."""

    question: str
    lexical_tokens: list[str]
    """BM25 query tokens, synonyms and English glossary terms included."""
    dense_text: str
    """Text embedded for the dense search (English questions get their Chinese terms appended)."""
    content: list[str]
    """Topic words: tokens that are neither question wording nor generic policy words."""
    references: list[int]
    other_places: list[str]
    english: bool


def analyse(question: str, corpus_text: str) -> QueryAnalysis:
    """Tokens, expansions, references and place names of a question."""
    scope, gloss = _scope_data(), _glossary()
    stop, generic = scope["stopwords"], scope["generic"]
    lowered = question.lower()
    english = len(_LATIN.findall(question)) > 2 * len(_CJK.findall(question))
    words = tokenize(question, search=False)
    expansions: list[str] = []
    for w in words:
        expansions += gloss["synonyms"].get(w, []) + gloss["english"].get(w, [])
    lexical_tokens = [t for t in tokenize(question) if t not in stop] \
        + [t for e in expansions for t in tokenize(e)]
    content = [w for w in words if w not in stop and w not in generic and not w.isdigit()
               and not re.fullmatch(r"[\d.,%]+", w)]
    places = [p for p in scope["places"] if p in lowered and p not in corpus_text]
    dense_text = question + (" " + " ".join(dict.fromkeys(expansions)) if english else "")
    return QueryAnalysis(question, lexical_tokens, dense_text, content,
                         article_references(question), places, english)


def _specificity(forms: list[str], texts: list[str]) -> float:
    """IDF of the rarest form over the articles (a word no article contains is maximally rare)."""
    n = len(texts)
    df = min((sum(1 for t in texts if f in t) for f in forms), default=0)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def coverage(analysis: QueryAnalysis, texts: list[str]) -> float:
    """Share of the question's topic words that the articles contain, each word weighted by how
    specific it is (IDF over the articles): a generic word such as 机器人 found in the corpus says
    little, a specific word the corpus lacks (餐厅, 公积金) says a lot."""
    gloss = _glossary()
    total = covered = 0.0
    for w in analysis.content:
        forms = [w] + gloss["synonyms"].get(w, []) + gloss["english"].get(w, [])
        present = [f for f in forms if any(f in t for t in texts)]
        # A single character says little about the topic either way (领, 评, 年).
        scale = SINGLE_CHAR_WEIGHT if len(w) == 1 and not analysis.english else 1.0
        if present:
            weight = scale * _specificity(present, texts)
            total += weight
            covered += weight
            continue
        weight = scale * _specificity([], texts)
        total += weight
        if not analysis.english and len(w) > 2:
            # A compound the corpus words differently (意见反馈 ~ 意见或建议): credit its parts.
            parts = [p for p in tokenize(w) if len(p) >= 2 and p != w]
            found = [p for p in parts if any(f in t for f in [p] + gloss["synonyms"].get(p, [])
                                             for t in texts)]
            chars = set().union(*(set(p) for p in found)) if found else set()
            covered += PARTIAL_CREDIT * weight * len(chars & set(w)) / len(w)
    return covered / total if total else 0.0


@dataclass
class Retrieval:
    """Ranked hits plus the scope verdict and the evidence behind it."""

    hits: list[Hit]
    in_scope: bool
    reason: str
    """Why the question is (not) covered, for logs and the eval table."""
    evidence: dict[str, Any] = field(default_factory=dict)


def _minmax(values: dict[str, float], keys: list[str]) -> dict[str, float]:
    vals = [values.get(k, 0.0) for k in keys]
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-12:
        return {k: 0.0 for k in keys}
    return {k: (values.get(k, lo) - lo) / (hi - lo) for k in keys}


class PolicyRetriever(BaseRetriever):
    """Fuses BM25 and dense evidence per article; refuses questions the corpus does not cover.

    `invoke(question, k=…)` returns LangChain documents (one per article, best first) and an
    empty list for a question outside the corpus; `retrieve()` returns the full `Retrieval`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: PolicyIndex
    """The opened index."""
    embeddings: Embeddings
    """The same embeddings the index was built with."""
    k: int = 4
    """Articles returned when a call does not say."""
    lexical_weight: float = LEXICAL_WEIGHT
    """Weight of BM25 evidence in the fused score."""
    coverage_threshold: float = COVERAGE_THRESHOLD
    """Minimum topic-word coverage for a question to count as covered."""

    def model_post_init(self, __context: Any) -> None:
        self._texts = [f"{a.title}\n{a.text}".lower() for d in self.index.documents for a in d.articles]
        self._corpus_text = "\n".join(self._texts)

    def retrieve(self, question: str, k: int | None = None) -> Retrieval:
        """Ranked articles with the fused evidence and the scope verdict."""
        k = self.k if k is None else k
        qa = analyse(question, self._corpus_text)
        keys = list(self.index.articles)
        lex_raw = dict(zip(self.index.bm25.doc_ids, self.index.bm25.scores(qa.lexical_tokens)))
        dense_raw = self.index.dense_scores(self.embeddings.embed_query(qa.dense_text))
        lex, dense = _minmax(lex_raw, keys), _minmax(dense_raw, keys)
        w = self.lexical_weight
        fused = {key: w * lex[key] + (1 - w) * dense[key] for key in keys}
        hits = [Hit(self.index.articles[key], round(fused[key], 6), round(lex[key], 6),
                    round(dense[key], 6)) for key in keys]
        refs = [h for n in qa.references for h in hits if h.article.number == n]
        ref_ids = {id(h) for h in refs}
        for h in refs:
            h.score, h.reason = 1.0, "reference"
        rest = sorted((h for h in hits if id(h) not in ref_ids), key=lambda h: -h.score)
        hits = (sorted(refs, key=lambda h: -fused[f"{h.article.doc_id}:{h.article.number}"])
                + rest)[:k]
        cov = coverage(qa, self._texts)
        evidence = {"coverage": round(cov, 3), "content": qa.content,
                    "top_lexical": round(max(lex_raw.values(), default=0.0), 3),
                    "top_dense": round(max(dense_raw.values(), default=0.0), 3),
                    "references": qa.references, "other_places": qa.other_places}
        if qa.other_places:
            return Retrieval([], False, f"about another place ({'、'.join(qa.other_places)})", evidence)
        if refs:
            return Retrieval(hits, True, "explicit article reference", evidence)
        if qa.references:
            return Retrieval([], False, f"no article {qa.references[0]} in the corpus", evidence)
        if cov < self.coverage_threshold:
            return Retrieval([], False, f"topic words not in the corpus (coverage {cov:.2f})",
                             evidence)
        return Retrieval(hits, True, "covered", evidence)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None) -> list[LCDocument]:
        result = self.retrieve(query, k)
        return [hit_document(h, self.index.doc_titles.get(h.article.doc_id, "")) for h in result.hits]


def hit_document(hit: Hit, doc_title: str) -> LCDocument:
    """A LangChain document for one hit (the article text, its identity and evidence)."""
    a = hit.article
    return LCDocument(page_content=a.text, metadata={
        "doc_id": a.doc_id, "doc_title": doc_title, "article": a.number, "title": a.title,
        "departments": list(a.departments), "score": hit.score, "lexical": hit.lexical,
        "dense": hit.dense, "reason": hit.reason})
