"""What the library's text contains: a piece of a question found in it, the articles holding a
form, and the share of articles that do (remembered in bounded caches)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any, Callable

from ..ingest.corpus import Corpus
from ..lang.lexical import is_cjk

SPREAD_CACHE = 20_000
"""Words whose article positions are remembered (the cache stays bounded under any traffic)."""
ABBREVIATION_GAP = 3
"""Characters a Chinese abbreviation may leave out between two of its parts (总体目标 for
总体发展目标)."""
TEXT_CACHE = 20_000
"""Pieces of questions whose presence in the library text is remembered (bounded likewise)."""
SCANS_BEFORE_INDEX = 64
"""Searches of the library text after which a process indexes its characters (`CharacterIndex`):
a process answering one question scans (~0.5 ms per search at 200 documents), a warm one looks up."""


class CharacterIndex:
    """Every character's positions in one text (numpy, sorted by character): the places a piece
    occurs are its rarest character's positions where the other characters follow. ~50 ms to build
    for 200 documents' 0.8 M characters; a search then costs microseconds instead of a scan."""

    def __init__(self, text: str) -> None:
        import numpy as np

        self._np = np
        self.codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        self.order = np.argsort(self.codes, kind="stable").astype(np.int64)
        self.sorted_codes = self.codes[self.order]

    def starts(self, piece: str, end: int | None = None) -> "Any":
        """Start offsets (ascending) of every occurrence of the piece that ends by `end`."""
        np = self._np
        codes = np.frombuffer(piece.encode("utf-32-le"), dtype=np.uint32)  # (a Python int would
        # make numpy cast the whole sorted array to compare)
        limit = len(self.codes) if end is None else end
        lows = np.searchsorted(self.sorted_codes, codes, "left")
        highs = np.searchsorted(self.sorted_codes, codes, "right")
        k = int(np.argmin(highs - lows))
        found = self.order[lows[k]:highs[k]] - k
        found = found[(found >= 0) & (found + len(codes) <= limit)]
        for j, c in enumerate(codes):
            if j != k and found.size:
                found = found[self.codes[found + j] == c]
        return found


def initials_in(word: str, text: str) -> list[str]:
    """The phrases of `text` that a two-character word may be the initials of: a two- or
    three-character word, then a two-character one, beginning with the word's characters in order
    (智改: 智能化改造), distinct, the shorter first."""
    if len(word) != 2:
        return []
    cjk = "[\u4e00-\u9fff]"
    found = re.findall(f"{re.escape(word[0])}{cjk}{{1,2}}?{re.escape(word[1])}{cjk}", text)
    return sorted(dict.fromkeys(found), key=len)


def spelled_out(word: str, text: str, is_word: Callable[[str], bool]) -> str:
    """What a two-character word no dictionary lists abbreviates in `text`: the first of its
    phrases (initials_in) made of two dictionary words (首采: 首次采购; 智改: 智能化改造), else ''."""
    if is_word(word):
        return ""
    return next((ph for ph in initials_in(word, text) if is_word(ph[:-2]) and is_word(ph[-2:])), "")


class LibraryText:
    """Containment in one corpus's article texts."""

    def __init__(self, corpus: Corpus) -> None:
        self.texts = corpus.texts
        self._text = corpus.text
        self.has = lru_cache(maxsize=TEXT_CACHE)(self._contains)
        """`piece in` the library text, remembered: a search of the whole library text (~1 MB at 200
        documents) per word of every question otherwise."""
        self._scans = 0
        self._index: CharacterIndex | None = None
        self.announcements = "\n".join(t for k, t in zip(corpus.keys, corpus.texts) if k.endswith(":0"))
        """The text of every document's announcement (article 0)."""
        self.departments = "\n".join(dict.fromkeys(d.lower() for a in corpus.articles.values() for d in a.departments))
        """Every department an article names under its role (责任单位:市科技局): the bodies the
        library names as responsible, beside the announcements' issuers and contacts."""
        self._announcement_positions = frozenset(i for i, k in enumerate(corpus.keys) if k.endswith(":0"))
        self._spread_cache: OrderedDict[str, frozenset[int]] = OrderedDict()
        self._starts = [0, *accumulate(len(t) + 1 for t in self.texts)]
        """Where each article's text starts in the library text (the texts joined by newlines, the
        documents' titles and bodies after them)."""

    def names_body(self, word: str) -> bool:
        """The library names `word` as a department or in an announcement (市经信局, 市委人才办), not
        only as a thing an article supports (概念验证中心)."""
        return word in self.departments or word in self.announcements

    def in_measures(self, form: str) -> bool:
        """An article other than an announcement contains the form, and no announcement does
        (标准制定 in 第16条: a measure, not a question about who drafted the document)."""
        return form not in self.announcements and bool(self.articles_with(form) - self._announcement_positions)

    def contains(self, word: str) -> bool:
        """The library text contains the word (an English word only as a whole word: `me` is not
        in `MEMS`)."""
        if is_cjk(word):
            return self.has(word)
        if word.isascii() and word.isalpha():
            return word in self._latin_words
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", self._text) is not None

    @cached_property
    def _latin_words(self) -> frozenset[str]:
        """Every run of Latin letters in the library text: an English word is contained as a whole
        word when it is one of them (a regex over ~1 MB per word was ~6 ms at 200 documents)."""
        return frozenset(re.findall(r"[a-z]+", self._text))

    def spelled_out(self, parts: list[str]) -> str:
        """The first phrase of the library holding the parts in order with at most ABBREVIATION_GAP
        characters between them (总体…目标 in 总体发展目标): what a word of those parts abbreviates;
        '' when none does."""
        if len(parts) < 2:
            return ""
        gap = f"[\u4e00-\u9fff]{{0,{ABBREVIATION_GAP}}}"
        m = re.search(gap.join(map(re.escape, parts)), self._text)
        return m.group(0) if m else ""

    def initials_spelled(self, word: str, is_word: Callable[[str], bool]) -> str:
        """What a two-character word no dictionary lists abbreviates in the library's text, as the
        initials of two words (see the module's `spelled_out`)."""
        return spelled_out(word, self._text, is_word)

    def articles_with(self, form: str) -> frozenset[int]:
        """Positions of the articles whose text contains the form (a bounded cache)."""
        found = self._spread_cache.pop(form, None)
        if found is None:
            found = self._find_articles(form)
        self._spread_cache[form] = found
        while len(self._spread_cache) > SPREAD_CACHE:
            self._spread_cache.popitem(last=False)
        return found

    def prepare(self) -> None:
        """Index the text's characters now (a server before its first question), not after
        SCANS_BEFORE_INDEX searches in the middle of one."""
        if self._index is None:
            self._index = CharacterIndex(self._text)

    def _indexed(self) -> CharacterIndex | None:
        """The character index, once this process has searched the text SCANS_BEFORE_INDEX times."""
        if self._index is None:
            self._scans += 1
            if self._scans > SCANS_BEFORE_INDEX:
                self._index = CharacterIndex(self._text)
        return self._index

    @cached_property
    def _start_array(self) -> "Any":
        import numpy as np

        return np.asarray(self._starts, dtype=np.int64)

    def _contains(self, piece: str) -> bool:
        index = self._indexed() if piece else None
        return bool(index.starts(piece).size) if index is not None else piece in self._text

    def _find_articles(self, form: str) -> frozenset[int]:
        """The articles holding the form, found in the joined library text: by the character
        index, or by one search skipping to the next article after each find (a loop over 4,200
        article texts per form was ~10 ms of a question at 200 documents)."""
        if not form or "\n" in form:
            return frozenset(i for i, t in enumerate(self.texts) if form in t)
        index = self._indexed()
        if index is not None:
            import numpy as np

            at = index.starts(form, end=self._starts[-1])
            owners = np.searchsorted(self._start_array, at, "right") - 1
            return frozenset(np.unique(owners).tolist())
        found: list[int] = []
        end, pos = self._starts[-1], 0
        while (at := self._text.find(form, pos, end)) >= 0:
            i = bisect_right(self._starts, at) - 1
            found.append(i)
            pos = self._starts[i + 1]
        return frozenset(found)

    def spread(self, form: str) -> float:
        """Share of articles whose text contains the form."""
        return len(self.articles_with(form)) / (len(self.texts) or 1)


__all__ = ["LibraryText"]
