"""Article references in questions (`第13条`, `第十三条`, `article 13`, `66号文第三条`,
`征求意见稿第3条`, `一、(二)`), resolved per document of the library."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import Corpus
from .models import Article, Document
from .numerals import NUMERAL_CHARS, chinese_int

_REF = re.compile(
    rf"第\s*(\d{{1,3}}|[{NUMERAL_CHARS}]{{1,4}})\s*[条点项]"
    r"|\b(?:article|art\.?|section|clause|item|measure)\s*(?:no\.?\s*)?(\d{1,3})\b",
    re.IGNORECASE)
_DOC_NUMBER = re.compile(r"[〔\[(（【]?\s*(\d{4})\s*[〕\])）】]?\s*(\d{1,4})\s*号")
_BARE_NUMBER = re.compile(r"(\d{1,4})\s*号(?:文|文件)?")
_LABEL_NUMERAL = re.compile(rf"\d+|[{NUMERAL_CHARS}]+")


@dataclass(frozen=True)
class Reference:
    """`第N条` (or `article N`) as written, with the text before it that may name a document."""

    number: int
    start: int
    end: int
    context: str
    """Up to 20 characters before the reference (`66号文`, `征求意见稿`, `人形机器人政策`)."""


def find_references(question: str) -> list[Reference]:
    """Article references in order of appearance (each number once)."""
    out: list[Reference] = []
    seen: set[int] = set()
    for m in _REF.finditer(question):
        try:
            n = chinese_int(m.group(1) or m.group(2))
        except ValueError:
            continue
        if n in seen:
            continue
        seen.add(n)
        out.append(Reference(n, m.start(), m.end(), question[max(0, m.start() - 20):m.start()]))
    return out


def article_references(question: str) -> list[int]:
    """Article numbers the question names, in order."""
    return [r.number for r in find_references(question)]


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[(（][^)）]*[)）]|[《》\s]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def documents_named(text: str, corpus: Corpus) -> list[Document]:
    """Documents a text names: by 文号 (`66号文`, `杭政办函〔2024〕66号`), an alias, or most of its
    title; best match first."""
    scored: list[tuple[float, int, Document]] = []
    numbers = {m.group(2) for m in _DOC_NUMBER.finditer(text)} | {m.group(1) for m in _BARE_NUMBER.finditer(text)}
    grams = _bigrams(text)
    for i, doc in enumerate(corpus.documents):
        score = 0.0
        number = doc.meta.doc_number or ""
        m = _DOC_NUMBER.search(number)
        if number and (number in text or (m and m.group(2) in numbers)):
            score = 3.0
        for alias in doc.meta.aliases:
            if alias and alias in text:
                score = max(score, 2.0 + len(alias) / 100)
        for title in filter(None, [doc.title, doc.meta.short_title]):
            tg = _bigrams(title)
            if tg and len(grams & tg) >= 4:
                score = max(score, len(grams & tg) / len(tg) * 2)
        if score >= 0.8:
            scored.append((score, -i, doc))
    return [d for _, _, d in sorted(scored, key=lambda t: (t[0], t[1]), reverse=True)]


def label_number(article: Article) -> int | None:
    """The article's own number as its label writes it (第三条 → 3, 三、 → 3, 一、(二) → 2, 3、 → 3)."""
    found = _LABEL_NUMERAL.findall(article.label)
    if not found:
        return None
    try:
        return chinese_int(found[-1])
    except ValueError:
        return None


def resolve(ref: Reference, corpus: Corpus, question: str) -> list[Article]:
    """The articles a reference can mean: in the document(s) the question names, else in every
    document that has such an article (documents in force first)."""
    named = documents_named(ref.context, corpus) or documents_named(question, corpus)
    docs = named[:1] if named else sorted(corpus.documents, key=lambda d: not d.in_force)
    out = []
    for doc in docs:
        by_label = [a for a in doc.articles if a.kind == "article" and label_number(a) == ref.number
                    and "(" not in a.label and "（" not in a.label]
        art = by_label[0] if len(by_label) == 1 else doc.article(ref.number)
        if art is not None and art.number > 0:
            out.append(art)
    return out
