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
        self._spread_cache: OrderedDict[str, frozenset[int]] = OrderedDict()

    def contains(self, word: str) -> bool:
        """The library text contains the word (an English word only as a whole word: `me` is not
        in `MEMS`)."""
        if is_cjk(word):
            return self.has(word)
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", self._text) is not None

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
