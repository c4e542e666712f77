"""Policies a question names (a 《title》, or a '…指导意见/行动计划' name) that match no library
document: evidence that it is about another policy."""

from __future__ import annotations

from itertools import permutations

from ..ingest.corpus import Corpus, title_bigrams, title_kind
from ..lang.cues import data, pattern
from .library_text import LibraryText

_POLICY_NAME = pattern("policy_name")
_DEMONSTRATIVE = pattern("demonstrative")
_IMPLEMENTS_KIND = pattern("implements_kind")
_QUESTION_WORDS = pattern("question_words")
_TITLE_NOISE = pattern("title_noise")
_GENERIC_KINDS = tuple(data("cues.json")["generic_policy_kinds"])


def _other_kind(kind: str, name: str, title: str) -> bool:
    """The name and the title each name a kind, and neither holds the other's (条例 against
    实施意见; 政策措施 and 若干政策措施 are one kind)."""
    theirs = title_kind(title)
    return bool(kind and theirs) and kind not in title and theirs not in name


_CITED = pattern("cited_title")
CITED_SHARE = 0.6
"""Share of a name's title bigrams a 《title》 in a library text must hold for the name to be that title."""
REORDER_MAX_WORDS = 4
"""A name of at most this many two-character words is also looked for with its words before the
last in another order (招引专项政策 as the text writes it: 专项招引政策)."""


def _reordered(name: str) -> list[str]:
    """The name with its two-character words before the last (its kind) in every other order."""
    if len(name) % 2 or not 4 < len(name) <= 2 * REORDER_MAX_WORDS:
        return []
    words = [name[i:i + 2] for i in range(0, len(name), 2)]
    return ["".join(p) + words[-1] for p in permutations(words[:-1]) if "".join(p) + words[-1] != name]


def _points_back(name: str) -> bool:
    """The name points at a document already talked about or known: 这个条例, 该办法; 湖南那个条例 (a
    distal pointer before a bare kind only: 工信部那个人形机器人创新发展指导意见 is a name)."""
    m = _DEMONSTRATIVE.search(name)
    if m is None:
        return False
    rest = name[m.end():]
    return not m.group(1) or title_kind(rest) == rest


class NamedPolicies:
    """Compares the policy names of a question with one library's titles, short titles, aliases
    and bases."""

    def __init__(self, corpus: Corpus, text: LibraryText) -> None:
        self.text = text
        self._titles = [(title_bigrams(t), t) for d in corpus.documents
                        for t in [d.title, d.meta.short_title or "", *d.meta.aliases, *d.meta.basis] if t]
        # the documents the library's texts name in 《》 (a news page on 《福建省首台(套)…实施细则》)
        self._cited = [(title_bigrams(t), t) for d in corpus.documents for a in d.articles
                       for t in _CITED.findall(a.text)]

    def unknown(self, question: str) -> list[str]:
        """Policy names in the question that match no library document."""
        return self._names(question)[0]

    def referenced(self, question: str) -> list[str]:
        """Policy names in the question that match no library document but that the library's text
        names (经认定的首台套产品享受智能物联产业奖补政策): policies it refers to and does not hold."""
        return self._names(question)[1]

    def _names(self, question: str) -> tuple[list[str], list[str]]:
        out: list[str] = []
        referenced: list[str] = []
        for m in _POLICY_NAME.finditer(question):
            name = m.group(1) or m.group(2)
            if m.group(2) and (_QUESTION_WORDS.search(name) or _points_back(name)
                               or _IMPLEMENTS_KIND.search(name)):
                continue  # 这个条例, 该办法, 湖南那个条例, 组织实施条例: the document being talked about, not another one
            # An unbracketed name may have picked up words before it: try its tails too.
            tails = [name] if m.group(1) else [name[i:] for i in range(0, max(1, len(name) - 5))]
            best, known = 0.0, False
            for tail in tails:
                grams = title_bigrams(tail)
                if len(grams) < 3:
                    continue
                kind = title_kind(tail)
                # …产业发展条例 is no 实施意见 of the same words: another kind names another policy
                best = max([best] + [len(grams & g) / len(grams) for g, t in self._titles
                                     if not _other_kind(kind, tail, t)])
                # (福建首台套实施细则: a library text names 《福建省首台(套)…实施细则》, most of whose
                # words it shares — a policy the library speaks of, not one it has never heard of)
                known = known or any(len(grams & g) >= CITED_SHARE * len(grams) and not _other_kind(kind, tail, t)
                                     for g, t in self._cited)
                clean = _TITLE_NOISE.sub("", tail).lower()
                # (《福建省首台(套)…实施细则》: the name as written, its brackets kept, is also looked for)
                known = known or any(self.text.has(v) for v in (clean, *_reordered(clean), tail.lower()))
            if best >= 0.6 or not any(len(title_bigrams(t)) >= 3 for t in tails):
                continue
            if not known and name.endswith(_GENERIC_KINDS):
                continue  # 享受机器人扶持政策: any policy of that kind, not one named
            (referenced if known else out).append(name)
        return out, referenced


__all__ = ["NamedPolicies"]
