"""Sentences of a text, and the quote of an article that best answers a question.

Below the stages that quote (the index's sentence windows, the answer's citations, 政策体检's items):
every quote is a verbatim substring of the article.
"""

from __future__ import annotations


from ..models import Article
from .amounts import find_amounts
from .cues import pattern
from .reading import hard_wrap
from .lexical import Tokenizer, function_words, specificity, tokenizer_for

QUOTE_SENTENCES = 2
QUOTE_PAIR_CHARS = 220
"""Two adjacent sentences are quoted together only when they are this short together."""
STATED_AMOUNT_SCORE = 2.0
"""A sentence stating an amount the question states (两千万 = 2000 万元) counts this much more."""
DEPT_CLAUSE = pattern("department_clause")
_NUMBER = pattern("figure_in_words")
_UNIT_ASKED = pattern("figure_unit_asked")
_WITH_UNIT = pattern("figure_with_unit")


def split_sentences(text: str) -> list[str]:
    """Sentences ending in 。；！？ or a line break (not a page's wrap inside a sentence:
    `reading.hard_wrap`), each kept verbatim (delimiters included)."""
    out, buf = [], ""
    for i, ch in enumerate(text):
        buf += ch
        if ch in "。；;！？!?" or (ch == "\n" and not hard_wrap(text, i)):
            if buf.strip():
                out.append(buf)
            buf = ""
    if buf.strip():
        out.append(buf)
    return out


def article_sentences(article: Article) -> list[str]:
    """The article's sentences, verbatim, without the responsibility clause or a bare heading."""
    out = []
    for sent in split_sentences(article.text):
        stripped = DEPT_CLAUSE.sub("", sent).strip()
        if len(stripped) >= 2 and not pattern("department_line").fullmatch(stripped):
            out.append(sent.strip())
    content = [s for s in out if s.rstrip("。").strip() != article.title]
    return content or out


SPREAD_MIN_SENTENCES = 6
"""From this many sentences on, a word weighs less the more of them hold it…"""
SPREAD_DISCOUNT = 0.5
"""… by up to this share (a word every sentence holds weighs half)."""
NUMBER_WEIGHT = 1.0
"""The most a bare number of the question (a year) weighs in choosing the quote."""


def best_quote(article: Article, question: str, tokenizer: Tokenizer | None = None,
               prefer_numbers: bool = False) -> str:
    """The 1–2 adjacent sentences of the article that share the most specific words with the
    question (weighted by general-usage specificity). Always a verbatim substring of the text."""
    sents = article_sentences(article)
    if not sents:
        return article.text.strip()
    tok = tokenizer or tokenizer_for(())
    func, spec = function_words(), specificity()
    q = {t for t in tok.cut(question) if t not in func}
    # (a year or other bare number weighs as a common word: 2026年版政策, 宁波2019~2022年…方案 name the
    # version asked more often than the sentence, and a figure is found by prefer_numbers)
    weights = {t: 0.25 + (min(spec.weight(t), NUMBER_WEIGHT) if t.isdigit() else spec.weight(t)) for t in q}
    stated = {m.yuan for m in find_amounts(question) if m.currency == "CNY" and m.yuan}
    cut = [set(tok.cut(s)) for s in sents]
    # (提供方 cut whole in the question, 提供|方 in the sentence: a word it holds verbatim counts)
    held = [{t for t in q if t in toks or (len(t) >= 2 and t in s)} for s, toks in zip(sents, cut)]
    if len(sents) >= SPREAD_MIN_SENTENCES:
        # a word most of a long text's sentences hold (人形机器人 in a news page about them) tells
        # none of them apart
        for t in q:
            weights[t] *= 1 - SPREAD_DISCOUNT * sum(t in h for h in held) / len(sents)
    unit = _UNIT_ASKED.search(question)
    scores = []
    for s, hit in zip(sents, held):
        score = sum(weights[t] for t in hit)
        if prefer_numbers and (any(m.group(1) == unit.group(1) for m in _WITH_UNIT.finditer(s)) if unit
                               else _NUMBER.search(s)):
            score += 1.0  # (多少家: a sentence of 7家, not one of 三年行动)
        if stated and stated & {m.yuan for m in find_amounts(s) if m.currency == "CNY"}:
            score += STATED_AMOUNT_SCORE  # 投资满两千万: the sentence that sets 2000 万元
        scores.append(score)
    if max(scores) <= 0:
        return _contiguous(article.text, sents[:QUOTE_SENTENCES])
    best_i = max(range(len(sents)), key=lambda i: (scores[i], -i))
    window = [sents[best_i]]
    for j in (best_i + 1, best_i - 1):
        if 0 <= j < len(sents) and scores[j] > 0 and len(window) < QUOTE_SENTENCES \
                and len(sents[j]) + len(window[0]) <= QUOTE_PAIR_CHARS:
            window = [sents[j]] + window if j < best_i else window + [sents[j]]
            break
    return _contiguous(article.text, window)


def whole_quote(article: Article) -> str:
    """The article's text from its first to its last sentence (verbatim), without a trailing
    responsibility clause."""
    sents = article_sentences(article)
    return _contiguous(article.text, sents) if sents else article.text.strip()


def _contiguous(text: str, window: list[str]) -> str:
    """The span of `text` from the first to the last sentence of the window (verbatim)."""
    start = text.find(window[0])
    end = text.find(window[-1], start) + len(window[-1])
    if start < 0 or end < start:
        return window[0]
    return text[start:end].strip()


__all__ = ["DEPT_CLAUSE", "QUOTE_PAIR_CHARS", "QUOTE_SENTENCES", "article_sentences", "best_quote", "split_sentences",
           "whole_quote"]
