"""Word evidence: the topic words of a question, and for each how the library's article texts
hold it — verbatim, through a synonym, through the English bridge, by its parts, or not at all —
weighted by its specificity in general usage."""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, replace
from typing import Literal

from ..ingest.corpus import Vocabulary
from ..lang import places, reading
from ..lang.bridge import english_keys
from ..lang.cues import pattern
from ..lang.lexical import Specificity, Tokenizer, function_words, is_cjk, latin_words, specificity
from .library_text import LibraryText
from .scope_params import ScopeParams

Match = Literal["verbatim", "synonym", "typo", "translation", "parts", "abbreviation"]

RARE_ENTRY_COUNT = 5
RARE_ENTRY_MAX_CHARS = 6
CHANCE_PART_MAX_WEIGHT = 0.25
CHANCE_SINGLE_CHARS = 2
"""A word this common (全部) may be part of a chance pairing; 职业 + 技能 or 等级 + 证书 are not."""
"""jieba dictionary counts at or below which an entry of three or more characters may be a chance
pairing of commoner words (全部列 2, 算在里面 3)."""

_CODE = re.compile(r"(?<![A-Za-z0-9])(?:\d+(?:[+＋/]\d+){1,4}|[A-Z]{2,6}\d*[+]?)(?![A-Za-z0-9])")
"""1+3+5, 5G, MEMS, AGV: terms made of digits, capitals and + that jieba cuts into nothing."""
_YEAR = pattern("question_year")
"""A year as people write it in a question (2026年)."""
_EXAMPLE = pattern("example_intro")
_EXAMPLE_KIND = pattern("example_kind")
_PROPER_NAME = pattern("proper_name")
_VENUE_NAME = pattern("venue_name")
_EVENT_NAME = pattern("event_name")
KIND_MIN_WEIGHT = 1.0
"""A kind after 这种 (家用消费类) makes the words before it examples only this specific; 设备 does not."""
_OWN_OWNERSHIP = pattern("own_ownership")
_KIND_AFTER_EXAMPLE = pattern("kind_after_example")
"""An example: its marker and the rest of its clause."""


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


@lru_cache(maxsize=1)
def _non_topic_words() -> frozenset[str]:
    """Function words, words for the text itself (原文, 条款, 具体内容), for the library's own
    government (市里, 区里) and for the conversation (换个话题): never a topic word (built once: a union of a few thousand words per
    question otherwise)."""
    c = reading.cues()
    return function_words() | frozenset(c.text_words) | frozenset(c.whole_text_asks) | frozenset(c.place_deixis) \
        | frozenset(c.conversation_words)


class EvidenceReader:
    """The evidence of a question's words in one library (its texts, vocabulary and bridge)."""

    def __init__(self, text: LibraryText, tokenizer: Tokenizer, vocabulary: Vocabulary,
                 bridge: dict[str, list[str]], params: ScopeParams, spec: Specificity) -> None:
        self.text = text
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.bridge = bridge
        self.params = params
        self.spec = spec

    def codes(self, question: str) -> list[WordEvidence]:
        """Code-like terms (1+3+5, MEMS, AI+) that the tokenizer would split into nothing: found
        verbatim in the library they are strong evidence."""
        out = []
        for m in _CODE.finditer(question):
            code = m.group(0).lower()
            if self.text.has(code) and not code.isdigit():
                out.append(WordEvidence(code, self.params.code_weight, code, "verbatim",
                                        self.text.spread(code), 1.0))
        for m in _YEAR.finditer(question):  # 到2026年: a target year the library names
            year = m.group(0)
            if self.text.has(year):
                out.append(WordEvidence(year, self.params.year_weight, year, "verbatim",
                                        self.text.spread(year), 1.0))
        return out

    def topic_words(self, question: str, english: bool) -> list[str]:
        """Words that may carry a topic: no function words, numbers or amounts; a token jieba
        made up (能补, 问下) is replaced by its dictionary pieces; English compounds are split."""
        func = _non_topic_words()
        if english:
            # the wording, the original text, that clause: the text itself, not a topic
            lowered = question.lower()
            for phrase in sorted((w.lower() for w in reading.cues().text_words if w.isascii()), key=len, reverse=True):
                lowered = re.sub(rf"\b{re.escape(phrase)}\b", " ", lowered)
            words: list[str] = []
            for w in latin_words(lowered):
                words += [p for p in re.split(r"[-']", w) if len(p) > 1] if "-" in w else [w]
            names = self._proper_names(question)
            # Chinese terms written inside an English question (the 'going global' (出海) measure)
            chinese = [t for t in self.tokenizer.cut("".join(re.findall(r"[\u4e00-\u9fff]+|\s", question)), search=False)
                       if is_cjk(t) and len(t) > 1 and t not in func]
            makers = reading.cues().english_makers  # (component makers: who, the component is the topic)
            return [w for w in words if not w.isdigit() and len(w) > 1 and w not in names and w not in makers] \
                + chinese
        out = []
        lowered = question.lower()
        asking = [(m.start(), m.end()) for w in reading.cues().interrogatives
                  for m in re.finditer(re.escape(w), lowered)]
        # 厂房要算进去吗: how the question asks whether something counts (`open_after`), not a topic
        open_spans = [(m.start(), m.end()) for w in reading.cues().open_after if is_cjk(w[:1])
                      for m in re.finditer(re.escape(w), lowered)]
        events = [m.span(1) for m in _EVENT_NAME.finditer(lowered)]  # (去汉诺威工博会参展: a fair's name)
        events += [m.span(1) for m in _OWN_OWNERSHIP.finditer(lowered)]  # (我们是德国独资的: who asks)
        at = 0
        for tok in self.tokenizer.cut(question, search=False):
            start = lowered.find(tok, at)
            start, at = (start, start + len(tok)) if start >= 0 else (-1, at)
            inside = max((b for a, b in asking if a < start < b), default=0)
            if inside and inside < at:
                tok = lowered[inside:at]  # 能|不能自己: a question word's tail joined to a word (自己)
            elif inside:
                continue
            if start >= 0 and any(a <= start and start + len(tok) <= b for a, b in events) and not self.text.has(tok):
                continue
            if start >= 0 and any(a <= start and start + len(tok) <= b for a, b in open_spans) \
                    and not self.text.has(tok):
                continue
            pieces = [tok]
            if len(tok) > 1 and is_cjk(tok) and not self.tokenizer.is_word(tok) and not self.text.has(tok):
                pieces = [p for p in self.tokenizer.cut_plain(tok) if p.strip()]
            elif len(tok) > 1 and tok.startswith(reading.cues().passive) and not self.text.has(tok):
                pieces = [tok[1:]]  # 被评(上了): the passive marker is grammar, 评 the word
            for piece in pieces:
                if piece in func or re.fullmatch(r"[\d.,%％]+[a-z%]*", piece) \
                        or piece.startswith(reading.cues().interrogatives):
                    continue  # 哪些方面, 哪几个: a question word, not a topic
                out.append(piece)
        return out

    def _proper_names(self, question: str) -> set[str]:
        """Capitalised English words in the frame of a firm's origin or of a place (Singapore-owned,
        the Xiasha development zone) that neither the library nor its bridge knows: who and where,
        never a topic the policy lacks."""
        out = set()
        words = [m.group(1) for m in _PROPER_NAME.finditer(question)]
        # a name given the place it is at (exhibit at automatica in Munich): an event or a venue
        words += [m.group(1) for m in _VENUE_NAME.finditer(question)
                  if places.is_abroad(m.group(2)) or places.gazetteer().get(m.group(2).lower())]
        for word in (w.lower() for w in words):
            if not self.text.has(word) and not any(self.bridge.get(k) for k in english_keys(word)):
                out.add(word)
        return out

    def example_words(self, question: str, english: bool) -> set[str]:
        """Topic words that stand inside an example (after e.g., such as, 比如, 例如 … up to the
        end of the clause; before 这种/之类 or listed before 的 and the kind they illustrate)."""
        out: set[str] = set()
        for m in _EXAMPLE.finditer(question):
            out |= set(self.topic_words(m.group(1), english))
        for m in _EXAMPLE_KIND.finditer(question):  # 扫地拖地这种家务机器人: examples of a kind
            kind = _KIND_AFTER_EXAMPLE.match(question, m.end())
            named = [w for w in self.topic_words(kind.group(0), english)] if kind else []
            if m.group(1) and not any(specificity().weight(w) >= KIND_MIN_WEIGHT for w in named):
                continue  # 物业管理类机器人 这种设备: a kind as plain as 设备 — the examples are the topic
            out |= set(self.topic_words(m.group(1) or m.group(2), english))
        return out

    def split_weight(self, word: str) -> float:
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

    def of_word(self, word: str, english: bool) -> WordEvidence:
        """How the library holds one topic word."""
        p = self.params
        weight = self.spec.weight(word)
        if len(word) == 1 and is_cjk(word):
            weight *= p.single_char_scale
        elif len(word) >= 3 and is_cjk(word) and not self.text.contains(word):
            weight = min(weight, self.split_weight(word))
        if self.text.contains(word):
            return WordEvidence(word, weight, word, "verbatim", self.text.spread(word), 1.0)
        for form in self.vocabulary.expansions(word):
            form = form.lower()
            if self.text.has(form):
                return WordEvidence(word, weight, form, "synonym", self.text.spread(form), 1.0)
        if english:
            # Every sense the library has (select → 拣选 in logistics, 评选 of demonstration
            # scenarios): which one is meant is for the ranking to find out.
            forms = [form for key in english_keys(word) for form in self.bridge.get(key, ())
                     if self.text.has(form)]
            if forms:
                forms = list(dict.fromkeys(forms))
                where = frozenset().union(*(self.text.articles_with(f) for f in forms))
                return WordEvidence(word, weight, "、".join(forms), "translation",
                                    len(where) / (len(self.text.texts) or 1), p.translation_credit)
            return WordEvidence(word, weight)
        if len(word) == 2 and is_cjk(word) and not self.tokenizer.is_word(word):
            # 首采奖励: a word no dictionary lists, the initials of two words a library phrase joins
            # (首次采购)
            spelled = self.text.initials_spelled(word, self.tokenizer.is_word)
            if spelled:
                return WordEvidence(word, weight, spelled, "abbreviation", self.text.spread(spelled), 1.0)
        if len(word) > 2:
            parts = [t for t in self.tokenizer.cut(word, search=True) if len(t) >= 2 and t != word]
            found = [t for t in parts if self.text.has(t)]
            chars = set().union(*(set(t) for t in found)) if found else set()
            if chars >= set(word):
                ordered = sorted(found, key=word.find)
                spelled = self.text.spelled_out(ordered) if "".join(ordered) == word else ""
                if spelled:  # 总体目标: 总体发展目标 abbreviated
                    return WordEvidence(word, weight, spelled, "abbreviation", self.text.spread(spelled), 1.0)
                return WordEvidence(word, weight, "、".join(found), "parts", 1.0, p.partial_credit)
            head = word[1:]
            if len(word) == 3 and self.tokenizer.is_word(head) and self.text.has(head):
                # Chinese compounds are head-final: 总产值 is a kind of 产值, 年产值 too.
                return WordEvidence(word, weight, head, "parts", 1.0, p.partial_credit)
            stem = word[:-1]
            if word.endswith(reading.cues().kind_suffixes) and self.tokenizer.is_word(stem) and self.text.has(stem):
                # 消费类: of the kind 消费 (个人消费机器人)
                return WordEvidence(word, weight, stem, "parts", self.text.spread(stem), p.partial_credit)
        return WordEvidence(word, weight)

    def of_question(self, words: list[str], examples: set[str],
                           codes: list[WordEvidence], fixed: set[str], english: bool) -> tuple[WordEvidence, ...]:
        """Each topic word's evidence, built once: an example word (比如 …) the library lacks
        weighs `example_scale` as much; then the code-like terms that are no topic word; a word a
        typo correction produced is marked `typo`; an English word whose translation lies inside
        another word's library term (dexterous → 巧手, in 灵巧手 of hands) is found in full."""
        scale = self.params.example_scale
        out = []
        for e in [*(self.of_word(w, english) for w in words), *(c for c in codes if c.word not in words)]:
            if e.word in examples and not e.credit:  # (a code is always found: credit 1)
                e = replace(e, weight=e.weight * scale)
            out.append(replace(e, how="typo") if e.word in fixed else e)
        if english:  # dexterous (巧手) beside hands (灵巧手): two words of one library term
            whole = [e.found for e in out if e.credit >= 1.0 and e.found]
            out = [replace(e, credit=1.0) if e.how == "translation" and e.found
                   and any(f in w and f != w for f in e.found.split("、") for w in whole) else e for e in out]
        return tuple(out)


__all__ = ["EvidenceReader", "Match", "WordEvidence"]
