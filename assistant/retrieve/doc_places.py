"""Routing by place: each document's own place (the most specific of its jurisdiction) and how it
relates to the place a question names, over the hierarchy district → city → province.

Pure look-ups over general geography (`data/places.tsv`; adcodes give the hierarchy: 33 province,
3301 city, 330110 district); nothing here knows a policy. `places.py` is the project's reader of
places in text (scope, 政策体检); this module answers one question for routing: which documents
belong to the place a question names, at any level.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Literal

from ..lang.cues import pattern
from ..lang.places import Place, _by_code, gazetteer, pinyin_of
from ..lang.places import parents as places_parents

_VENUE = pattern("venue_after_place")


Relation = Literal["same", "inside", "contains", "other"]
"""How a document's place relates to a place a question names: `same`; `inside` — the question's
place lies inside the document's (a district asked, a city's document); `contains` — the
document's place lies inside the question's (a city asked, a district's document); `other`."""

_SUFFIX = pattern("place_level_suffix")


def _table() -> tuple[dict[str, tuple[Place, ...]], dict[str, Place]]:
    """(name, short name, pinyin → places; adcode → place): the one gazetteer of `places.py`."""
    return gazetteer(), _by_code()


@lru_cache(maxsize=1)
def _chinese_names() -> dict[Place, tuple[str, ...]]:
    """place → every Chinese name the gazetteer gives it (built once: looking each place up in the
    whole table was 2 s of the first answer of a 200-document library)."""
    out: dict[Place, list[str]] = {}
    for name, places in _table()[0].items():
        if not name.isascii():
            for place in places:
                out.setdefault(place, []).append(name)
    return {p: tuple(v) for p, v in out.items()}


def lookup(name: str) -> tuple[Place, ...]:
    """Places of China with that name (full, short or pinyin)."""
    return _table()[0].get(name.strip().lower() if name.isascii() else name.strip(), ())


def parents(place: Place) -> list[Place]:
    """The places above it, nearest first (district → city → province)."""
    return list(places_parents(place))


def relation(asked: Place, doc_place: Place) -> Relation:
    """How a document's place relates to the place a question names."""
    if asked.adcode == doc_place.adcode:
        return "same"
    if asked.adcode.startswith(doc_place.prefix):
        return "inside"
    if doc_place.adcode.startswith(asked.prefix):
        return "contains"
    return "other"


def own_place(names: Iterable[str]) -> Place | None:
    """The most specific place among a document's jurisdiction names, read consistently: an
    ambiguous name (several 鼓楼区) is the one inside another place the list names."""
    names = [n for n in names if n]
    candidates = [p for n in names for p in lookup(n)]
    if not candidates:
        return None
    codes = {p.adcode for p in candidates}

    def support(p: Place) -> int:
        return sum(1 for q in parents(p) if q.adcode in codes)

    return max(candidates, key=lambda p: (support(p), p.rank, -len(lookup(p.name))))


@dataclass(frozen=True)
class PlaceIndex:
    """The places the documents of a library belong to, and the names a question may use for
    them (a county-level unit also without 市/区/县: 义乌, 慈溪, 临安)."""

    own: dict[str, Place]
    """doc_id → its place (documents with no place left out)."""
    names: dict[str, tuple[Place, ...]]
    """Every name of those places and of the places above them → the places."""
    longest: int

    def mentions(self, question: str) -> list[tuple[int, int, tuple[Place, ...]]]:
        """(start, end, places) of every name of the library's places in the question, the
        longest name at each position."""
        out = []
        n = len(question)
        lowered = question.lower()
        i = 0
        while i < n:
            for j in range(min(n, i + self.longest), i + 1, -1):
                places = self.names.get(lowered[i:j])
                if places and (not lowered[i:j].isascii() or _whole_word(lowered, i, j)):
                    if not _VENUE.match(lowered, j):  # (在上海的展会: where the fair is, not whose policy)
                        out.append((i, j, places))
                    i = j - 1
                    break
            i += 1
        return out

    def named(self, question: str) -> list[Place]:
        """Places of the library the question names, no repeats."""
        found: dict[str, Place] = {}
        for _, _, places in self.mentions(question):
            for p in places:
                found.setdefault(p.adcode, p)
        return list(found.values())

    def most_specific(self, question: str) -> list[Place]:
        """The named places that no other named place lies inside (湖州市吴兴区 → 吴兴区)."""
        named = self.named(question)
        return [p for p in named
                if not any(q is not p and relation(q, p) == "inside" for q in named)]


def _whole_word(text: str, start: int, end: int) -> bool:
    """text[start:end] is a whole Latin word (Hangzhou in `in Hangzhou?`, not in `hangzhouese`)."""
    return not (start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()) \
        and not (end < len(text) and text[end].isascii() and text[end].isalpha())


_INDEXES: "weakref.WeakKeyDictionary[object, PlaceIndex]" = weakref.WeakKeyDictionary()


def place_index(corpus: object) -> PlaceIndex:
    """The PlaceIndex of a corpus (anything with `.documents` whose items have `.doc_id` and
    `.meta.jurisdiction`), computed once per corpus."""
    cached = _INDEXES.get(corpus)
    if cached is not None:
        return cached
    own: dict[str, Place] = {}
    names: dict[str, set[Place]] = {}
    for doc in corpus.documents:  # type: ignore[attr-defined]
        place = own_place(doc.meta.jurisdiction)
        if place is None:
            continue
        own[doc.doc_id] = place
        for p in [place, *parents(place)]:
            keys = {p.name, *_chinese_names().get(p, ()), pinyin_of(p)}  # (in Hangzhou: 杭州)
            core = _SUFFIX.sub("", p.name)
            if p.rank == 2 and core != p.name and len(core) >= 2:
                keys.add(core)  # 义乌市 is called 义乌, 临安区 临安, 德清县 德清
            for key in keys:
                if len(key) >= 2:
                    names.setdefault(key, set()).add(p)
    built = PlaceIndex(own, {k: tuple(sorted(v, key=lambda p: p.adcode)) for k, v in names.items()},
                       max((len(k) for k in names), default=0))
    _INDEXES[corpus] = built
    return built


def has_own_document(corpus: object, adcode: str) -> bool:
    """Is the place a document's own place, or above one (a document's city or province)?"""
    index = place_index(corpus)
    for place in index.own.values():
        if place.adcode == adcode or any(p.adcode == adcode for p in parents(place)):
            return True
    return False
