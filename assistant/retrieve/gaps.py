"""Facets and gaps: what a question asks of a document itself (its status, consultation, contact,
drafter, number, date), and what it asks for that the library's text never specifies (申报材料,
电话, 交税 …)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..lang.cues import data, pattern
from ..lang.lexical import is_cjk, latin_words, tokenizer_for
from .library_text import LibraryText

_ISSUED_BY = pattern("issued_by")
"""A question asking which bodies issued the document: a question word, a kind of body, an issuing
verb closing the clause (哪两个单位一起发的, 几个部门联合印发的; not 哪个部门发的补贴)."""


@lru_cache(maxsize=1)
def _facet_data() -> dict[str, Any]:
    """The facets of `data/gap_facets.json` (read once)."""
    return {k: v for k, v in data("gap_facets.json").items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def _gap_facets() -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, tuple[str, ...]]]:
    """(facet → how questions ask for it, facet → words that show a text specifies it)."""
    facets = _facet_data()
    return ({k: {lang: tuple(p) for lang, p in v["ask"].items()} for k, v in facets.items()},
            {k: tuple(v["text"]) for k, v in facets.items()})


def forms_of(word: str) -> tuple[str, ...]:
    """Other words a text writes an asked thing with, for every asked thing the word holds
    (电子邮箱: 电子邮件, email)."""
    return tuple(f for k, fs in _forms().items() if k in word for f in fs)


def asks_department(question: str) -> bool:
    """Whether the question asks which department is responsible, in a facet's own words (谁牵头,
    哪个部门负责: a facet marked `departments`)."""
    asks = {k: v for k, v in _gap_facets()[0].items() if _facet_data()[k].get("departments")}
    return bool(_phrases_in(question, asks))


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, ...]]:
    """An asked thing → other words a text writes it with (邮箱: 电子邮件), over every facet."""
    return {k: tuple(v) for f in _facet_data().values() for k, v in f.get("forms", {}).items()}


@lru_cache(maxsize=1)
def _of_document() -> dict[str, tuple[str, ...]]:
    """facet → the words that ask it of one document, whose own text must then state it."""
    return {k: tuple(v["of_document"]) for k, v in _facet_data().items() if "of_document" in v}


def facet_noun(phrase: str) -> bool:
    """An asked phrase that names a thing (邮箱, 电话, 表格), not a way of asking (怎么申请)."""
    return not pattern("facet_asking").search(phrase)


PHRASE_GAP_MAX = 8
"""Characters at most between the two halves of a phrase written `A…B` (申报…截止)."""


def _says(question: str, phrase: str) -> bool:
    """A Chinese phrase in the question: verbatim, or `A…B` as A then B with at most
    PHRASE_GAP_MAX characters between (今年示范应用场景申报几号截止: 申报…截止)."""
    if "…" not in phrase:
        swapped = _swapped(phrase)
        return phrase in question or bool(swapped) and swapped in question
    first, second = phrase.split("…", 1)
    at = question.find(first)
    while at >= 0:
        rest = question[at + len(first):at + len(first) + PHRASE_GAP_MAX + len(second)]
        if second in rest:
            return True
        at = question.find(first, at + 1)
    return False


@lru_cache(maxsize=None)
def _swapped(phrase: str) -> str:
    """A phrase of two two-character dictionary words in the other order (征求意见 → 意见征求,
    反馈意见 → 意见反馈), as askers also write it; '' for any other phrase."""
    if len(phrase) != 4 or not is_cjk(phrase):
        return ""
    words = tokenizer_for(())
    head, tail = phrase[:2], phrase[2:]
    return tail + head if words.is_word(head) and words.is_word(tail) else ""


def _phrases_in(question: str, table: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, list[str]]:
    """Facet → the phrases of the table the question uses (Chinese by substring, English by word)."""
    lowered = question.lower()
    words = set(latin_words(question))
    out: dict[str, list[str]] = {}
    for facet, langs in table.items():
        hits = [p for p in langs.get("zh", ()) if _says(question, p)]
        hits += [p for p in langs.get("en", ()) if (" " in p and p in lowered) or p in words]
        if hits:
            out[facet] = hits
    return out


@lru_cache(maxsize=1)
def _facets() -> dict[str, dict[str, tuple[str, ...]]]:
    return {k: {lang: tuple(v) for lang, v in langs.items()} for k, langs in data("document_facets.json").items()
            if not k.startswith("_")}


def facets(question: str) -> list[str]:
    """Document facets the question asks about (status, consultation, contact …); a question
    asking which bodies issued it (哪个部门印发的, 几个单位联合发的) asks for its issuer."""
    phrases = _phrases_in(question, _facets())
    found = list(phrases)
    applying = [p for ps in _phrases_in(question, _gap_facets()[0]).values() for p in ps]
    if "consultation" in found and applying and all(any(c in a for a in applying) for c in phrases["consultation"]):
        # 申报截止时间是哪天: 截止 inside a phrase asking when to apply is that deadline, not the
        # consultation's
        found.remove("consultation")
    if "drafter" not in found and _ISSUED_BY.search(question):
        found.append("drafter")
    if "basis" in found:
        # 按照的省级文件文号是多少, 根据省政府哪个文件制定的: the basis's 文号, not the document's
        # own number or issuer
        found = [f for f in found if f not in ("number", "drafter")]
    return found


@lru_cache(maxsize=None)
def draft_only_phrases(facet: str) -> tuple[str, ...]:
    """The phrases that ask the facet only of a draft (document_facets.json `_draft_only`)."""
    return tuple(data("document_facets.json")["_draft_only"].get(facet, ()))


def only_of_drafts(question: str, facet: str) -> bool:
    """Whether the question asks the facet only in words that ask it of a draft (截止: of a draft
    its consultation's deadline, of an issued notice one its text sets)."""
    phrases = _phrases_in(question, _facets()).get(facet, [])
    return bool(phrases) and all(p in draft_only_phrases(facet) for p in phrases)


def asks_issue_date(question: str) -> bool:
    """Whether the question asks the date facet only in words that ask when the document was
    issued (哪天印发的), not when it takes effect (什么时候施行)."""
    phrases = _phrases_in(question, _facets()).get("date", [])
    issued = data("document_facets.json")["_issue_only"]["date"]
    return bool(phrases) and all(p in issued for p in phrases)


def facet_phrases(question: str) -> list[str]:
    """The phrases by which the question asks about document facets (施行, 截止 …)."""
    return [ph for phrases in _phrases_in(question, _facets()).values() for ph in phrases]


class Gaps:
    """What questions ask for that one library's text never specifies."""

    def __init__(self, text: LibraryText) -> None:
        self.text = text

    def of(self, question: str) -> list[str]:
        """What the question asks for that the library's text never mentions (申报材料 …)."""
        asks, evidence = _gap_facets()
        out = []
        for facet, phrases in _phrases_in(question, asks).items():
            # The facet is not specified anywhere, or what is asked (邮箱, 电话) is itself absent
            # though the facet's other words occur (联系方式).
            named = [p for p in phrases if is_cjk(p) and len(p) >= 2 and facet_noun(p)]
            if not any(self.text.has(w.lower()) for w in evidence[facet]) \
                    or (named and not any(self.text.has(f.lower()) for p in named for f in (p, *_forms().get(p, ())))):
                out.append(facet)
        return out

    @staticmethod
    def absent_from(question: str, text: str) -> list[str]:
        """What the question asks of one document that its text never specifies (烟台…条例从哪天起
        施行, of a page cut before its 施行 article): a facet with `of_document` words, one of them
        in the question, and none of the facet's words in the text."""
        asks, evidence = _gap_facets()
        of_document = _of_document()
        lowered, asked = text.lower(), question.lower()
        return [facet for facet in _phrases_in(question, asks)
                if any(w.lower() in asked for w in of_document.get(facet, ()))
                and not any(w.lower() in lowered for w in evidence[facet])]


__all__ = ["Gaps", "asks_department", "forms_of", "asks_issue_date", "facet_noun", "facet_phrases", "facets"]
