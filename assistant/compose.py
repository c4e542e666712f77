"""Answer composition: citations with verbatim quotes and the markdown shown to users.

The default `ExtractiveComposer` needs no language model. Composers are plain callables over a
`Context`, so a language-model composer can replace it as one step of the chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from .amounts import format_yuan
from .index import PolicyIndex, split_sentences
from .lexical import tokenize
from .models import Answer, Article, Calculation, Citation
from .retrieval import Retrieval

MAX_CITATIONS = 3
QUOTE_SENTENCES = 2
_DEPT_CLAUSE = re.compile(r"[(（]\s*(?:责任单位|牵头单位|责任部门)\s*[:：][^)）]*[)）]")
_NUMBER = re.compile(r"\d")


@dataclass
class Context:
    """Everything a composer may use for one question."""

    question: str
    retrieval: Retrieval
    index: PolicyIndex
    calculation: Calculation | None = None
    calc_article: Article | None = None
    """The article a calculator rests on; it is cited first."""
    extra_notes: list[str] = field(default_factory=list)
    """Sentences to add to the answer (e.g. a rule states no amount)."""
    asked: str = ""
    """The question as the user typed it (`question` may be a standalone rewrite)."""

    @property
    def user_question(self) -> str:
        return self.asked or self.question


class Composer(Protocol):
    def __call__(self, ctx: Context) -> Answer: ...


def _sentences(article: Article) -> list[str]:
    """The article's sentences, verbatim, without the responsibility clause."""
    out = []
    for sent in split_sentences(article.text):
        stripped = _DEPT_CLAUSE.sub("", sent).strip()
        if len(stripped) >= 2:
            out.append(sent.strip())
    # The heading sentence (实施机器人“出海”行动。) names the article but says nothing.
    content = [s for s in out if s.rstrip("。") != article.title]
    return content or out


def best_quote(article: Article, question: str, idf: dict[str, float],
               prefer_numbers: bool = False) -> str:
    """The 1–2 adjacent sentences of the article that share most weighted words with the question.

    Always a verbatim substring of `article.text`.
    """
    sents = _sentences(article)
    if not sents:
        return article.text.strip()
    q = set(tokenize(question))
    scores = []
    for s in sents:
        toks = set(tokenize(s))
        score = sum(idf.get(t, 0.5) for t in q & toks)
        if prefer_numbers and _NUMBER.search(s):
            score += 1.0
        scores.append(score)
    if max(scores) <= 0:
        window = sents[:QUOTE_SENTENCES]
        return _contiguous(article.text, window)
    best_i = max(range(len(sents)), key=lambda i: (scores[i], -i))
    window = [sents[best_i]]
    # Take a neighbour too when it carries question words and the pair is still short.
    for j in (best_i + 1, best_i - 1):
        if 0 <= j < len(sents) and scores[j] > 0 and len(window) < QUOTE_SENTENCES \
                and len(sents[j]) + len(window[0]) <= 220:
            window = [sents[j]] + window if j < best_i else window + [sents[j]]
            break
    return _contiguous(article.text, window)


def _contiguous(text: str, window: list[str]) -> str:
    """The span of `text` from the first to the last sentence of the window (verbatim)."""
    start = text.find(window[0])
    end = text.find(window[-1], start) + len(window[-1])
    if start < 0 or end < start:
        return window[0]
    return text[start:end].strip()


def citation(hit_article: Article, doc_title: str, quote: str) -> Citation:
    return Citation(hit_article.doc_id, doc_title, hit_article.number, hit_article.title, quote,
                    list(hit_article.departments))


def not_covered_text(index: PolicyIndex, reason: str = "") -> str:
    titles = "、".join(f"《{d.title}》" for d in index.documents)
    contacts = [d.contact for d in index.documents if d.contact]
    text = f"抱歉,{titles}未涉及这个问题,无法依据政策原文作答。"
    if contacts:
        text += f"如有疑问,请联系{'、'.join(dict.fromkeys(contacts))}。"
    return text


def draft_notice(index: PolicyIndex, doc_ids: list[str]) -> str:
    notes = []
    for doc_id in dict.fromkeys(doc_ids):
        doc = index.document(doc_id)
        if doc and doc.status:
            notes.append(f"《{doc.title}》为{doc.status},具体以正式发布的政策文件和责任部门解释为准。")
    return " ".join(notes)


def cite_hits(ctx: Context) -> list[Citation]:
    """Citations for a context: the calculator's article first, then the retrieved articles."""
    idf = ctx.index.bm25.idf
    articles: list[Article] = []
    if ctx.calc_article is not None:
        articles.append(ctx.calc_article)
    for h in ctx.retrieval.hits:
        if all((a.doc_id, a.number) != (h.article.doc_id, h.article.number) for a in articles):
            articles.append(h.article)
    out = []
    for i, art in enumerate(articles[:MAX_CITATIONS]):
        quote = best_quote(art, ctx.question, idf,
                           prefer_numbers=i == 0 and ctx.calculation is not None)
        out.append(citation(art, ctx.index.doc_titles.get(art.doc_id, art.doc_id), quote))
    return out


def calculation_markdown(calc: Calculation) -> str:
    """The calculator's result in words: amount in 万元 and 元, steps, cap and notes."""
    lines = []
    if calc.eligible:
        lines.append(f"**可获金额:{format_yuan(calc.amount_yuan)}({calc.amount_yuan:,} 元)**")
    else:
        lines.append("**不符合该项条件,金额为 0 元。**")
    lines.append("")
    lines.append("计算过程:")
    lines += [f"{i}. {s}" for i, s in enumerate(calc.steps, 1)]
    if calc.cap_yuan:
        lines.append(f"\n上限:{format_yuan(calc.cap_yuan)}。")
    if calc.notes:
        lines.append("\n说明:")
        lines += [f"- {n}" for n in calc.notes]
    return "\n".join(lines)


class ExtractiveComposer:
    """Names the document and article, quotes it verbatim and lists the departments."""

    def __call__(self, ctx: Context) -> Answer:
        if not ctx.retrieval.in_scope and ctx.calc_article is None:
            return Answer(ctx.user_question, not_covered_text(ctx.index, ctx.retrieval.reason), False)
        cits = cite_hits(ctx)
        first = cits[0]
        parts = [f"**依据:《{first.doc_title}》第{first.article}条 {first.title}**"
                 if first.article else f"**依据:《{first.doc_title}》{first.title}**"]
        if ctx.calculation is not None:
            parts.append(calculation_markdown(ctx.calculation))
        parts += ctx.extra_notes
        parts.append(f"> {first.quote}")
        if first.departments:
            parts.append(f"责任单位:{'、'.join(first.departments)}")
        if len(cits) > 1:
            related = ";".join(f"第{c.article}条 {c.title}" if c.article else c.title
                               for c in cits[1:])
            parts.append(f"相关条款:{related}")
        notice = draft_notice(ctx.index, [c.doc_id for c in cits])
        if notice:
            parts.append(f"_{notice}_")
        return Answer(ctx.user_question, "\n\n".join(parts), True, cits, ctx.calculation)
