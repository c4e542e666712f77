"""Scope: does the library cover a question, cover it in part, or not at all — and on what evidence.

Evidence for a question being covered:
- its specific words are in the library, verbatim, through a synonym of the library's vocabulary,
  through the English bridge, or with one wrong character (a typo of a library term);
- a word that picks out a few articles (首台套, 揭榜挂帅) is an *anchor*: strong positive evidence.

Evidence against:
- another jurisdiction (a place of China outside every document's own, from the gazetteer), unless
  the library's own place is named too;
- another named policy (a 《title》 or a '…指导意见/行动计划' name that matches no library document);
- specific words the library lacks, weighted by how specific they are in *general* usage
  (wordfreq), so that 干嘛, 提到 or `like` weigh nothing and 公积金, 摇号 or `passport` a lot.

A question whose anchor outweighs what is missing, or whose specific words are mostly found, is
covered; when it also asks for something the text lacks (材料, 电话, 交税 …) the answer is graded:
the closest article with the gap stated. Constants are calibrated by `scripts/calibrate.py`.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal

from ..lang.bridge import english_keys
from ..lang.cues import pattern
from ..ingest.corpus import Corpus
from ..lang import places as places_mod
from ..lang import reading
from ..lang.lexical import Tokenizer, function_words, is_cjk, latin_words, specificity, typo_terms
from ..models import Verdict

DATA = Path(__file__).parent.parent / "data"
SPREAD_CACHE = 20_000
"""Words whose article positions are remembered (the cache stays bounded under any traffic)."""
TEXT_CACHE = 20_000
"""Pieces of questions whose presence in the library text is remembered (bounded likewise)."""
Match = Literal["verbatim", "synonym", "typo", "translation", "parts"]


@dataclass(frozen=True)
class ScopeParams:
    """The constants of the judgement (see `scripts/calibrate.py` for how they were chosen)."""

    coverage_threshold: float = 0.5
    """Share of the question's specific weight found in the library at which it counts as covered."""
    anchor_min: float = 1.5
    """Anchor strength (specificity × selectivity) that makes a question covered on its own …"""
    anchor_margin: float = 0.0
    """… provided it exceeds the most specific missing word by this much."""
    single_char_scale: float = 0.25
    """One Chinese character says little about a topic (领, 评, 年)."""
    partial_credit: float = 0.5
    """A compound the library words differently whose parts it has (意见反馈 ~ 意见或建议)."""
    translation_credit: float = 0.6
    """An English word reached through the dictionary bridge is weaker evidence than a verbatim one."""
    spread_discount: float = 0.5
    """A word found in every article (机器人 in a robot policy) names the library's domain, not a
    topic in it: its weight counts this much less, times its spread."""
    typo_min: float = 1.0
    """Only a library term at least this specific is a typo correction."""
    domain_spread: float = 0.8
    """A word found in at least this share of articles names the library's domain (机器人) …"""
    domain_only_missing: float = 0.5
    """… and when it is all a question has in common with the library while a word at least this
    specific is missing (机器人餐厅, a joke about robots), the topic is elsewhere."""
    support_min: float = 2.0
    """Specific words found together in one article (短期 + 产出 in the article on project
    attraction) at least this heavy, and heavier than what is missing, cover a question …"""
    support_word: float = 0.5
    """… counting words at least this specific …"""
    support_spread: float = 0.5
    """… that are in at most this share of articles."""
    code_weight: float = 3.0
    """A code-like term found verbatim (1+3+5, MEMS, 5G) is as specific as a rare word."""
    untranslated_english: float = 0.7
    """An English word with no translation into the library is weaker evidence against a question
    than a Chinese word the library lacks: the bridge knows only part of English."""
    year_weight: float = 2.0
    """A year the library names (到2026年) is specific evidence, a little less than a code."""
    example_scale: float = 0.25
    """A word inside an example (e.g. Automatica in Munich, 比如宇树的机器狗) illustrates the topic
    and weighs this much of its specificity: a trade fair's or a firm's name is never in a policy."""


@dataclass(frozen=True)
class WordEvidence:
    """One topic word of a question."""

    word: str
    weight: float
    """General-usage specificity."""
    found: str = ""
    """The library form it matched ('' when missing)."""
    how: Match | None = None
    spread: float = 1.0
    """Share of articles containing the found form (an anchor picks out few)."""
    credit: float = 0.0
    """Share of the weight counted as found (1 for a match, a fraction for parts)."""

    @property
    def anchor(self) -> float:
        """Specific and selective: a verbatim (or synonym, or typo-corrected) library word that
        picks out few articles."""
        if self.credit < 1.0 or self.how in ("translation", "parts"):
            return 0.0
        return self.weight * (1.0 - self.spread)


@dataclass(frozen=True)
class Scope:
    """The verdict and the evidence behind it."""

    verdict: Verdict
    reason: str
    words: tuple[WordEvidence, ...] = ()
    coverage: float = 0.0
    anchor: float = 0.0
    missing: float = 0.0
    gaps: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    inside_places: tuple[str, ...] = ()
    """Places the question names inside the library's jurisdiction (杭州, 桐庐)."""
    other_policies: tuple[str, ...] = ()
    facets: tuple[str, ...] = ()
    """Document facets asked about (status, consultation, contact, drafter, number, date)."""
    corrected: str = ""
    """The question with typos of library terms corrected (what retrieval searches)."""
    expansions: tuple[str, ...] = ()
    """Library terms the question reaches through synonyms and the English bridge."""
    english: bool = False
    meta: bool = False
    """The question is about the document itself (status, consultation, contact …)."""

    @property
    def covered(self) -> bool:
        return self.verdict != "not_covered"

    def evidence(self) -> dict[str, object]:
        return {"verdict": self.verdict, "reason": self.reason, "coverage": round(self.coverage, 3),
                "anchor": round(self.anchor, 3), "missing": round(self.missing, 3),
                "gaps": list(self.gaps), "other_places": list(self.other_places),
                "other_policies": list(self.other_policies), "facets": list(self.facets),
                "words": [(w.word, round(w.weight, 2), w.found, w.how) for w in self.words]}


RARE_ENTRY_COUNT = 5
RARE_ENTRY_MAX_CHARS = 6
CHANCE_PART_MAX_WEIGHT = 0.25
CHANCE_SINGLE_CHARS = 2
"""A word this common (全部) may be part of a chance pairing; 职业 + 技能 or 等级 + 证书 are not."""
"""jieba dictionary counts at or below which an entry of three or more characters may be a chance
pairing of commoner words (全部列 2, 算在里面 3)."""


# --- the gazetteer --------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _gap_facets() -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, tuple[str, ...]]]:
    """(facet → how questions ask for it, facet → words that show a text specifies it)."""
    raw = json.loads((DATA / "gap_facets.json").read_text(encoding="utf-8"))
    facets = {k: v for k, v in raw.items() if not k.startswith("_")}
    return ({k: {lang: tuple(p) for lang, p in v["ask"].items()} for k, v in facets.items()},
            {k: tuple(v["text"]) for k, v in facets.items()})


def facet_noun(phrase: str) -> bool:
    """An asked phrase that names a thing (邮箱, 电话, 表格), not a way of asking (怎么申请)."""
    return not pattern("facet_asking").search(phrase)


def _phrases_in(question: str, table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, list[str]]:
    """Facet → the phrases of the table the question uses (Chinese by substring, English by word)."""
    lowered = question.lower()
    words = set(latin_words(question))
    out: dict[str, list[str]] = {}
    for facet, langs in table.items():
        hits = [p for p in langs.get("zh", ()) if p in question]
        hits += [p for p in langs.get("en", ()) if (" " in p and p in lowered) or p in words]
        if hits:
            out[facet] = hits
    return out


@lru_cache(maxsize=1)
def _facets() -> dict[str, dict[str, tuple[str, ...]]]:
    raw = json.loads((DATA / "document_facets.json").read_text(encoding="utf-8"))
    return {k: {lang: tuple(v) for lang, v in langs.items()} for k, langs in raw.items()
            if not k.startswith("_")}


_POLICY_NAME = pattern("policy_name")
_ORGANIZATION = pattern("organization")
"""Names of departments and bodies (市科技局, 市委人才办): issuers and contacts, not measures."""
_CODE = re.compile(r"(?<![A-Za-z0-9])(?:\d+(?:[+＋/]\d+){1,4}|[A-Z]{2,6}\d*[+]?)(?![A-Za-z0-9])")
"""1+3+5, 5G, MEMS, AGV: terms made of digits, capitals and + that jieba cuts into nothing."""
_YEAR = pattern("question_year")
"""A year as people write it in a question (2026年)."""
_ISSUED_BY = pattern("issued_by")
"""A question asking which bodies issued the document: a question word, a kind of body, an issuing
verb closing the clause (哪两个单位一起发的, 几个部门联合印发的; not 哪个部门发的补贴)."""
_DEMONSTRATIVE = pattern("demonstrative")
_QUESTION_WORDS = pattern("question_words")
_TITLE_NOISE = pattern("title_noise")


def _bigrams(text: str) -> set[str]:
    text = _TITLE_NOISE.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


_REFERENCE = pattern("scope_article_reference")


def strip_figures(question: str) -> str:
    """The question without article references and amounts (they are read elsewhere and say
    nothing about the topic)."""
    from ..lang.amounts import find_amounts

    text = _REFERENCE.sub(" ", question)
    for m in reversed(find_amounts(text)):
        text = text[:m.start] + " " + text[m.end:]
    return text


# --- the judge ------------------------------------------------------------------------------------
POLICY_OF_PLACE_REACH = 12
"""Characters after another jurisdiction's name in which a policy word makes the question about
that place's policy (深圳对人形机器人首台套的补贴: 补贴 is 11 characters on)."""


class ScopeJudge:
    """Weighs a question's evidence against one library (corpus + its vocabulary and bridge)."""

    TYPO_LENGTHS = (3, 4, 5, 6)

    def __init__(self, corpus: Corpus, tokenizer: Tokenizer, bridge: dict[str, list[str]] | None = None,
                 params: ScopeParams | None = None, terms: Iterable[str] | None = None) -> None:
        self.corpus = corpus
        self.tokenizer = tokenizer
        self.bridge = bridge or {}
        self.params = params or ScopeParams()
        self.spec = specificity()
        self._texts = corpus.texts
        self._text = corpus.text
        self._has = lru_cache(maxsize=TEXT_CACHE)(self._text.__contains__)
        """`piece in self._text` remembered: a scan of the whole library text (~1 MB at 200
        documents) per word of every question otherwise."""
        self._article0 = "\n".join(t for k, t in zip(corpus.keys, corpus.texts) if k.endswith(":0"))
        self._spread_cache: OrderedDict[str, frozenset[int]] = OrderedDict()
        self._inside = self._jurisdiction_prefixes()
        self._titles = [(_bigrams(t), t) for d in corpus.documents
                        for t in [d.title, d.meta.short_title or "", *d.meta.aliases, *d.meta.basis] if t]
        self._typo_index = self._build_typo_index(terms)

    # -- library look-ups ----------------------------------------------------------------------
    def _jurisdiction_prefixes(self) -> frozenset[str]:
        return places_mod.prefixes_of(self.corpus.jurisdictions)

    def _contains(self, word: str) -> bool:
        """The library text contains the word (an English word only as a whole word: `me` is not
        in `MEMS`)."""
        if is_cjk(word):
            return self._has(word)
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", self._text) is not None

    def articles_with(self, form: str) -> frozenset[int]:
        """Positions of the articles whose text contains the form (a bounded cache)."""
        found = self._spread_cache.pop(form, None)
        if found is None:
            found = frozenset(i for i, t in enumerate(self._texts) if form in t)
        self._spread_cache[form] = found
        while len(self._spread_cache) > SPREAD_CACHE:
            self._spread_cache.popitem(last=False)
        return found

    def spread(self, form: str) -> float:
        """Share of articles whose text contains the form."""
        return len(self.articles_with(form)) / (len(self._texts) or 1)

    def _build_typo_index(self, terms: Iterable[str] | None) -> dict[str, set[str]]:
        """Masked forms of the library's specific terms: 揭*挂帅 → {揭榜挂帅}."""
        if terms is None:
            terms = [t for text in self._texts for t in typo_terms(text, self.tokenizer)]
        index: dict[str, set[str]] = {}
        for term in set(terms) | set(self.corpus.vocabulary.terms):
            if len(term) not in self.TYPO_LENGTHS or not re.fullmatch(r"[\u4e00-\u9fff]+", term):
                continue
            for i in range(len(term)):
                index.setdefault(term[:i] + "*" + term[i + 1:], set()).add(term)
        return index

    # -- evidence --------------------------------------------------------------------------------
    def correct_typos(self, question: str) -> tuple[str, list[tuple[str, str]]]:
        """The question with one-character typos of library terms corrected, and the fixes.

        Only a token the library lacks and the dictionary does not know (揭膀, 征球, 首台陶) is a
        typo candidate; a window around it is corrected when exactly one specific library term
        differs from it in one character, and that character falls inside the unknown token."""
        fixes: list[tuple[str, str]] = []
        pos = 0
        for tok in self.tokenizer.cut(question, search=False):
            start = question.find(tok, pos)
            if start < 0:
                continue
            pos = start + len(tok)
            if not re.fullmatch(r"[\u4e00-\u9fff]+", tok) or tok in function_words():
                continue
            # A dictionary word (人行) is a typo only when it sounds like the library term's part
            # — even when the library text happens to contain it (机器人行业 contains 人行).
            known = len(tok) > 1 and self.tokenizer.is_word(tok)
            if self._has(tok) and not known:
                continue
            fix = self._typo_fix(question, start, start + len(tok), sound_only=known)
            if fix and fix not in fixes:
                fixes.append(fix)
        text = question
        for wrong, right in fixes:
            text = text.replace(wrong, right)
        return text, fixes

    def _typo_fix(self, question: str, start: int, end: int,
                  sound_only: bool = False) -> tuple[str, str] | None:
        for size in sorted(self.TYPO_LENGTHS, reverse=True):
            for left in range(max(0, start - size + 1), min(end - 1, len(question) - size) + 1):
                window = question[left:left + size]
                if not re.fullmatch(r"[\u4e00-\u9fff]+", window) or self._has(window):
                    continue
                found: set[str] = set()
                for i in range(max(start, left) - left, min(end, left + size) - left):
                    found |= self._typo_index.get(window[:i] + "*" + window[i + 1:], set())
                if len(found) == 1:
                    (term,) = found
                    whole = end - start >= 3 and left <= start and end <= left + size and not sound_only
                    if self.spec.weight(term) >= self.params.typo_min \
                            and (whole or _sounds_alike(window, term)):
                        return window, term
        return None

    def places(self, question: str, tokens: list[str]) -> tuple[list[str], list[str]]:
        """(places of the library's jurisdiction — its districts and counties at any level, by full
        or short name — and places abroad, which are venues; other places of China) named in the
        question."""
        gaz = places_mod.gazetteer()
        local = places_mod.names_within(self._inside) if self._inside else {}
        inside, other = [], []
        candidates = [t for t in tokens] + latin_words(question)
        candidates += [m.text for m in places_mod.find_places(question, self._inside)]
        candidates += [j for j in self.corpus.jurisdictions if is_cjk(j) and j in question]  # 在杭
        for tok in candidates:
            key = tok.lower()
            if key in self.corpus.jurisdictions or key in local or places_mod.is_abroad(tok):
                inside.append(tok)
                continue
            found = gaz.get(key)
            if not found:
                continue
            if places_mod.inside(found, self._inside):
                inside.append(tok)
            elif not self._has(key):
                other.append(tok)
        # A name right after a country abroad is a place there (德国汉诺威): a venue too.
        for i, tok in enumerate(tokens[:-1]):
            nxt = tokens[i + 1]
            if places_mod.is_abroad(tok) and is_cjk(nxt) and len(nxt) >= 2 and not self._has(nxt) \
                    and places_mod.is_proper_noun(nxt):
                inside.append(nxt)
        inside = list(dict.fromkeys(inside))
        other = [o for o in dict.fromkeys(other) if not any(o in i and o != i for i in inside)]
        return inside, other

    @staticmethod
    def _policy_of_other_place(question: str, other: list[str]) -> bool:
        """Another jurisdiction's policy is asked about even though the library's place is named
        too (深圳对人形机器人首台套的补贴比例是多少?跟杭州比哪个高): a policy word follows the other
        place within a few characters — unlike a supplier's place (上海一家公司研发的工具包)."""
        words = reading.cues().policy_words
        for name in other:
            at = question.find(name)
            after = question[at + len(name):at + len(name) + POLICY_OF_PLACE_REACH].lower() if at >= 0 else ""
            if any(w in after for w in words):
                return True
        return False

    def policies(self, question: str) -> list[str]:
        """Policy names in the question that match no library document."""
        out = []
        for m in _POLICY_NAME.finditer(question):
            name = m.group(1) or m.group(2)
            if m.group(2) and (_QUESTION_WORDS.search(name) or _DEMONSTRATIVE.search(name)):
                continue  # 这个条例, 该办法: the document being talked about, not another one
            # An unbracketed name may have picked up words before it: try its tails too.
            tails = [name] if m.group(1) else [name[i:] for i in range(0, max(1, len(name) - 5))]
            best, known = 0.0, False
            for tail in tails:
                grams = _bigrams(tail)
                if len(grams) < 3:
                    continue
                best = max([best] + [len(grams & g) / len(grams) for g, _ in self._titles])
                known = known or self._has(_TITLE_NOISE.sub("", tail).lower())
            if best >= 0.6 or known or not any(len(_bigrams(t)) >= 3 for t in tails):
                continue
            out.append(name)
        return out

    def facets(self, question: str) -> list[str]:
        """Document facets the question asks about (status, consultation, contact …); a question
        asking which bodies issued it (哪个部门印发的, 几个单位联合发的) asks for its issuer."""
        found = list(_phrases_in(question, _facets()))
        if "drafter" not in found and _ISSUED_BY.search(question):
            found.append("drafter")
        return found

    def gaps(self, question: str) -> list[str]:
        """What the question asks for that the library's text never mentions (申报材料 …)."""
        asks, evidence = _gap_facets()
        out = []
        for facet, phrases in _phrases_in(question, asks).items():
            # The facet is not specified anywhere, or what is asked (邮箱, 电话) is itself absent
            # though the facet's other words occur (联系方式).
            named = [p for p in phrases if is_cjk(p) and len(p) >= 2 and facet_noun(p)]
            if not any(self._has(w.lower()) for w in evidence[facet]) \
                    or (named and not any(self._has(p) for p in named)):
                out.append(facet)
        return out

    def _codes(self, question: str) -> list[WordEvidence]:
        """Code-like terms (1+3+5, MEMS, AI+) that the tokenizer would split into nothing: found
        verbatim in the library they are strong evidence."""
        out = []
        for m in _CODE.finditer(question):
            code = m.group(0).lower()
            if self._has(code) and not code.isdigit():
                out.append(WordEvidence(code, self.params.code_weight, code, "verbatim",
                                        self.spread(code), 1.0))
        for m in _YEAR.finditer(question):  # 到2026年: a target year the library names
            year = m.group(0)
            if self._has(year):
                out.append(WordEvidence(year, self.params.year_weight, year, "verbatim",
                                        self.spread(year), 1.0))
        return out

    def _topic_words(self, question: str, english: bool) -> list[str]:
        """Words that may carry a topic: no function words, numbers or amounts; a token jieba
        made up (能补, 问下) is replaced by its dictionary pieces; English compounds are split."""
        # 原文, 条款: the text itself; 市里, 区里: the library's own government
        func = function_words() | frozenset(reading.cues().text_words) | frozenset(reading.cues().place_deixis)
        if english:
            words: list[str] = []
            for w in latin_words(question):
                words += [p for p in re.split(r"[-']", w) if len(p) > 1] if "-" in w else [w]
            return [w for w in words if not w.isdigit() and len(w) > 1]
        out = []
        for tok in self.tokenizer.cut(question, search=False):
            pieces = [tok]
            if len(tok) > 1 and is_cjk(tok) and not self.tokenizer.is_word(tok) and not self._has(tok):
                pieces = [p for p in self.tokenizer.cut_plain(tok) if p.strip()]
            asking = reading.cues().interrogatives
            for piece in pieces:
                if piece in func or re.fullmatch(r"[\d.,%％]+[a-z%]*", piece) or piece.startswith(asking):
                    continue  # 哪些方面, 哪几个: a question word, not a topic
                out.append(piece)
        return out

    def _example_words(self, question: str, english: bool) -> set[str]:
        """Topic words that stand inside an example (after e.g., such as, 比如, 例如 … up to the
        end of the clause)."""
        out: set[str] = set()
        for m in _EXAMPLE.finditer(question):
            out |= set(self._topic_words(m.group(1), english))
        return out

    def _split_weight(self, word: str) -> float:
        """A dictionary entry jieba has seen only a few times (全部列, 算在里面: under
        RARE_ENTRY_COUNT) weighs no more than its best split into grammar words and single
        characters (全部 + 列, 算 + 在 + 里面): it is a chance pairing, not a rare term."""
        freq = self.tokenizer.frequency(word)
        if freq > RARE_ENTRY_COUNT or len(word) > RARE_ENTRY_MAX_CHARS:
            return float("inf")
        scale = self.params.single_char_scale
        grammar = function_words()

        def part(w: str) -> float:  # only grammar: 等级证书 (等级 + 证书) stays a term
            if len(w) == 1:
                return self.spec.weight(w) * scale
            weight = self.spec.weight(w)
            return weight if w in grammar or weight <= CHANCE_PART_MAX_WEIGHT else float("inf")

        def splits(rest: str) -> list[list[str]]:
            if not rest:
                return [[]]
            return [[rest[:i], *tail] for i in range(1, len(rest) + 1) if rest[:i] != word
                    for tail in splits(rest[i:])]

        best = float("inf")
        for parts in splits(word):  # a grammar word or two with at most two characters beside it
            singles = sum(1 for w in parts if len(w) == 1)
            if singles > CHANCE_SINGLE_CHARS or singles == len(parts) \
                    or not any(len(w) == 1 or w in grammar for w in parts):
                continue  # 国家 + 补贴: two content words make a term, not a chance pairing
            if any(len(a) == 1 and len(b) == 1 and self.tokenizer.frequency(a + b) > freq
                   for a, b in zip(parts, parts[1:])):
                continue  # 补 + 贴 are the word 补贴, not two characters
            best = min(best, max(part(w) for w in parts))
        return best

    def _evidence(self, word: str, english: bool) -> WordEvidence:
        p = self.params
        weight = self.spec.weight(word)
        if len(word) == 1 and is_cjk(word):
            weight *= p.single_char_scale
        elif len(word) >= 3 and is_cjk(word) and not self._contains(word):
            weight = min(weight, self._split_weight(word))
        if self._contains(word):
            return WordEvidence(word, weight, word, "verbatim", self.spread(word), 1.0)
        for form in self.corpus.vocabulary.expansions(word):
            form = form.lower()
            if self._has(form):
                return WordEvidence(word, weight, form, "synonym", self.spread(form), 1.0)
        if english:
            # Every sense the library has (select → 拣选 in logistics, 评选 of demonstration
            # scenarios): which one is meant is for the ranking to find out.
            forms = [form for key in english_keys(word) for form in self.bridge.get(key, ())
                     if self._has(form)]
            if forms:
                forms = list(dict.fromkeys(forms))
                where = frozenset().union(*(self.articles_with(f) for f in forms))
                return WordEvidence(word, weight, "、".join(forms), "translation",
                                    len(where) / (len(self._texts) or 1), p.translation_credit)
            return WordEvidence(word, weight)
        if len(word) > 2:
            parts = [t for t in self.tokenizer.cut(word, search=True) if len(t) >= 2 and t != word]
            found = [t for t in parts if self._has(t)]
            chars = set().union(*(set(t) for t in found)) if found else set()
            if chars >= set(word):
                return WordEvidence(word, weight, "、".join(found), "parts", 1.0, p.partial_credit)
            head = word[1:]
            if len(word) == 3 and self.tokenizer.is_word(head) and self._has(head):
                # Chinese compounds are head-final: 总产值 is a kind of 产值, 年产值 too.
                return WordEvidence(word, weight, head, "parts", 1.0, p.partial_credit)
        return WordEvidence(word, weight)

    def judge(self, question: str, named: tuple[tuple[int, int], ...] = ()) -> Scope:
        """The verdict on a question: first its evidence (`_measure`), then what that evidence
        says (`_verdict`). `named`: spans of the question that name a document; the facet words
        inside them (征求意见稿 in 《…(征求意见稿)》) are its name, not a question about it."""
        base, topical, gaps, facet_text = self._measure(question, named)
        return self._verdict(base, topical, gaps, facet_text)

    def _measure(self, question: str, named: tuple[tuple[int, int], ...] = ()) \
            -> tuple[Scope, str, tuple[str, ...], str]:
        """Everything the verdict is drawn from: the question's topic words with their evidence,
        its places, named policies and facets, and the coverage, anchor and missing weight —
        as a `Scope` without its verdict yet; with the question without figures (`topical`), the
        facets the library does not specify (`gaps`) and the text facets are read from (the
        question with the document names blanked)."""
        p = self.params
        english = len(re.findall(r"[A-Za-z]", question)) > 2 * len(re.findall(r"[\u4e00-\u9fff]", question))
        corrected, fixes = (question, []) if english else self.correct_typos(question)
        topical = strip_figures(corrected)
        tokens = self.tokenizer.cut(topical, search=False)
        inside, other_places = self.places(topical, tokens)
        policies = self.policies(corrected)
        facet_text = reading.blank_spans(corrected, named) if named and len(corrected) == len(question) else corrected
        facets = self.facets(facet_text)
        skip = {w.lower() for w in inside} | self.corpus.jurisdictions
        # A place is not a topic word, nor are the pieces the tokenizer cuts it into (上城区 → 城区).
        unplaced = topical
        for name in sorted({*inside, *other_places}, key=len, reverse=True):
            if is_cjk(name):
                unplaced = unplaced.replace(name, " ")
        words = [w for w in dict.fromkeys(self._topic_words(unplaced, english)) if w not in skip
                 and w not in other_places]
        evidence = self._question_evidence(words, self._example_words(topical, english),
                                           self._codes(corrected), {right for _, right in fixes}, english)

        def effective(e: WordEvidence) -> float:
            if e.credit > 0:
                return e.weight * (1.0 - p.spread_discount * e.spread)
            return e.weight * (p.untranslated_english if english else 1.0)

        total = sum(effective(e) for e in evidence)
        found = sum(effective(e) * e.credit for e in evidence)
        coverage = found / total if total else 0.0
        anchor = max((e.anchor for e in evidence), default=0.0)
        missing_words = [e for e in evidence if e.credit < 1.0]
        missing = max((e.weight * (1 - e.credit) for e in missing_words), default=0.0)
        expansions = tuple(dict.fromkeys(e.found for e in evidence
                                         if e.how in ("synonym", "translation", "typo") and e.found))
        gaps = tuple(self.gaps(corrected))
        base = Scope("not_covered", "", words=evidence, coverage=coverage, anchor=anchor, missing=missing,
                     other_places=tuple(other_places), inside_places=tuple(inside),
                     other_policies=tuple(policies),
                     facets=tuple(facets), corrected=corrected, expansions=expansions,
                     english=english)
        return base, topical, gaps, facet_text

    def _question_evidence(self, words: list[str], examples: set[str],
                           codes: list[WordEvidence], fixed: set[str], english: bool) -> tuple[WordEvidence, ...]:
        """Each topic word's evidence, built once: an example word (比如 …) the library lacks
        weighs `example_scale` as much; then the code-like terms that are no topic word; a word a
        typo correction produced is marked `typo`."""
        scale = self.params.example_scale
        out = []
        for e in [*(self._evidence(w, english) for w in words), *(c for c in codes if c.word not in words)]:
            if e.word in examples and not e.credit:  # (a code is always found: credit 1)
                e = replace(e, weight=e.weight * scale)
            out.append(replace(e, how="typo") if e.word in fixed else e)
        return tuple(out)

    def _verdict(self, base: Scope, topical: str, gaps: tuple[str, ...], facet_text: str) -> Scope:
        """The measured question (`base`) judged: about another place or policy, about the
        document itself, only the library's domain words, covered (fully or with `gaps`), or not."""
        p = self.params
        evidence = base.words
        other_places, inside, missing = base.other_places, base.inside_places, base.missing
        if other_places and (not inside or self._policy_of_other_place(topical, list(other_places))):
            return replace(base, reason=f"about another place ({'、'.join(other_places)})")
        if base.other_policies:
            return replace(base, reason=f"about another policy ({'、'.join(base.other_policies)})")
        facet_phrases = [ph for phrases in _phrases_in(facet_text, _facets()).values() for ph in phrases]
        if base.facets and self._about_document(evidence, facet_phrases):
            # what it asks of the document may still be missing (its phone number, an e-mail)
            return replace(base, verdict="covered", reason="about the document itself", meta=True, gaps=gaps)
        found_words = [e for e in evidence if e.credit > 0 and e.weight > 0.1]
        if found_words and missing >= p.domain_only_missing \
                and all(e.spread >= p.domain_spread for e in found_words):
            return replace(base, reason="only the library's domain words (机器人 …) are found")
        strong_anchor = base.anchor >= p.anchor_min and base.anchor > missing + p.anchor_margin
        support = self._article_support(evidence)
        together = support >= p.support_min and support > missing
        if base.coverage >= p.coverage_threshold or strong_anchor or together:
            if gaps:
                return replace(base, verdict="partial",
                               reason=f"covered, but the text does not specify {'、'.join(gaps)}", gaps=gaps)
            return replace(base, verdict="covered", reason="covered")
        return replace(base, reason=f"specific words not in the library (coverage {base.coverage:.2f})")

    def _article_support(self, evidence: tuple[WordEvidence, ...]) -> float:
        """The heaviest set of specific found words that one article contains together."""
        words = [e for e in evidence if e.credit >= 1.0 and e.how != "parts"
                 and e.weight >= self.params.support_word and e.spread <= self.params.support_spread]
        if len(words) < 2:
            return 0.0
        totals: dict[int, float] = {}
        for e in words:
            for i in self.articles_with(e.found):
                totals[i] = totals.get(i, 0.0) + e.weight
        return max(totals.values(), default=0.0)

    def _about_document(self, evidence: tuple[WordEvidence, ...], facet_phrases: list[str]) -> bool:
        """No word of the question (other than the facet's own words: 施行, 截止) picks out an
        article other than the announcement."""
        for e in evidence:
            if any(e.word in ph or ph in e.word for ph in facet_phrases) or _ORGANIZATION.search(e.word):
                continue  # 起草, 截止 … and 市科技局: who issued it is a question about the document
            if e.credit >= 1.0 and e.spread < 0.3 and e.found not in self._article0 \
                    and e.weight >= 0.8:
                return False
        return True


_EXAMPLE = pattern("example_intro")
"""An example: its marker and the rest of its clause."""
_FUZZY_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"))


@lru_cache(maxsize=1)
def _reading_table() -> dict[str, str]:
    """Character → its toneless readings, space-separated (`data/readings.txt`, generated from
    pypinyin; a line is split only when its character is looked up: 21k lines split up front were
    ~20 ms of a cold answer that looks up a few)."""
    lines = (DATA / "readings.txt").read_text(encoding="utf-8").splitlines()
    return {line[0]: line[1:] for line in lines if line and not line.startswith("#")}


def _readings(char: str) -> frozenset[str]:
    """The toneless readings of a character, with the sounds Chinese input methods confuse most
    (zh/z, ch/c, sh/s, n/l, -ing/-in, -eng/-en, -ang/-an) made equal."""
    out = set()
    for sound in _reading_table().get(char, "").split():
        for full, short in _FUZZY_SOUNDS:
            sound = sound.replace(full, short)
        out.add("n" + sound[1:] if sound.startswith("l") else sound)
    return frozenset(out)


def _sounds_alike(wrong: str, right: str) -> bool:
    """Whether the one character in which two equally long words differ sounds alike: a typo
    made with a pinyin input method (揭膀→揭榜, 征球→征求). Corrections to another sound (产线→产业,
    杭州投→杭州市) are ordinary words next to each other, not typos."""
    pairs = [(a, b) for a, b in zip(wrong, right) if a != b]
    return len(pairs) == 1 and bool(_readings(pairs[0][0]) & _readings(pairs[0][1]))


def scope_judge(corpus: Corpus, tokenizer: Tokenizer, bridge: dict[str, list[str]] | None = None,
                params: ScopeParams | None = None) -> ScopeJudge:
    return ScopeJudge(corpus, tokenizer, bridge, params)


__all__ = ["Scope", "ScopeJudge", "ScopeParams", "WordEvidence", "scope_judge"]
