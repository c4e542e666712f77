"""The 条文检索 tab: the articles a query reaches (ranked, its words marked, padding left out) with a
答复口径 for the best one, and an article in full by its number."""

from __future__ import annotations

import html
import logging
from typing import Any

from assistant.answer.chain import Assistant, validate_question
from assistant.answer.compose import best_quote, document_notices, not_covered_text
from assistant.calc.calculators import asks_about_money
from assistant.errors import PolicyAssistantError
from assistant.lang.amounts import format_yuan
from assistant.lang.reading import stated_amounts
from assistant.lang.text import book_title, inert

from .render import SORRY, highlight, paragraphs, reply_script

log = logging.getLogger("policy-assistant.ui")
ALL_DOCUMENTS = "全部文件"
RELEVANT_SHARE = 0.6
"""A look-up result scores at least this share of the best one."""


def relevant_hits(hits: list[Any]) -> list[Any]:
    """The look-up's results without padding: an article none of the query's words (or their
    synonyms and translations) reach, found by the dense model alone at a fraction of the best
    score, is not shown."""
    if not hits:
        return []
    top = max(h.score for h in hits)
    lexical = [h for h in hits if h.lexical > 0]
    kept = lexical or hits[:1]
    return [h for h in kept if h.score >= RELEVANT_SHARE * top]


def article_number(value: Any) -> int | None:
    """16, "16", "十六", "第十六条", "第16条" → 16; None when it is no article number."""
    from cn2an import cn2an

    text = str(value if value is not None else "").strip().removeprefix("第").removesuffix("条").strip()
    if not text or len(text) > 8:
        return None
    try:
        n = int(float(text)) if text.replace(".", "", 1).isdigit() else int(cn2an(text, "strict"))
    except (TypeError, ValueError, OverflowError):
        return None
    return n if 0 <= n < 100_000 else None


class LookupHandlers:
    """Articles found by a query or by their number."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def document_choices(self) -> list[tuple[str, str]]:
        return [(ALL_DOCUMENTS, "")] + [(d.short_title, d.doc_id) for d in self.assistant.corpus.documents]

    def lookup(self, query: str, doc_id: str | None = "", k: int = 5) -> tuple[str, str]:
        """(ranked articles as HTML with the query's words marked, 答复口径 for the best one)."""
        try:
            question = validate_question(query)
            res = self.assistant.retriever.retrieve(question, k if not doc_id else 50)
        except PolicyAssistantError as exc:
            return f"<p class='pa-warn'>{html.escape(str(exc))}</p>", ""
        except Exception:  # noqa: BLE001
            log.exception("look-up failed")
            return f"<p class='pa-warn'>{SORRY}</p>", ""
        corpus = self.assistant.corpus
        hits = relevant_hits([h for h in res.hits if not doc_id or h.article.doc_id == doc_id])[:k]
        if not hits:
            text = not_covered_text(corpus)
            return f"<p class='pa-warn'>{html.escape(text)}</p>", text
        tok = self.assistant.index.tokenizer
        words = tok.cut(question)
        cards = []
        for rank, h in enumerate(hits, 1):
            a = h.article
            depts = "、".join(a.departments) or "—"
            cards.append(
                f"<div class='pa-card'><div class='pa-head'>{rank}. {html.escape(a.display)} "
                f"<span class='pa-score'>{book_title(html.escape(corpus.title_of(a.doc_id)))} 相关度 {h.score:.2f}</span></div>"
                f"<div class='pa-dept'>责任单位:{html.escape(depts)}</div>"
                f"<div class='pa-text'>{'<br>'.join(highlight(line, words) for line in a.text.splitlines())}"
                "</div></div>")
        top = hits[0].article
        doc = corpus.document(top.doc_id)
        assert doc is not None
        quote = best_quote(top, question, tok)
        reply = reply_script(top, doc, quote, document_notices(corpus, [doc.doc_id]))
        card, said = self._amount(question)
        return card + "".join(cards), (said + "\n\n" + reply if said else reply)

    def _amount(self, question: str) -> tuple[str, str]:
        """A caller's amount looked up (人形首台套 非关联销售1.2亿 补多少): the calculator's result as a
        card above the articles and the first line of the 答复口径 — the same figure the chat gives;
        ('', '') for a query stating no amount or asking none."""
        if not stated_amounts(question) or not asks_about_money(question):
            return "", ""
        calc = self.assistant.ask(question).calculation
        if calc is None:
            return "", ""
        label = "最高可获" if calc.at_most else "可获金额"
        said = f"{label}:{format_yuan(calc.amount_yuan)}(依据第{calc.article}条计算)" if calc.eligible \
            else f"不符合第{calc.article}条的条件,金额为 0 元"
        steps = "<br>".join(html.escape(str(s)) for s in calc.steps)
        return (f"<div class='pa-card' id='pa-lookup-amount'><div class='pa-head'>{html.escape(said)}</div>"
                f"<div class='pa-text'>{steps}</div></div>"), said

    def _article(self, n: int, doc_id: str | None) -> tuple[Any, Any] | None:
        """(document, article) numbered n: of the chosen document, else of the first document in
        the order every view lists the library (`Corpus.listing`: the seed draft first, as in 文件库)
        that has one — 0 under 全部文件 is the seed's notice, not another page's preamble."""
        docs = [d for d in self.assistant.corpus.listing if not doc_id or d.doc_id == doc_id]
        for doc in docs:
            a = doc.article(n)
            if a is not None:
                return doc, a
        return None

    def article_text(self, number: Any, doc_id: str | None = "") -> str:
        """An article in full (markdown), for the jump box and the library."""
        n = article_number(number)
        if n is None:
            return "请输入条款编号(如 16、十六 或 第十六条;0 为公告与前言)。"
        found = self._article(n, doc_id)
        if found is not None:
            doc, a = found
            depts = f"\n\n<strong>责任单位</strong>:{inert('、'.join(a.departments))}" if a.departments else ""
            return f"### {book_title(inert(doc.title))}{inert(a.display)}\n\n{paragraphs(inert(a.text))}{depts}"
        docs = [d for d in self.assistant.corpus.documents if not doc_id or d.doc_id == doc_id]
        last = max((a.number for d in docs for a in d.articles), default=0)
        return f"没有第{n}条:所选文件共 {last} 条(第1–{last}条;0 为公告与前言)。"

    def article_reply(self, number: Any, doc_id: str | None = "") -> str:
        """答复口径 for an article opened by its number (the whole article quoted); '' for none."""
        n = article_number(number)
        found = self._article(n, doc_id) if n is not None else None
        if found is None:
            return ""
        doc, a = found
        return reply_script(a, doc, a.text, document_notices(self.assistant.corpus, [doc.doc_id]))
