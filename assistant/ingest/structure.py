"""Questions about a document's shape, answered from its structure: how many chapters it has
(and which), whom an issuing notice is addressed to (主送), what a defined term stands for
(`(以下简称…)`, `本条例所称…是指`), and its purpose clause (`为了…,制定本条例`).

Pure functions over a parsed `Document`; `chain.py` puts the article they find first and
`compose.py` states the fact. The words questions use for these facets are data
(`data/document_facets.json`: addressee, chapters, purpose, definition).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lang.cues import data, pattern
from ..lang.numerals import chinese_int
from ..lang.reading import cut_mid_sentence
from ..lang.text import book_title
from ..models import Article, Document
from .parsing import UNLABELLED_TOC_RUN, chapter_heading_runs

_CHAPTER = pattern("chapter_heading")
_PURPOSE = pattern("purpose_clause")
_DEFINED = pattern("defined_as")
_MEANS = pattern("means_clause")
_TOC = pattern("table_of_contents")

STRUCTURE_FACETS = ("addressee", "chapters", "purpose", "definition", "basis")
"""Facets of `document_facets.json` answered from the structure (the others from metadata)."""


def chapters(doc: Document) -> list[str]:
    """The document's chapters (第一章 总则, …) in order, as written: from its 目录 when it has
    one (a text cut after its first chapters still lists them all), else from the headings."""
    listed = _toc_chapters(doc)
    if listed:
        return listed
    out: list[str] = []
    for art in doc.articles:
        head = art.section.split(" 第")[0] if art.section else ""
        m = _CHAPTER.match(head)
        if m and head not in out:
            out.append(head)
    return out


def _toc_chapters(doc: Document) -> list[str]:
    """The chapters its 目录 lists: after a 目录 line, or chapter headings in a row in the preamble
    (a 目录 without its 目录 line; the body's own headings are in the articles' sections); [] when
    it has none."""
    pre = doc.articles[0].text.split("\n") if doc.articles and doc.articles[0].number == 0 else []
    out: list[str] = []
    toc = next((i for i, ln in enumerate(pre) if _TOC.fullmatch(ln.strip())), None)
    if toc is not None:
        for ln in pre[toc + 1:]:
            if not _CHAPTER.match(ln.strip()):
                break
            out.append(ln.strip())
        if out:
            return out
    runs = chapter_heading_runs(pre)
    i, j = max(runs, key=lambda r: r[1] - r[0], default=(0, 0))
    return [ln.strip() for ln in pre[i:j]] if j - i >= UNLABELLED_TOC_RUN else []


def purpose_article(doc: Document) -> tuple[Article, str] | None:
    """The article (or preamble) that states why the document was made, with that sentence."""
    for art in doc.articles:
        if art.kind == "appendix":
            continue
        m = _PURPOSE.search(art.text)
        if m:
            return art, m.group(1).strip()
    return None


def defined_terms(doc: Document) -> dict[str, Article]:
    """Terms the document defines or abbreviates (`(以下简称产业服务中心)`, `所称…是指`) → the
    article that does."""
    out: dict[str, Article] = {}
    for art in doc.articles:
        for definition in (_DEFINED, _MEANS):
            for m in definition.finditer(art.text):
                out.setdefault(m.group(1).strip(), art)
    return out


def definition_in(question: str, doc: Document) -> tuple[str, Article] | None:
    """The defined term of the document the question names (the longest), with its article."""
    terms = [(t, a) for t, a in defined_terms(doc).items() if len(t) >= 2 and t in question]
    return max(terms, key=lambda ta: len(ta[0])) if terms else None


def structure_article(question: str, facets: tuple[str, ...], doc: Document) -> Article | None:
    """The article that answers a structure question about the document, or None."""
    if "definition" in facets:
        found = definition_in(question, doc)
        if found:
            return found[1]
    if "purpose" in facets:
        found_purpose = purpose_article(doc)
        if found_purpose:
            return found_purpose[0]
    if "chapters" in facets:
        if doc.articles and doc.articles[0].number == 0 and _TOC.search(doc.articles[0].text):
            return doc.articles[0]
        first = next((a for a in doc.articles if a.number > 0 and a.kind == "article"), None)
        return first
    if "addressee" in facets:
        return doc.article(0)
    if "basis" in facets and "status" not in facets and doc.meta.basis:  # (not the basis of a repeal)
        # the article stating the basis (第一条 …根据省政府《关于加快工业转型升级的实施意见》…制定本办法)
        return next((a for a in doc.articles if doc.meta.basis[0] in re.sub(r"\s+", "", a.text)), None)
    return None


def structure_facts(question: str, facets: tuple[str, ...], doc: Document) -> list[str]:
    """Sentences stating what the structure says on the facets asked."""
    out: list[str] = []
    if "chapters" in facets:
        found = chapters(doc)
        body = [a for a in doc.articles if a.kind == "article" and a.number > 0]
        cut = bool(doc.articles) and cut_mid_sentence(doc.articles[-1].text)
        if cut and not _toc_chapters(doc):
            # 《广州市数字经济促进条例》一共有多少章、多少条, of a page stored only in part: what it
            # shows, not a total
            shown = f"可见{len(found)}章:{'、'.join(found)},{len(body)}条" if found else f"可见{len(body)}条(项)"
            out.append(f"本库收录的{book_title(doc.title)}文本在句中截断,{shown};全文共几章、几条,收录的文本无法确定。")
        elif found:
            out.append(f"{book_title(doc.title)}共{len(found)}章:{'、'.join(found)}。")
        else:
            out.append(f"{book_title(doc.title)}不分章,共{len(body)}条(项)。")
    if "addressee" in facets:
        who = doc.meta.addressee
        out.append(f"主送:{who}。" if who else f"{book_title(doc.title)}未载明主送单位。")
    if "purpose" in facets:
        found_purpose = purpose_article(doc)
        if found_purpose:
            out.append(f"制定目的:{found_purpose[1]}。")
    if "definition" in facets:
        found_def = definition_in(question, doc)
        if found_def:
            term, art = found_def
            sentence = next((s for s in re.split(r"(?<=。)", art.text) if term in s), art.text)
            out.append(f"“{term}”在{book_title(doc.title)}{art.ref}中定义:{sentence.strip()}")
    return out


_CHAPTER_REF = pattern("chapter_reference")


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in data("structure_cues.json").items() if not k.startswith("_")}


def chapter_mentions(text: str) -> list[tuple[int, int]]:
    """(position, chapter number) of every chapter a text names (`第七章` → 7)."""
    out = []
    for m in _CHAPTER_REF.finditer(text):
        try:
            out.append((m.start(), chinese_int(m.group(1))))
        except ValueError:
            continue
    return out


def chapter_reference(question: str) -> int | None:
    """The chapter a question names (`第七章` → 7), or None."""
    found = chapter_mentions(question)
    return found[0][1] if found else None


def chapter_described(doc: Document, number: int) -> Article | None:
    """The numbered item of a document that names chapter `number` of another (第一章总则, in the
    解读 of a 操作指引 with chapters of its own): the one naming it nearest its start."""
    found = [(at, a.number, a) for a in doc.articles if a.number
             for at in [next((p for p, n in chapter_mentions(a.text) if n == number), -1)] if at >= 0]
    return min(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _chapter_no(heading: str) -> int | None:
    m = _CHAPTER.match(heading.strip())
    if not m:
        return None
    try:
        return chinese_int(pattern("chapter_label_parts").sub("", m.group(1)))
    except ValueError:
        return None


def chapter_articles(doc: Document, number: int) -> list[Article]:
    """The articles of chapter `number` the library holds (in order)."""
    return [a for a in doc.articles if a.kind == "article" and a.section
            and _chapter_no(a.section.split(" 第")[0]) == number]


def listed_chapter(doc: Document, number: int) -> str | None:
    """The heading of chapter `number` as the document lists it (its 目录 or its headings)."""
    return next((c for c in chapters(doc) if _chapter_no(c) == number), None)


def asks_chapter_topic(question: str) -> bool:
    """Does a question about a chapter ask for its name or topic (第七章是什么), not its provisions?"""
    return any(c in question for c in _cues()["chapter_topic"])


def asks_final_version(question: str) -> bool:
    """Does the question ask about the final (issued) version of a document (正式印发的文号)?"""
    return any(c in question for c in _cues()["final_version"])


def masked_figure(article: Article, question: str) -> tuple[str, str]:
    """(clause, placeholder): the placeholder (`**`) a draft prints in the clause of the article
    that best matches the question, where a figure would be; ('', '') when that clause states
    its figure."""
    marks = _cues()["placeholders"]
    asked = {question[i:i + 2] for i in range(len(question) - 1)}
    unit = pattern("counted_unit_asked").search(question)
    best, best_score = "", 0
    for clause in re.split(r"[,，;；。\n]", article.text):
        score = len(asked & {clause[i:i + 2] for i in range(len(clause) - 1)})
        if unit and unit.group(1) in clause:  # 多少家: the clause counting 家
            score += UNIT_WEIGHT
        if score > best_score:
            best, best_score = clause, score
    mark = next((m for m in marks if m in best), "")
    return (best.strip(), mark) if mark else ("", "")


UNIT_WEIGHT = 4
"""A clause with the unit a question counts in (多少家 → …700 家) weighs this many shared
character pairs more."""
_YEAR = pattern("year_written")


def years_unstated(question: str, doc: Document) -> list[str]:
    """Years the question names (到2020年) that the document's text, title and dates never do."""
    text = re.sub(r"\s+", "", " ".join(a.text for a in doc.articles) + doc.title)
    dates = {str(d.year) for d in (doc.meta.date, doc.meta.effective_from, doc.meta.effective_until) if d}
    if doc.meta.consultation and doc.meta.consultation.start:
        dates.add(str(doc.meta.consultation.start.year))
    return [y for y in dict.fromkeys(_YEAR.findall(question)) if y not in text and y not in dates]
