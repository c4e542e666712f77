"""Words: a jieba tokenizer that keeps a library's own terms whole, the function words that carry no
topic, how specific a word is in general usage, and a small BM25 index that serialises to JSON.

Nothing here knows a policy: the terms come from the corpus (`<stem>.vocab.json`), function words
from jieba's own dictionary (`data/function_words.txt`), word frequencies from `wordfreq` (general
Chinese and English usage: news, books, subtitles, web).
"""

from __future__ import annotations

import gc
import logging
import math
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

DATA = Path(__file__).parent.parent / "data"
TERM_FREQ = 2000
"""jieba frequency given to a library term: enough to keep it whole against its parts."""

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*")
_BASE_LOCK = threading.Lock()
_BASE: Any = None


@contextmanager
def bulk_load() -> Iterator[None]:
    """Loading a big table (jieba's 500k-word dictionary, wordfreq's lists) creates a million
    objects that live as long as the process: the garbage collector would scan everything already
    loaded again and again meanwhile (0.8 s instead of 0.23 s for jieba after LangChain's imports).
    The CLI's `ask` loads everything inside it too (imports, index, tables: ~0.07 s of GC passes
    over objects that live until the process ends)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_jieba_cache(tok: Any) -> bool:
    """jieba's prefix dictionary from the cache file jieba itself writes, read in one piece:
    `marshal.load` on the open file (what jieba does) reads it in small pieces, 0.75 s instead
    of 0.24 s. False when there is no usable cache yet."""
    import marshal
    import tempfile

    import jieba

    if tok.dictionary != jieba.DEFAULT_DICT or tok.cache_file:
        return False
    try:
        freq, total = marshal.loads((Path(tok.tmp_dir or tempfile.gettempdir()) / "jieba.cache").read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not isinstance(freq, dict) or not freq:
        return False
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    return True


def _base_tokenizer() -> Any:
    """jieba's general dictionary, loaded once per process."""
    global _BASE
    with _BASE_LOCK:
        if _BASE is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            table = _jieba_table(tok)
            if table is not None:
                tok.FREQ, tok.total, tok.initialized = table, table.total, True
            else:
                _load_jieba_dictionary(tok)
            _BASE = tok
        return _BASE


def _load_jieba_dictionary(tok: Any) -> None:
    with bulk_load():
        if not _load_jieba_cache(tok):
            tok.initialize()  # builds the dictionary and writes jieba's cache


def _jieba_table(tok: Any) -> Any:
    """jieba's general dictionary as a word table (`tables.py`), keyed by jieba's version and
    its dictionary file; None when it is another dictionary or no table can be kept."""
    import jieba

    from .tables import content_key, open_table

    if tok.dictionary != jieba.DEFAULT_DICT:
        return None
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    try:
        key = content_key(f"jieba {jieba.__version__}", [source])
    except OSError:
        return None

    def build() -> tuple[Iterable[tuple[str, float]], float]:
        full = jieba.Tokenizer()
        _load_jieba_dictionary(full)
        return full.FREQ.items(), full.total

    return open_table("jieba", key, build)


CUT_CACHE = 2048
"""Tokenisations remembered per tokenizer (bounded: memory must not grow with traffic) …"""
CUT_CACHE_CHARS = 400
"""… of texts up to this long (questions and their pieces, not documents)."""


class Tokenizer:
    """jieba with a library's terms added (each library gets its own copy of the dictionary)."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        import jieba

        from .tables import Overlay, WordTable

        base = _base_tokenizer()
        tok = jieba.Tokenizer()
        own = Overlay(base.FREQ) if isinstance(base.FREQ, WordTable) else dict(base.FREQ)
        tok.FREQ, tok.total, tok.initialized = own, base.total, True
        self.terms = tuple(dict.fromkeys(t for t in terms if len(t) >= 2))
        for term in self.terms:
            tok.add_word(term, freq=max(TERM_FREQ, base.FREQ.get(term, 0)))
        self._tok = tok
        self._lock = threading.Lock()
        self._cuts: OrderedDict[tuple[str, bool], tuple[str, ...]] = OrderedDict()

    def cut(self, text: str, *, search: bool = True) -> list[str]:
        """Lower-cased tokens without punctuation or whitespace. With `search`, long words also
        yield their sub-words (jieba's search mode), so differently phrased texts share tokens.
        The steps of one answer cut the same strings several times: the last CUT_CACHE results
        are kept."""
        key = (text, search)
        with self._lock:  # jieba's lazy structures are not thread-safe while they fill
            done = self._cuts.get(key)
            if done is not None:
                self._cuts.move_to_end(key)
                return list(done)
            words = list(self._tok.cut_for_search(text) if search else self._tok.cut(text))
        out = []
        for w in words:
            w = w.strip().lower()
            if w and not _PUNCT.match(w):
                out.append(w)
        if len(text) <= CUT_CACHE_CHARS:
            with self._lock:
                self._cuts[key] = tuple(out)
                while len(self._cuts) > CUT_CACHE:
                    self._cuts.popitem(last=False)
        return out

    def cut_plain(self, text: str) -> list[str]:
        """Dictionary words only (no guessing of unknown words)."""
        with self._lock:
            return [w.lower() for w in self._tok.cut(text, HMM=False) if w.strip()]

    def frequency(self, text: str) -> int:
        """jieba's count of a dictionary entry (0 for a word it does not list)."""
        return int(self._tok.FREQ.get(text, 0) or 0)

    def is_word(self, text: str) -> bool:
        """True when the text is a word of the general dictionary or a library term."""
        return self._tok.FREQ.get(text, 0) > 0


@lru_cache(maxsize=4)
def tokenizer_for(terms: tuple[str, ...]) -> Tokenizer:
    """One tokenizer per vocabulary (tests build several corpora in one process)."""
    return Tokenizer(terms)


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Words jieba's dictionary tags as grammar rather than topic (pronouns, adverbs, particles,
    prepositions, measure words, time words …)."""
    lines = (DATA / "function_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def typo_terms(text: str, tokenizer: Tokenizer) -> list[str]:
    """Words of a text (and pairs of adjacent words) a one-character typo may be corrected to:
    Chinese, 3–6 characters. Computed once per document when the index is built."""
    toks = tokenizer.cut(text, search=False)
    out: set[str] = set()
    for i, tok in enumerate(toks):
        if not is_cjk(tok):
            continue
        out.add(tok)
        if i + 1 < len(toks) and is_cjk(toks[i + 1]) and tok + toks[i + 1] in text:
            out.add(tok + toks[i + 1])
    return sorted(t for t in out if 3 <= len(t) <= 6 and t in text)


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
        self._tables: dict[str, Any] = {}

    def _table(self, lang: str) -> Any:
        """wordfreq's list for a language, as a word table when one can be kept (no import of
        wordfreq at all then), else the dictionary itself."""
        with self._lock:
            if lang not in self._tables:
                self._tables[lang] = _wordfreq_table(lang) or _wordfreq_dict(lang)
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

    def _combined(self, table: Any, parts: list[str]) -> float:
        """Zipf of a sequence of parts, as wordfreq estimates multi-token Chinese words."""
        combined = 1.0 / sum(1.0 / table.get(p, 1e-9) for p in parts)
        return max(0.0, math.log10(combined * 1e9) - self.SPLIT_PENALTY * (len(parts) - 1))

    def weight(self, word: str) -> float:
        return max(0.0, self.COMMON_ZIPF - self.zipf(word))


def _wordfreq_dict(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    with bulk_load():
        return get_frequency_dict(lang)


def _wordfreq_table(lang: str) -> Any:
    """wordfreq's list as a word table keyed by the content of wordfreq's code (which turns its
    lists into frequencies) and of its data files for the language, found without importing
    wordfreq (its import alone costs ~0.3 s)."""
    from importlib.util import find_spec

    from .tables import content_key, open_table

    try:
        spec = find_spec("wordfreq")
        if spec is None or not spec.submodule_search_locations:
            return None
        package = Path(list(spec.submodule_search_locations)[0])
        files = sorted((package / "data").glob(f"*_{lang}.msgpack.gz"))
        if not files:
            return None
        key = content_key(f"wordfreq {lang}", [package / "__init__.py", *files])
    except OSError:
        return None
    return open_table(f"wordfreq-{lang}", key, lambda: (_wordfreq_dict(lang).items(), 0.0))


_SPECIFICITY = Specificity()


def specificity() -> Specificity:
    """The process-wide specificity tables (loaded on first use, ~0.1 s per language)."""
    return _SPECIFICITY


class BM25:
    """Okapi BM25 over pre-tokenised documents, as a term × document matrix of per-term
    contributions in compressed rows (numpy only): scoring a query sums a few rows (sub-millisecond
    for thousands of articles; the first loop in Python took 27 ms on 4,200). Built with array
    operations, so opening a 4,000-article library does not spend half a second here."""

    def __init__(self, doc_ids: list[str], doc_tokens: list[list[str]], k1: float = 1.5,
                 b: float = 0.75) -> None:
        import numpy as np

        self.doc_ids, self.doc_tokens, self.k1, self.b = doc_ids, doc_tokens, k1, b
        n = len(doc_tokens)
        self.vocab: dict[str, int] = {}
        ids = [self.vocab.setdefault(t, len(self.vocab)) for toks in doc_tokens for t in toks]
        lengths = np.fromiter((len(toks) for toks in doc_tokens), dtype=np.int64, count=n)
        docs = np.repeat(np.arange(n, dtype=np.int64), lengths)
        terms = np.asarray(ids, dtype=np.int64)
        v = len(self.vocab)
        # One (term, document) pair per distinct occurrence, ordered by term then document.
        pairs, tf = np.unique(terms * max(n, 1) + docs, return_counts=True)
        term_of, doc_of = pairs // max(n, 1), pairs % max(n, 1)
        df = np.bincount(term_of, minlength=v)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = float(lengths.mean()) if n else 0.0
        norm = k1 * (1 - b + b * lengths / (avg or 1))
        self._data = idf[term_of] * tf * (k1 + 1) / (tf + norm[doc_of])
        self._docs = doc_of
        self._indptr = np.concatenate(([0], np.cumsum(df)))
        self.idf = dict(zip(self.vocab, idf.tolist()))

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
        parts = [slice(self._indptr[i], self._indptr[i + 1]) for i in acc]
        docs = np.concatenate([self._docs[p] for p in parts])
        vals = np.concatenate([self._data[p] * w for p, w in zip(parts, acc.values())])
        return np.bincount(docs, weights=vals, minlength=len(self.doc_ids)).astype(np.float64)

    def scores(self, query_tokens: list[str], weights: list[float] | None = None) -> list[float]:
        """One BM25 score per document, in index order."""
        return self.score_array(query_tokens, weights).tolist()
