"""Answer composition: citations with verbatim quotes and the markdown shown to users.

The default `ExtractiveComposer` needs no language model. A composer is a callable over a
`Context` with a `stream` method, so a language-model composer replaces it as one step of the chain.
Composers read the corpus (documents, articles, metadata), never the index.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator, Protocol

from ..config import local_today
from ..ingest.corpus import Corpus
from ..ingest.structure import STRUCTURE_FACETS, structure_facts
from ..lang.amounts import format_yuan
from ..lang.cues import pattern
from ..lang.language import Lang, Said, both, english, gloss, message
from ..lang.lexical import tokenizer_for
from ..lang.reading import cues as reading_cues
from ..lang.reading import quoted_title_pattern, quoted_titles, says
from ..lang.sentences import DEPT_CLAUSE as _DEPT_CLAUSE
from ..lang.sentences import article_sentences as _sentences
from ..lang.sentences import best_quote, whole_quote
from ..lang.text import book_title
from ..models import DRAFTS, Answer, Article, Calculation, Citation, Clarification, Document, Route
from ..retrieve.doc_places import place_index, relation
from ..retrieve.references import without_spans
from ..retrieve.retrieval import Retrieval
from .grounding import figures

if TYPE_CHECKING:
    from ..match.matching import MatchResult

MAX_CITATIONS = 3
ASKS_COUNT = pattern("asks_count")
"""A question asking for a figure: the sentence with numbers is quoted first."""


@dataclass(frozen=True)
class Context:
    """Everything a composer may use for one question (built once by the chain, never mutated)."""

    question: str
    """What retrieval searched (a follow-up may have been made standalone)."""
    retrieval: Retrieval
    corpus: Corpus
    route: Route = "lookup"
    asked: str = ""
    """The question as the user typed it."""
    calculation: Calculation | None = None
    calc_article: Article | None = None
    """The article a calculator rests on; it is cited first."""
    notes: tuple[str, ...] = ()
    """Sentences to add to the answer (a rule states no amount, an amount is missing …)."""
    clarification: Clarification | None = None
    carried: bool = False
    """The article came from the previous turn (a follow-up such as 它的责任单位是谁?)."""
    match: "MatchResult | None" = None
    """A 政策体检 run on the question's description of the enterprise."""
    not_provided: str = ""
    """What the question asks for that the library does not provide (购车补贴): the answer says so
    and lists the nearby articles as related, never as its basis."""
    lang: Lang = "zh"
    """The language to answer in (the question's; quotes stay verbatim Chinese)."""

    @property
    def user_question(self) -> str:
        return self.asked or self.question

    @property
    def covered(self) -> bool:
        return self.retrieval.in_scope or self.calc_article is not None or self.match is not None


class Composer(Protocol):
    """Turns a context into an answer; `stream` yields text as it is written, then the Answer."""

    def __call__(self, ctx: Context) -> Answer: ...

    def stream(self, ctx: Context) -> Iterator[str | Answer]: ...


def citation(article: Article, doc_title: str, quote: str) -> Citation:
    return Citation(article.doc_id, doc_title, article.number, article.title, quote,
                    list(article.departments), article.ref)


# --- fixed texts from metadata ------------------------------------------------------------------
def library_titles(corpus: Corpus) -> str:
    """The library named in a refusal: its one document, or how many it holds (本库收录的4份政策文件)
    — not the first titles of a list, which read as if they were related to the question."""
    docs = corpus.listing
    return book_title(docs[0].title) if len(docs) == 1 else f"本库收录的{len(docs)}份政策文件"


def not_covered_text(corpus: Corpus, reason: str = "") -> str:
    titles = library_titles(corpus)
    text = f"抱歉,{titles}未涉及这个问题,无法依据政策原文作答。"
    if corpus.contacts:
        text += f"如有疑问,请联系{'、'.join(corpus.contacts[:3])}。"
    return text


def status_notice(doc: Document, superseded_by: Document | None = None) -> str:
    """One sentence on how far a document can be relied on (from its metadata)."""
    if superseded_by is not None:
        return f"{book_title(doc.title)}已被{book_title(superseded_by.title)}取代,仅供对照。"
    if doc.meta.status in DRAFTS:
        return f"{book_title(doc.title)}为{doc.meta.status},具体以正式发布的政策文件和责任部门解释为准。"
    if doc.meta.status == "废止":
        return f"{book_title(doc.title)}已废止,仅供参考。"
    return ""


def document_notices(corpus: Corpus, doc_ids: list[str],
                     notice: Callable[[Document, Document | None], str] = status_notice) -> str:
    """The status notices of the cited documents, each once (`notice`: the wording, Chinese by
    default, `english_status_notice` for English answers)."""
    notes = []
    for doc_id in dict.fromkeys(doc_ids):
        doc = corpus.document(doc_id)
        if doc is None:
            continue
        note = notice(doc, corpus.document(corpus.superseded_by.get(doc_id, "")))
        if note:
            notes.append(note)
    return " ".join(notes)



def calculation_markdown(calc: Calculation) -> str:
    """The calculator's result in words: amount in 万元 and 元, steps, cap and notes."""
    lines = []
    if calc.eligible:
        label = "最高可获" if calc.at_most else "可获金额"
        lines.append(f"**{label}:{format_yuan(calc.amount_yuan)}({calc.amount_yuan:,} 元)**")
    else:
        lines.append("**不符合该项条件,金额为 0 元。**")
    lines.append("")
    lines.append("计算过程:")
    lines += [f"{i}. {s}" for i, s in enumerate(calc.steps, 1)]
    if calc.cap_yuan and calc.eligible:  # (0 元 beside 上限:1000万元 reads as a contradiction)
        lines.append(f"\n上限:{format_yuan(calc.cap_yuan)}。")
    if calc.notes:
        lines.append("\n说明:")
        lines += [f"- {n}" for n in calc.notes]
    return "\n".join(lines)


# --- citations ----------------------------------------------------------------------------------
def _of_related_places(ctx: Context, related: list[Citation], first: Citation) -> list[Citation]:
    """The related citations worth naming beside the basis: not those of a document of another
    place than the basis's (临海's 若干意见 beside 杭州's 第3条), unless the question names it."""
    index = place_index(ctx.corpus)
    own = index.own.get(first.doc_id)
    if own is None:
        return related
    # (好几个文件都引用了国发〔2017〕35号: every document quoting the 文号 asked about)
    numbers = {m.groups() for m in _NUMBER_ASKED.finditer(ctx.question)}
    return [c for c in related if c.doc_id == first.doc_id or c.doc_id in ctx.retrieval.documents
            or (other := index.own.get(c.doc_id)) is None or relation(other, own) != "other"
            or any(m.groups() in numbers for m in _NUMBER_ASKED.finditer(_article_text(ctx, c)))]


def _article_text(ctx: Context, c: Citation) -> str:
    article = ctx.corpus.article(c.doc_id, c.article)
    return article.text if article is not None else c.quote


_NUMBER_ASKED = pattern("document_number")


def cited_articles(ctx: Context) -> list[Article]:
    """The calculator's article first, then the retrieved ones (each once)."""
    articles: list[Article] = []
    if ctx.calc_article is not None:
        articles.append(ctx.calc_article)
    for h in ctx.retrieval.hits:
        if all(a is not h.article for a in articles):
            articles.append(h.article)
    return articles[:max(MAX_CITATIONS, ctx.retrieval.listed)]


_REPORTED_SOURCE = pattern("reported_source")


def cite_hits(ctx: Context) -> list[Citation]:
    """Citations for a context, each with its verbatim quote."""
    tok = tokenizer_for(ctx.corpus.vocabulary.terms)
    out = []
    # The names of documents and places say which document, not which sentence of it answers.
    asked = without_spans(ctx.question, ctx.retrieval.name_spans) if ctx.retrieval.name_spans else ctx.question
    # (据…条例草案征求意见的报道,…多少家: where the facts come from says no more than the names)
    asked = without_spans(asked, tuple(m.span() for m in _REPORTED_SOURCE.finditer(asked)))
    if not asked.strip():
        asked = ctx.question
    count = bool(ASKS_COUNT.search(asked))
    figure = any(w in asked.lower() for w in reading_cues().figure_asks)
    for i, art in enumerate(cited_articles(ctx)):
        if ctx.route == "meta" and art.number == 0:
            quote = _meta_quote(art, ctx, asked, prefer_numbers=i == 0 and figure)
        elif i == 0 and art.number and ctx.retrieval.references and says(asked, reading_cues().whole_text_asks):
            quote = whole_quote(art)  # 第十六条的内容是什么: the article as written, not a part of it
        else:
            quote = best_quote(art, asked, tok,
                               prefer_numbers=i == 0 and (ctx.calculation is not None or count))
        out.append(citation(art, ctx.corpus.title_of(art.doc_id), quote))
    # (web round 24: a 杭州 follow-up's sources listed 广东's 道路测试 办法 — no other place's
    # document beside the basis, unless the question names it)
    return out[:1] + _of_related_places(ctx, out[1:], out[0]) if out else out


def _meta_quote(article: Article, ctx: Context, asked: str = "", prefer_numbers: bool = False) -> str:
    """The announcement sentence about the facet asked (consultation period, contact, drafter);
    with no facet, the sentences that best match what is asked beside the document's name (a
    single-unit news page asked for a ratio: the sentence with its figures)."""
    facets = ctx.retrieval.scope.facets
    wanted = {"consultation": ("征求意见", "时间"), "contact": ("联系",), "drafter": ("起草",),
              "basis": ("根据", "依据", "精神"),
              "status": ("征求意见稿", "印发", "施行"), "date": ("施行", "有效期", "印发"),
              "number": ("号",)}
    words = [w for f in facets for w in wanted.get(f, ())]
    for sent in _sentences(article):
        if words and sum(w in sent for w in words) >= min(2, len(words)):
            return sent
    for sent in _sentences(article):
        if any(w in sent for w in words):
            return sent
    tok = tokenizer_for(ctx.corpus.vocabulary.terms)
    return best_quote(article, asked or ctx.question, tok, prefer_numbers=prefer_numbers)


# --- meta answers -------------------------------------------------------------------------------
def _date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def meta_facts(doc: Document, facets: tuple[str, ...], corpus: Corpus,
               today: dt.date | None = None, question: str = "") -> list[str]:
    """Sentences answering questions about the document itself, from its metadata (and, for
    chapters, 主送, defined terms and purpose, from its structure)."""
    today = today or local_today()
    m = doc.meta
    out = structure_facts(question, facets, doc) if set(facets) & set(STRUCTURE_FACETS) else []
    if out and not set(facets) - set(STRUCTURE_FACETS) - {"drafter"}:
        return out  # 制定本条例的目的: the purpose, not who made it
    facets = facets or ("status",)
    newer = corpus.document(corpus.superseded_by.get(doc.doc_id, ""))
    if "status" in facets and m.status in DRAFTS and m.consultation and not newer \
            and "consultation" not in facets:
        facets = (*facets, "consultation")  # 已经正式实施了吗 of a draft: until when it is open, and whom to tell
    title = book_title(doc.title)
    if "status" in facets or "date" in facets:
        if m.status in DRAFTS:
            text = f"{book_title(doc.title)}目前是{m.status},尚未正式施行"
            text += f";已由{book_title(newer.title)}取代。" if newer else ",具体以正式发布的政策文件为准。"
            out.append(Said(text, "meta.superseded_draft" if newer else "meta.draft", doc=title, status=m.status,
                            newer=book_title(newer.title) if newer else ""))
        elif m.status == "废止":
            out.append(Said(f"{book_title(doc.title)}已废止。", "meta.repealed", doc=title))
        elif m.status == "正式":
            text = f"{book_title(doc.title)}为正式文件" + (f"({m.doc_number})" if m.doc_number else "")
            if m.date:
                text += f",{_date(m.date)}印发"
            if m.effective_from:
                text += f",自{_date(m.effective_from)}起施行"
            if m.effective_until:
                text += f",有效期至{_date(m.effective_until)}"
            text += "。"
            parts = [message(k, value=v) for k, v in (("meta.formal_number", m.doc_number), ("meta.formal_date", m.date),
                                                        ("meta.formal_from", m.effective_from),
                                                        ("meta.formal_until", m.effective_until)) if v]
            out.append(Said(text, "meta.formal", doc=title, details="".join(parts)))
        elif not m.effective_from:
            # 从哪天起施行 of a text that states neither its status nor its date
            out.append(Said(f"{book_title(doc.title)}未载明施行日期和文件状态。", "meta.no_effective_date", doc=title))
        else:
            out.append(Said(f"{book_title(doc.title)}的文件状态未注明。", "meta.no_status", doc=title))
    if "consultation" in facets:
        c = m.consultation
        if c and c.start and c.end:
            text = f"公开征求意见时间为{_date(c.start)}至{_date(c.end)}"
            key = "meta.consultation"
            if today > c.end:
                text += f",已于{_date(c.end)}截止。"
                key = "meta.consultation_closed"
            elif today >= c.start:
                text += f",目前仍在征求意见期内(截止{_date(c.end)})。"
                key = "meta.consultation_open"
            else:
                text += "。"
            out.append(Said(text, key, start=c.start, end=c.end))
        elif c and c.end:  # 请于2024年10月17日前…反馈: only the last day is stated
            text = f"征求意见截止时间为{_date(c.end)}"
            if today > c.end:
                out.append(Said(text + f",已于{_date(c.end)}截止。", "meta.consultation_end_closed", end=c.end))
            else:
                out.append(Said(text + "。", "meta.consultation_end", end=c.end))
        else:
            out.append(Said(f"{book_title(doc.title)}未载明公开征求意见的时间。", "meta.no_consultation", doc=title))
    if "contact" in facets or "consultation" in facets:
        parts = [p for p in (m.contact, f"电话 {m.phone}" if m.phone else "",
                             f"邮箱 {m.email}" if m.email else "") if p]
        if parts:
            en = [p for p in (both(m.contact) if m.contact else "",
                              message("meta.phone", value=m.phone) if m.phone else "",
                              message("meta.email", value=m.email) if m.email else "") if p]
            out.append(Said(f"如有意见或建议,请联系{','.join(parts)}。", "meta.contact",
                            contacts=message("and").join(en)))
    if "drafter" in facets:
        who = m.drafter or m.issuer
        if who:
            out.append(Said(f"该文件由{who}{'起草' if m.drafter else '发布'}。",
                            "meta.drafter" if m.drafter else "meta.issuer", who=who))
        else:
            out.append(Said("文件未载明起草单位。", "meta.no_drafter"))
    if "number" in facets:
        out.append(_number_fact(doc, question))
    if "basis" in facets:
        if m.basis:
            # each with the 文号 the text writes after it (《…》(浙政办发〔2018〕91号))
            text = re.sub(r"\s+", "", "\n".join(a.text for a in doc.articles))
            named = []
            for b in m.basis:
                number = _NUMBER_AFTER.search(text, text.find(f"《{b}》") + len(b) + 2) \
                    if f"《{b}》" in text else None
                at = text.find(f"《{b}》") + len(b) + 2
                named.append(f"《{b}》({number.group(1)})" if number and number.start() == at else f"《{b}》")
            out.append(Said(f"制定依据:{'、'.join(named)}。", "meta.basis", titles=", ".join(named)))
        else:
            out.append(Said(f"{book_title(doc.title)}未载明制定依据的文件。", "meta.no_basis", doc=title))
    return out


_NUMBER_AFTER = pattern("document_number_after_title")


def _number_fact(doc: Document, question: str) -> "Said":
    """The document's 文号; of a 解读 asked the 文号 of the plan it explains, the one it writes after
    that plan's title; else that it carries none."""
    if doc.meta.doc_number:
        return Said(f"文号为{doc.meta.doc_number}。", "meta.number", value=doc.meta.doc_number)
    cited = cited_number(doc, question)
    if cited is not None:
        return Said(f"《{cited[0]}》的文号为{cited[1]}。", "meta.cited_number", title=cited[0], value=cited[1])
    return Said(f"{book_title(doc.title)}未标注文号。", "meta.no_number", doc=book_title(doc.title))


def cited_number(doc: Document, question: str) -> tuple[str, str] | None:
    """(title, 文号) of a document the question names in 《》 that the text writes with its 文号 right
    after it (《…专项规划(2021-2025年)》(穗开管办〔2021〕8号,…)), else None."""
    text = re.sub(r"\s+", "", "\n".join(a.text for a in doc.articles))
    for asked in quoted_titles(question):
        for m in quoted_title_pattern().finditer(text):
            if asked in m.group(1) or m.group(1) in asked:
                number = _NUMBER_AFTER_LOOSE.match(text, m.end())
                if number:
                    return m.group(1), number.group(1)
    return None


_NUMBER_AFTER_LOOSE = pattern("document_number_opening_bracket")


def _own_facets(ctx: Context, article: int, doc: Document) -> tuple[str, ...]:
    """The facets asked of the cited document itself: a 文号 it does not carry, asked while one of
    its items is cited (the item naming another document with its 文号), is that document's."""
    facets = ctx.retrieval.scope.facets
    if article and not doc.meta.doc_number and "number" in facets:
        return tuple(f for f in facets if f != "number")
    return facets


def meta_document(ctx: Context) -> Document:
    """The document a question about 'the document' means: the one it names, else the one the
    best hit is from."""
    corpus = ctx.corpus
    for doc_id in ctx.retrieval.documents:
        doc = corpus.document(doc_id)
        if doc is not None:
            return doc
    if ctx.retrieval.hits:
        doc = corpus.document(ctx.retrieval.hits[0].article.doc_id)
        if doc is not None:
            return doc
    return corpus.documents[0]


# --- versions -----------------------------------------------------------------------------------
_CAP_BEFORE = pattern("cap_before")
_FLOOR_AFTER = pattern("floor_after")


def figure_roles(text: str) -> dict[tuple[str, object, str], str]:
    """Money and percentage figures of a text by role: a cap (最高1000万元), a threshold
    (100万元以上) or a plain figure, so two versions compare like with like."""
    out: dict[tuple[str, object, str], str] = {}
    for f in figures(_DEPT_CLAUSE.sub("", text)):
        if f.kind not in ("yuan", "%"):
            continue
        at = text.find(f.text)
        before, after = text[max(0, at - 12):at], text[at + len(f.text):at + len(f.text) + 6]
        role = "cap" if _CAP_BEFORE.search(before) else "floor" if _FLOOR_AFTER.search(after) else "value"
        label = {"cap": "最高", "floor": "门槛"}.get(role, "")
        out.setdefault((role, f.value, f.kind), f"{label}{f.text}")
    return out


VERSION_MIN_SCORE = 0.5
"""Another version's best article is quoted when it scores at least this share of the first."""


def version_note(ctx: Context, cits: list[Citation]) -> str:
    """When the first citation's document has another version in the library (a draft and its
    final text) that speaks to the same point, what that version says and which figures differ."""
    if not cits or ctx.route == "meta" or not cits[0].article:
        return ""
    first = cits[0]
    corpus = ctx.corpus
    own = corpus.document(first.doc_id)
    related = [corpus.superseded_by.get(first.doc_id, "")] + (list(own.meta.supersedes) if own else [])
    top = ctx.retrieval.best_by_doc.get(first.doc_id)
    for doc_id in filter(None, related):
        hit = ctx.retrieval.best_by_doc.get(doc_id)
        doc = corpus.document(doc_id)
        if hit is None or doc is None or hit.article.number == 0:
            continue
        if top is not None and hit.score < VERSION_MIN_SCORE * top.score:
            continue
        tok = tokenizer_for(corpus.vocabulary.terms)
        quote = best_quote(hit.article, ctx.question, tok, prefer_numbers=ctx.calculation is not None)
        mine = corpus.article(first.doc_id, first.article)
        ours = figure_roles(mine.text if mine else first.quote)
        theirs = figure_roles(hit.article.text)
        only_ours = [t for key, t in ours.items() if key not in theirs]
        only_theirs = [t for key, t in theirs.items() if key not in ours]
        state = doc.meta.status or "另一版本"
        text = f"**另一版本**:{book_title(doc.title)}({state}){hit.article.display}规定:“{quote}”"
        params = {"doc": book_title(doc.title), "status": state, "quote": quote,
                  "article": english_display(citation(hit.article, doc.title, quote))}
        if only_ours or only_theirs:
            text += (f" 数字不同之处:本答复依据的版本为{'、'.join(only_ours) or '—'},"
                     f"该版本为{'、'.join(only_theirs) or '—'}。")
            return Said(text, "other_version_figures", ours="、".join(only_ours) or "—",
                        theirs="、".join(only_theirs) or "—", **params)
        return Said(text, "other_version", **params)
    return ""


# --- English answers (the wording from data/english.json; quotes stay verbatim Chinese) -----------
def english_display(c: Citation) -> str:
    """Article 3 (第3条 加强… (its English gloss)); the text before the first article as it is."""
    if not c.article:
        return message("article_zero", title=c.display)
    g = gloss(c.title)
    return message("article", number=c.article, label=c.article_label or f"第{c.article}条", title=c.title,
                   title_gloss=f" — {g}" if g else "")


def english_calculation(calc: Calculation) -> Calculation:
    """The calculation with its steps and notes said in English (the same figures)."""
    return replace(calc, steps=[english(s) for s in calc.steps], notes=[english(n) for n in calc.notes])


def english_calculation_markdown(calc: Calculation) -> str:
    lines = [message("ceiling" if calc.at_most else "amount", amount=calc.amount_yuan)
             if calc.eligible else message("not_eligible"), "", message("steps")]
    lines += [f"{i}. {s}" for i, s in enumerate(calc.steps, 1)]
    if calc.cap_yuan and calc.eligible:
        lines.append("\n" + message("cap", cap=calc.cap_yuan))
    if calc.notes:
        lines.append("\n" + message("notes"))
        lines += [f"- {n}" for n in calc.notes]
    return "\n".join(lines)


def english_departments(departments: list[str]) -> str:
    return message("and").join(both(d) for d in departments)


def english_not_covered(corpus: Corpus) -> str:
    docs = corpus.listing
    text = message("not_covered_more", count=len(docs)) if len(docs) > 1 \
        else message("not_covered", titles=both(book_title(docs[0].title)))
    if corpus.contacts:
        text += " " + message("contact", contacts=message("and").join(both(c) for c in corpus.contacts[:3]))
    return text


def english_status_notice(doc: Document, newer: Document | None = None) -> str:
    """`status_notice` in English."""
    title = book_title(doc.title)
    if newer is not None:
        return message("status_superseded", doc=title, newer=book_title(newer.title))
    if doc.meta.status in DRAFTS:
        return message("status_draft", doc=title, status=doc.meta.status)
    if doc.meta.status == "废止":
        return message("status_repealed", doc=title)
    return ""


def _all_gaps(ctx: Context) -> list[str]:
    """What the text does not specify (the answer's `gaps`): none beside a calculation, but the
    amount when the calculator says the policy sets none for the case (another 首台套 product)."""
    if ctx.calculation is not None:
        return [reading_cues().figure_gap] if ctx.calculation.amount_unset else []
    return list(ctx.retrieval.scope.gaps)


def _stated_gaps(ctx: Context) -> list[str]:
    """What the text does not specify, to say in the answer: none beside a calculation, and not
    the missing figure when the article's own note already says it gives none (第14条只规定
    “依规给予经费补助”,没有规定具体金额或比例)."""
    noted = any(getattr(n, "key", "") == "chain.unspecified" for n in ctx.notes)
    if ctx.calculation is not None:
        return []  # (the calculation's own steps say an amount is not set: 本政策未规定具体金额)
    return [g for g in _all_gaps(ctx) if not (noted and g == reading_cues().figure_gap)]


def _english_refs(cits: list[Citation], first: Citation) -> str:
    return message("list_separator").join(
        (f"{book_title(c.doc_title)} " if c.doc_id != first.doc_id else "") + english_display(c) for c in cits)


def english_answer(ctx: Context) -> Answer:
    """The answer to an English question: the same parts as the Chinese one, in English; the
    document and article named by their Chinese titles (with a gloss where the glossary has one),
    the quote verbatim Chinese, every figure from the calculator."""
    if ctx.match is not None:
        zh = match_answer(ctx)
        return replace(zh, answer=message("match") + "\n\n" + zh.answer, lang="en")
    cits = cite_hits(ctx) if ctx.covered else []
    if not cits:
        return Answer(ctx.user_question, english_not_covered(ctx.corpus), False, lang="en")
    first = cits[0]
    if ctx.not_provided:
        said = message("not_provided_library", thing=ctx.not_provided, count=len(ctx.corpus.listing)) \
            if _of_the_library(ctx) \
            else message("not_provided", doc=book_title(first.doc_title), thing=ctx.not_provided)
        parts = [said,
                 message("related_not_basis", articles=_english_refs(cits[:3], first))]
        if ctx.corpus.contacts:
            parts.append(message("contact", contacts=message("and").join(both(c) for c in ctx.corpus.contacts[:3])))
        return Answer(ctx.user_question, "\n\n".join(parts), False, [], related=cits[:3], lang="en")
    parts = []
    if ctx.route == "meta":
        doc = ctx.corpus.document(first.doc_id) or meta_document(ctx)
        facets = _own_facets(ctx, first.article, doc)
        parts += [english(f) for f in meta_facts(doc, facets, ctx.corpus, question=ctx.question)] if facets else []
    parts.append(message("basis", doc=book_title(first.doc_title), article=english_display(first)))
    calc = english_calculation(ctx.calculation) if ctx.calculation is not None else None
    if calc is not None:
        parts.append(english_calculation_markdown(calc))
    parts += [english(n) for n in ctx.notes]
    parts.append(f"> {first.quote}")
    if first.departments:
        parts.append(message("departments", departments=english_departments(first.departments)))
    if ctx.retrieval.compared and len(cits) > 1 and cits[1].doc_id != first.doc_id:
        other = cits[1]
        parts.append(message("comparison", doc=book_title(other.doc_title), article=english_display(other)))
        parts.append(f"> {other.quote}")
    gaps = _stated_gaps(ctx)
    if gaps:
        who = message("gaps_who_departments", departments=english_departments(first.departments)) \
            if first.departments else message("gaps_who_default")
        parts.append(message("gaps", gaps=message("and").join(both(g) for g in gaps), who=who))
    if ctx.clarification is not None:
        parts.append(message("clarification", question=english(ctx.clarification.question)))
    note = version_note(ctx, cits)
    if note:
        parts.append(english(note))
    related = _of_related_places(ctx, cits[1:], first)
    if related:
        parts.append(message("related", articles=_english_refs(related, first)))
    notice = document_notices(ctx.corpus, [c.doc_id for c in cits], english_status_notice)
    if notice:
        parts.append(f"_{notice}_")
    return Answer(ctx.user_question, "\n\n".join(parts), True, cits, calc,
                  clarification=ctx.clarification, gaps=_all_gaps(ctx), lang="en")


# --- the extractive composer --------------------------------------------------------------------
def match_answer(ctx: Context) -> Answer:
    """A 政策体检 in the chat: what the description qualifies for, and what would decide the rest."""
    result = ctx.match
    assert result is not None
    items = [i for i in result.items if i.status != "not_eligible"] or result.items
    cits = []
    for item in items[:MAX_CITATIONS]:
        art = ctx.corpus.article(item.doc_id, item.article)
        if art is not None:
            cits.append(citation(art, ctx.corpus.title_of(item.doc_id), item.quote or art.text))
    if not result.items:
        text = f"根据您的描述,还无法判断适用哪些条款。请补充企业情况,例如:{ctx.corpus.site.checkup_hint}。"
        return Answer(ctx.user_question, text, True, cits)
    from ..match.matching import summary_markdown  # 政策体检 only: not imported for other answers

    parts = ["**政策体检结果**(依据您描述的情况;可在“政策体检”页填写完整信息并导出报告)", summary_markdown(result)]
    missing = list(dict.fromkeys(label for i in result.items for label in i.missing_labels))
    if missing:
        parts.append(f"**请补充以下信息以确定金额**:{'、'.join(missing)}。")
    notice = document_notices(ctx.corpus, [i.doc_id for i in result.items])
    if notice:
        parts.append(f"_{notice}_")
    return Answer(ctx.user_question, "\n\n".join(parts), True, cits)


def _of_the_library(ctx: Context) -> bool:
    """A thing the library does not give, asked of no document and no place in a library of
    several (能拿多少房租补贴): the library is named, not the document of the nearest related item."""
    scope = ctx.retrieval.scope
    return len(ctx.corpus.documents) > 1 and not ctx.retrieval.documents and not ctx.retrieval.unstated \
        and not scope.inside_places and not scope.other_places


def not_provided_answer(ctx: Context, cits: list[Citation]) -> Answer:
    """The library does not give what the question asks for: say so, name the nearby articles
    (related, not the basis) and the contact."""
    first = cits[0]
    # (房租补贴 asked of no document in a library of several: the library does not give it, not
    # the document of the nearest related item)
    whose = library_titles(ctx.corpus) if _of_the_library(ctx) else book_title(first.doc_title)
    parts = [f"{whose}没有规定“{ctx.not_provided}”,无法依据政策原文给出。",
             "相关条款(仅供参考,不是本问题的依据):" + ";".join(
                 (book_title(c.doc_title) if c.doc_id != first.doc_id else "") + c.display for c in cits[:3])]
    doc = None if _of_the_library(ctx) else ctx.corpus.document(first.doc_id)
    contact = (doc.contact or doc.meta.issuer or doc.meta.drafter) if doc is not None else ""
    if contact:
        # (工信部办公厅's notice: whom it names, else who issued it — not the people other
        # documents of the library name)
        parts.append(f"如有疑问,请联系{contact}。")
    elif ctx.corpus.contacts:
        parts.append(f"如有疑问,请联系{'、'.join(ctx.corpus.contacts[:3])}。")
    return Answer(ctx.user_question, "\n\n".join(parts), False, [], related=cits[:3])


class ExtractiveComposer:
    """Names the document and article, quotes it verbatim and lists the departments."""

    def __call__(self, ctx: Context) -> Answer:
        if ctx.lang == "en":
            return english_answer(ctx)
        if ctx.match is not None:
            return match_answer(ctx)
        if not ctx.covered:
            return Answer(ctx.user_question, not_covered_text(ctx.corpus, ctx.retrieval.reason), False)
        cits = cite_hits(ctx)
        if not cits:
            return Answer(ctx.user_question, not_covered_text(ctx.corpus, ctx.retrieval.reason), False)
        if ctx.not_provided:
            return not_provided_answer(ctx, cits)
        first = cits[0]
        parts = []
        if ctx.route == "meta":
            doc = ctx.corpus.document(first.doc_id) or meta_document(ctx)
            facets = _own_facets(ctx, first.article, doc)
            parts += meta_facts(doc, facets, ctx.corpus, question=ctx.question) if facets else []
            parts.append(f"**依据:{book_title(first.doc_title)}{first.display}**")
        else:
            parts.append(f"**依据:{book_title(first.doc_title)}{first.display}**")
        if ctx.calculation is not None:
            parts.append(calculation_markdown(ctx.calculation))
        parts += ctx.notes
        listed = cits[:ctx.retrieval.listed] if ctx.retrieval.listed > 1 else []
        if listed:
            parts.append(f"给出具体金额或比例的条款共{len(listed)}条:" + "、".join(c.article_label or c.display for c in listed)
                         + "。")
        parts.append(f"> {first.quote}")
        if first.departments:
            parts.append(f"责任单位:{'、'.join(first.departments)}")
        for c in listed[1:]:
            parts.append(f"**{c.display}**")
            parts.append(f"> {c.quote}")
            if c.departments:
                parts.append(f"责任单位:{'、'.join(c.departments)}")
        if ctx.retrieval.compared and len(cits) > 1 and cits[1].doc_id != first.doc_id:
            other = cits[1]  # a comparison: the other document's article beside the first
            parts.append(f"**对比:{book_title(other.doc_title)}{other.display}**")
            parts.append(f"> {other.quote}")
        gaps = _stated_gaps(ctx)
        if gaps:
            who = ("责任单位" + "、".join(first.departments)) if first.departments else \
                "、".join(ctx.corpus.contacts[:1]) or "责任部门"
            parts.append(f"条文未规定{'、'.join(gaps)}等具体事项,请咨询{who}。")
        if ctx.clarification is not None:
            parts.append(f"**需要确认**:{ctx.clarification.question}(请回复“是”或“否”)")
        note = version_note(ctx, cits)
        if note:
            parts.append(note)
        related = _of_related_places(ctx, cits[max(1, len(listed)):], first)
        if related:
            parts.append("相关条款:" + ";".join(
                (book_title(c.doc_title) if c.doc_id != first.doc_id else "") + c.display for c in related))
        notice = document_notices(ctx.corpus, [c.doc_id for c in cits])
        if notice:
            parts.append(f"_{notice}_")
        return Answer(ctx.user_question, "\n\n".join(parts), True, cits, ctx.calculation,
                      clarification=ctx.clarification, gaps=_all_gaps(ctx))

    def stream(self, ctx: Context) -> Iterator[str | Answer]:
        yield self(ctx)
