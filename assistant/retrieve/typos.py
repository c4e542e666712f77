"""Typos of library terms: a question's one-character slips (揭膀挂帅, 征球意见, 首台陶) corrected
into the specific library term they differ from, when the slip sounds alike (a pinyin input
method's typo) or falls inside a word the dictionary does not know."""

from __future__ import annotations

import re
from typing import Iterable

from ..lang.lexical import Specificity, Tokenizer, function_words, typo_terms
from ..lang.script import reading_table
from .library_text import LibraryText

TYPO_LENGTHS = (3, 4, 5, 6)
"""Lengths of the library terms a typo is corrected into."""
_FUZZY_SOUNDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"))


class TypoCorrector:
    """Corrects one-character typos of one library's specific terms."""

    def __init__(self, text: LibraryText, tokenizer: Tokenizer, spec: Specificity, typo_min: float,
                 vocabulary_terms: Iterable[str], terms: Iterable[str] | None = None) -> None:
        self.text = text
        self.tokenizer = tokenizer
        self.spec = spec
        self.typo_min = typo_min
        """Only a library term at least this specific is a typo correction (`ScopeParams.typo_min`)."""
        self._index = self._build_index(terms, vocabulary_terms)

    def _build_index(self, terms: Iterable[str] | None, vocabulary_terms: Iterable[str]) -> dict[str, set[str]]:
        """Masked forms of the library's specific terms: 揭*挂帅 → {揭榜挂帅}."""
        if terms is None:
            terms = [t for text in self.text.texts for t in typo_terms(text, self.tokenizer)]
        index: dict[str, set[str]] = {}
        for term in set(terms) | set(vocabulary_terms):
            if len(term) not in TYPO_LENGTHS or not re.fullmatch(r"[\u4e00-\u9fff]+", term):
                continue
            for i in range(len(term)):
                index.setdefault(term[:i] + "*" + term[i + 1:], set()).add(term)
        return index

    @staticmethod
    def warm() -> None:
        """Load the table of readings (~10 ms) before the first question needs it."""
        reading_table()

    def correct(self, question: str) -> tuple[str, list[tuple[str, str]]]:
        """The question with one-character typos of library terms corrected, and the fixes.

        Only a token the library lacks and the dictionary does not know (揭膀, 征球, 首台陶), a
        dictionary word, or a character standing alone (力传感期's 期) is a typo candidate — the last
        two only for a character that sounds like the term's; a window around it is corrected when exactly one specific library term
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
            # A character cut off on its own (力传感期 → 力/传感/期) is one only when it sounds like
            # the library term's character in its place.
            single = len(tok) == 1
            if self.text.has(tok) and not known and not single:
                continue
            fix = self._fix(question, start, start + len(tok), sound_only=known or single)
            if fix and fix not in fixes:
                fixes.append(fix)
        text = question
        for wrong, right in fixes:
            text = text.replace(wrong, right)
        return text, fixes

    def _fix(self, question: str, start: int, end: int,
             sound_only: bool = False) -> tuple[str, str] | None:
        for size in sorted(TYPO_LENGTHS, reverse=True):
            for left in range(max(0, start - size + 1), min(end - 1, len(question) - size) + 1):
                window = question[left:left + size]
                if not re.fullmatch(r"[\u4e00-\u9fff]+", window):
                    continue
                found: set[str] = set()
                for i in range(max(start, left) - left, min(end, left + size) - left):
                    found |= self._index.get(window[:i] + "*" + window[i + 1:], set())
                # The library text is searched last: a window no term is one character from needs
                # no scan of it (each scan is a pass over ~1 MB at 200 documents).
                if len(found) == 1 and not self.text.has(window):
                    (term,) = found
                    whole = end - start >= 3 and left <= start and end <= left + size and not sound_only
                    if self.spec.weight(term) >= self.typo_min \
                            and (whole or _sounds_alike(window, term)):
                        return window, term
        return None




def _readings(char: str) -> frozenset[str]:
    """The toneless readings of a character, with the sounds Chinese input methods confuse most
    (zh/z, ch/c, sh/s, n/l, -ing/-in, -eng/-en, -ang/-an) made equal."""
    out = set()
    for sound in reading_table().get(char, "").split():
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


__all__ = ["TypoCorrector"]
