"""Words: a jieba tokenizer that keeps a library's own terms whole, the function words that carry no
topic, how specific a word is in general usage, and a small BM25 index that serialises to JSON.

Nothing here knows a policy: the terms come from the corpus (`<stem>.vocab.json`), function words
from jieba's own dictionary (`data/function_words.txt`), word frequencies from `wordfreq` (general
Chinese and English usage: news, books, subtitles, web).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

DATA = Path(__file__).parent / "data"
TERM_FREQ = 2000
"""jieba frequency given to a library term: enough to keep it whole against its parts."""

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")
_BASE_LOCK = threading.Lock()
_BASE: Any = None


def _base_tokenizer() -> Any:
    """jieba's general dictionary, loaded once per process."""
    global _BASE
    with _BASE_LOCK:
        if _BASE is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _BASE = tok
        return _BASE


class Tokenizer:
    """jieba with a library's terms added (each library gets its own copy of the dictionary)."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        import jieba

        base = _base_tokenizer()
        tok = jieba.Tokenizer()
        tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
        self.terms = tuple(dict.fromkeys(t for t in terms if len(t) >= 2))
        for term in self.terms:
            tok.add_word(term, freq=max(TERM_FREQ, base.FREQ.get(term, 0)))
        self._tok = tok
        self._lock = threading.Lock()

    def cut(self, text: str, *, search: bool = True) -> list[str]:
        """Lower-cased tokens without punctuation or whitespace. With `search`, long words also
        yield their sub-words (jieba's search mode), so differently phrased texts share tokens."""
        with self._lock:  # jieba's lazy structures are not thread-safe while they fill
            words = list(self._tok.cut_for_search(text) if search else self._tok.cut(text))
        out = []
        for w in words:
            w = w.strip().lower()
            if w and not _PUNCT.match(w):
                out.append(w)
        return out

    def cut_plain(self, text: str) -> list[str]:
        """Dictionary words only (no guessing of unknown words)."""
        with self._lock:
            return [w.lower() for w in self._tok.cut(text, HMM=False) if w.strip()]

    def is_word(self, text: str) -> bool:
        """True when the text is a word of the general dictionary or a library term."""
        return self._tok.FREQ.get(text, 0) > 0


@lru_cache(maxsize=4)
def tokenizer_for(terms: tuple[str, ...]) -> Tokenizer:
    """One tokenizer per vocabulary (tests build several corpora in one process)."""
    return Tokenizer(terms)


def tokenize(text: str, *, search: bool = True, terms: tuple[str, ...] = ()) -> list[str]:
    """Tokens of a text with the given library terms kept whole."""
    return tokenizer_for(terms).cut(text, search=search)


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words jieba's dictionary tags as grammar rather than topic (pronouns, adverbs, particles,
    prepositions, measure words, time words …)."""
    lines = (DATA / "function_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def latin_words(text: str) -> list[str]:
    """English words of a text, lower-cased (possessive 's removed)."""
    return [re.sub(r"'s$", "", w) for w in _LATIN_WORD.findall(text.lower())]


class Specificity:
    """How specific a word is in general usage: `weight = max(0, COMMON_ZIPF − zipf)`, with zipf
    the word's frequency on wordfreq's Zipf scale (7 ≈ 的/the, 3 ≈ once per million words).

    A word as common as 自己, 提到, 想 or `like` weighs (almost) nothing; 公积金, 摇号, 个人所得税 or
    `passport` weigh a lot. A Chinese word wordfreq does not list (a library term, a typo, a new
    compound) is estimated from its parts, as wordfreq itself does.
    """

    COMMON_ZIPF = 5.5
    """Zipf frequency at and above which a word says nothing about a topic (calibrated, see
    `scripts/calibrate.py`: 自己 6.2, 这个 6.3, 政策 5.5, 企业 5.75)."""
    SPLIT_PENALTY = 1.0
    """Zipf subtracted per extra part when a word is estimated from its parts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables: dict[str, dict[str, float]] = {}

    def _table(self, lang: str) -> dict[str, float]:
        with self._lock:
            if lang not in self._tables:
                from wordfreq import get_frequency_dict

                self._tables[lang] = get_frequency_dict(lang)
            return self._tables[lang]

    def zipf(self, word: str) -> float:
        word = word.lower()
        lang = "zh" if is_cjk(word) else "en"
        table = self._table(lang)
        freq = table.get(word)
        if freq is None and lang == "en" and word.endswith("s"):
            freq = table.get(word[:-1])
        if lang == "zh" and len(word) > 1:
            # A word is never rarer than its characters make it: wordfreq lists colloquial pairs
            # of common characters (问下, 能补) as rare words; unknown words get this estimate.
            from_chars = self._combined(table, list(word))
            if freq is None:
                parts = [p for p in _base_tokenizer().cut(word, HMM=False) if p.strip()]
                return self._combined(table, parts) if len(parts) > 1 else from_chars
            return max(math.log10(freq * 1e9), from_chars)
        if not freq:
            return 0.0
        return max(0.0, math.log10(freq * 1e9))

    def _combined(self, table: dict[str, float], parts: list[str]) -> float:
        """Zipf of a sequence of parts, as wordfreq estimates multi-token Chinese words."""
        combined = 1.0 / sum(1.0 / table.get(p, 1e-9) for p in parts)
        return max(0.0, math.log10(combined * 1e9) - self.SPLIT_PENALTY * (len(parts) - 1))

    def weight(self, word: str) -> float:
        return max(0.0, self.COMMON_ZIPF - self.zipf(word))


_SPECIFICITY = Specificity()


def specificity() -> Specificity:
    """The process-wide specificity tables (loaded on first use, ~0.1 s per language)."""
    return _SPECIFICITY


class BM25:
    """Okapi BM25 over pre-tokenised documents, as a sparse term × document matrix of per-term
    contributions: scoring a query is one weighted sum of a few matrix rows (sub-millisecond for
    thousands of articles; the earlier loop in Python took 27 ms on 4,200 articles)."""

    def __init__(self, doc_ids: list[str], doc_tokens: list[list[str]], k1: float = 1.5,
                 b: float = 0.75) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        self.doc_ids, self.doc_tokens, self.k1, self.b = doc_ids, doc_tokens, k1, b
        n = len(doc_tokens)
        counts = [Counter(toks) for toks in doc_tokens]
        df: Counter = Counter()
        for c in counts:
            df.update(c.keys())
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.vocab = {t: i for i, t in enumerate(self.idf)}
        lengths = [len(toks) for toks in doc_tokens]
        avg = (sum(lengths) / n) if n else 0.0
        rows, cols, vals = [], [], []
        for j, (c, length) in enumerate(zip(counts, lengths)):
            norm = k1 * (1 - b + b * length / (avg or 1))
            for t, f in c.items():
                rows.append(self.vocab[t])
                cols.append(j)
                vals.append(self.idf[t] * f * (k1 + 1) / (f + norm))
        self._matrix = csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)),
                                  shape=(len(self.vocab), n))

    def score_array(self, query_tokens: list[str], weights: list[float] | None = None) -> Any:
        """One score per document, in index order (a numpy array)."""
        import numpy as np

        weights = weights or [1.0] * len(query_tokens)
        acc: dict[int, float] = {}
        for t, w in zip(query_tokens, weights):
            i = self.vocab.get(t)
            if i is not None:
                acc[i] = acc.get(i, 0.0) + w
        if not acc:
            return np.zeros(len(self.doc_ids))
        rows = list(acc)
        return np.asarray(np.asarray(list(acc.values())) @ self._matrix[rows]).ravel()

    def scores(self, query_tokens: list[str], weights: list[float] | None = None) -> list[float]:
        """One BM25 score per document, in index order."""
        return self.score_array(query_tokens, weights).tolist()

    @property
    def vocabulary(self) -> set[str]:
        return set(self.idf)

    def to_json(self) -> dict[str, Any]:
        return {"doc_ids": self.doc_ids, "doc_tokens": self.doc_tokens, "k1": self.k1, "b": self.b}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "BM25":
        return cls(data["doc_ids"], data["doc_tokens"], data.get("k1", 1.5), data.get("b", 0.75))
