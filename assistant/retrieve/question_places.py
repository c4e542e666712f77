"""The places a question names: inside the library's jurisdiction (its districts and counties,
and places abroad, which are venues), or other places of China — and whether the question asks
about such another place's own policy."""

from __future__ import annotations

import re

from ..ingest.corpus import Corpus
from ..lang import places as places_mod
from ..lang import reading
from ..lang.cues import pattern
from ..lang.lexical import is_cjk, latin_words
from .library_text import LibraryText

_COMPARED_BEFORE = pattern("comparison_before_place")
_COMPARED_AFTER = pattern("comparison_after_place")


class PlaceReader:
    """Reads the places of a question against one library's jurisdictions."""

    def __init__(self, corpus: Corpus, text: LibraryText) -> None:
        self.jurisdictions = corpus.jurisdictions
        self.text = text
        self.inside = places_mod.prefixes_of(corpus.jurisdictions)
        """The gazetteer prefixes of the library's jurisdictions."""

    def read(self, question: str, tokens: list[str]) -> tuple[list[str], list[str]]:
        """(places of the library's jurisdiction — its districts and counties at any level, by full
        or short name — and places abroad, which are venues; other places of China) named in the
        question."""
        gaz = places_mod.gazetteer()
        local = places_mod.names_within(self.inside) if self.inside else {}
        inside: list[str] = []
        other: list[str] = []
        # county names without 区/县/市 are read in the jurisdiction's province too (德清, 海宁)
        province = frozenset(p[:2] for p in self.inside)
        mentions = places_mod.find_places(question, self.inside | province)
        english = {m.text.lower(): m for m in mentions if m.text.isascii()}
        candidates = [t for t in tokens if t.lower() not in english]
        candidates += [w for w in latin_words(question) if w not in english]
        candidates += [m.text for m in mentions if not m.text.isascii()]
        for m in mentions:  # a county of the province by its short name (德清): its places decide
            if not m.text.isascii() and m.text not in gaz and m.text not in local and m.places \
                    and not places_mod.inside(m.places, self.inside) and not self.text.has(m.text):
                other.append(m.text)
        for key, m in english.items():  # English names (Xiaoshan, Fuyang, Pudong District): their places
            if places_mod.inside(m.places, self.inside):  # decide, the local one first
                inside.append(key)
            elif not self.text.has(key):
                other.append(key)
        candidates += [j for j in self.jurisdictions if is_cjk(j) and j in question]  # 在杭
        # a place abroad by its English name as written (Munich, Germany): a venue
        candidates += [w for w in re.findall(r"\b[A-Z][a-z]{2,}\b", question) if places_mod.is_abroad(w)]
        for tok in candidates:
            key = tok.lower()
            if key in self.jurisdictions or key in local or places_mod.is_abroad(tok):
                inside.append(tok)
                continue
            found = gaz.get(key)
            if not found:
                continue
            if places_mod.inside(found, self.inside):
                inside.append(tok)
            elif not self.text.has(key):
                other.append(tok)
        # A name right after a country abroad is a place there (德国汉诺威): a venue too; one right
        # after a place of the jurisdiction is a place within it (临安青山湖).
        for i, tok in enumerate(tokens[:-1]):
            nxt = tokens[i + 1]
            if (places_mod.is_abroad(tok) or tok in inside) and is_cjk(nxt) and len(nxt) >= 2 \
                    and not self.text.has(nxt) and places_mod.is_proper_noun(nxt):
                inside.append(nxt)
                if nxt in other:
                    other.remove(nxt)
        inside = list(dict.fromkeys(inside))
        other = [o for o in dict.fromkeys(other) if not any(o in i and o != i for i in inside)]
        return inside, other


def policy_of_other_place(question: str, other: list[str]) -> bool:
    """Another jurisdiction's policy is asked about even though the library's place is named
    too (深圳对人形机器人首台套的补贴比例是多少?跟杭州比哪个高; 上海那边人形机器人产业化项目资助比例
    是多少): a policy word follows the other place in its clause with no firm between them, and no
    purchase or sale leads to the place — unlike a supplier's place (上海一家公司研发的工具包, 从上海
    采购的芯片)."""
    c = reading.cues()
    lowered = question.lower()
    for name in other:
        at = lowered.find(name.lower())
        if at < 0:
            continue
        before, after = reading.clause_before(lowered, at), lowered[at + len(name):reading.clause_at(lowered, at).end]
        if _COMPARED_BEFORE.search(before) and _COMPARED_AFTER.match(after):
            return True  # 杭州的人形机器人政策和上海的比: that place's policy, weighed against the library's
        if any(w in before for w in c.supplier_cues + c.counterpart_cues):
            continue
        hits = [after.find(w) for w in c.policy_words if w in after]
        if not any(w in before for w in (*c.location_cues, *c.at_place, *c.self_words)):
            # 上海的人形机器人首台套补多少: the place's own money, not where the enterprise is
            hits += [after.find(w) for w in c.money_asks if is_cjk(w) and w in after]
        if hits and not any(w in after[:min(hits)] for w in c.entity_nouns):
            return True
    return False


COUNTERPART_REACH = 4
"""Characters between a place and the firm it is of (上海的经销商, 上海一家公司)."""


def counterpart_place(question: str, name: str) -> bool:
    """A place that is a trading counterpart's, not the jurisdiction a question is about: a supplier
    or customer cue before it in its clause (从上海一家公司采购, 卖给上海的经销商), or, in a question
    about buying or selling, a firm right after it (上海一家公司研发的芯片) or before it in English
    (a distributor in Shanghai) — unless the enterprise places itself there (我们是上海的企业)."""
    c = reading.cues()
    lowered = question.lower()
    at = lowered.find(name.lower())
    if at < 0:
        return False
    before = reading.clause_before(lowered, at)
    if any(w in before for w in c.supplier_cues + c.counterpart_cues):
        return True
    if not any(v in lowered for v in c.purchase_verbs + c.trade_verbs) \
            or any(w in before for w in c.location_cues):
        return False
    after = lowered[at + len(name):at + len(name) + COUNTERPART_REACH + 4]
    if any(0 <= after.find(n) <= COUNTERPART_REACH for n in c.entity_nouns if is_cjk(n)):
        return True
    words = before.split()
    return len(words) >= 2 and words[-1] in ("in", "from") and any(
        words[-2].startswith(n) for n in c.entity_nouns if n.isascii())


__all__ = ["PlaceReader", "counterpart_place", "policy_of_other_place"]
