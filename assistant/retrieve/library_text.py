"""What the library's text contains: a piece of a question found in it, the articles holding a
form, and the share of articles that do (remembered in bounded caches)."""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache

from ..ingest.corpus import Corpus
from ..lang.lexical import is_cjk

SPREAD_CACHE = 20_000
"""Words whose article positions are remembered (the cache stays bounded under any traffic)."""
ABBREVIATION_GAP = 3
"""Characters a Chinese abbreviation may leave out between two of its parts (总体目标 for
总体发展目标)."""
TEXT_CACHE = 20_000
"""Pieces of questions whose presence in the library text is remembered (bounded likewise)."""


class LibraryText:
    """Containment in one corpus's article texts."""

    def __init__(self, corpus: Corpus) -> None:
        self.texts = corpus.texts
        self._text = corpus.text
        self.has = lru_cache(maxsize=TEXT_CACHE)(self._text.__contains__)
        """`piece in` the library text, remembered: a scan of the whole library text (~1 MB at 200
        documents) per word of every question otherwise."""
        self.announcements = "\n".join(t for k, t in zip(corpus.keys, corpus.texts) if k.endswith(":0"))
        """The text of every document's announcement (article 0)."""
        self.departments = "\n".join(dict.fromkeys(d.lower() for a in corpus.articles.values() for d in a.departments))
        """Every department an article names under its role (责任单位:市科技局): the bodies the
        library names as responsible, beside the announcements' issuers and contacts."""
        self._announcement_positions = frozenset(i for i, k in enumerate(corpus.keys) if k.endswith(":0"))
        self._spread_cache: OrderedDict[str, frozenset[int]] = OrderedDict()

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
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", self._text) is not None

    def spelled_out(self, parts: list[str]) -> str:
        """The first phrase of the library holding the parts in order with at most ABBREVIATION_GAP
        characters between them (总体…目标 in 总体发展目标): what a word of those parts abbreviates;
        '' when none does."""
        if len(parts) < 2:
            return ""
        gap = f"[\u4e00-\u9fff]{{0,{ABBREVIATION_GAP}}}"
        m = re.search(gap.join(map(re.escape, parts)), self._text)
        return m.group(0) if m else ""

    def articles_with(self, form: str) -> frozenset[int]:
        """Positions of the articles whose text contains the form (a bounded cache)."""
        found = self._spread_cache.pop(form, None)
        if found is None:
            found = frozenset(i for i, t in enumerate(self.texts) if form in t)
        self._spread_cache[form] = found
        while len(self._spread_cache) > SPREAD_CACHE:
            self._spread_cache.popitem(last=False)
        return found

    def spread(self, form: str) -> float:
        """Share of articles whose text contains the form."""
        return len(self.articles_with(form)) / (len(self.texts) or 1)


__all__ = ["LibraryText"]
