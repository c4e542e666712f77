"""The 文件库 tab, the banner and `/api/documents`: the library's documents as a table (cards on a
phone), each with its status and what replaced it, and a document's text in full."""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.answer.chain import Assistant
from assistant.answer.compose import status_notice
from assistant.lang.text import book_title, inert

from .render import paragraphs, strong

LIBRARY_HEAD = ("文件", "发布机关", "文号", "状态", "日期", "条数")
"""The columns of the 文件库 table."""


def units(doc: Any) -> str:
    """How many numbered articles a document has, as the 条数 column says it: 不分条 for a text
    without numbered units (a news page, a summary), and 文本在句中截断 when its text stops in the middle
    of a sentence (a page stored only in part): staff then know the rest is not in the library."""
    from assistant.lang.reading import cut_mid_sentence

    n = sum(1 for a in doc.articles if a.number)
    shown = str(n) if n else "不分条"
    return shown + ("(文本在句中截断)" if doc.articles and cut_mid_sentence(doc.articles[-1].text) else "")


class LibraryHandlers:
    """What the library holds, as the pages and the API show it."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def documents_json(self) -> list[dict[str, Any]]:
        corpus = self.assistant.corpus
        return [corpus.describe(d) for d in corpus.documents]

    def _shown_documents(self) -> list[Any]:
        """The library's documents in the order every view lists them (`Corpus.listing`)."""
        return list(self.assistant.corpus.listing)

    def library_rows(self) -> list[list[str]]:
        """The 文件库 table: title, issuer, 文号, status (and what replaced it), dates, articles."""
        corpus = self.assistant.corpus
        rows = []
        for d in self._shown_documents():
            m = d.meta
            newer = corpus.document(corpus.superseded_by.get(d.doc_id, ""))
            status = (d.status or "状态未注明") + (f"(已被{book_title(newer.title)}取代)" if newer else "")
            rows.append([d.title, m.issuer or "—", m.doc_number or "—", status, ";".join(m.dates()) or "—",
                         units(d)])
        return rows

    def library_html(self) -> str:
        """文件库 as a table on a wide screen and as one card per document on a phone."""
        rows = self.library_rows()
        head = "".join(f"<th>{h}</th>" for h in LIBRARY_HEAD)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        def card(r: list[str]) -> str:
            # (a missing issuer, 文号 or date is left out, not shown as a bare "—")
            line = " · ".join(html.escape(x) for x in (r[1], r[2]) if x and x != "—")
            count = html.escape(re.sub(r"^(\d+)", r"\1 条", r[5]))  # (1 条(文本在句中截断), not 1(…) 条)
            dates = " · ".join(x for x in (html.escape(r[4]) if r[4] != "—" else "", count) if x)
            return (f"<div class='pa-card'><div class='pa-head'>{html.escape(book_title(r[0]))}</div>"
                    f"<div>{line + ' · ' if line else ''}<b>{html.escape(r[3])}</b></div>"
                    f"<div class='pa-dept'>{dates}</div></div>")

        cards = "".join(card(r) for r in rows)
        return (f"<div id='pa-library-table'><p>文件库共 {len(rows)} 份文件。</p>"
                f"<table class='pa-wide pa-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<div class='pa-narrow'>{cards}</div></div>")

    def document_header(self) -> str:
        """The banner: one line (the documents and their status), the details folded under it."""
        corpus = self.assistant.corpus
        docs = self._shown_documents()
        if not docs:
            return "<div class='pa-banner'>文件库为空。</div>"
        parts, short = [], []
        for d in docs:
            m = d.meta
            c = m.consultation
            when = f",征求意见时间 {c.start} 至 {c.end}" if c and c.start and c.end else ""
            number = f"({m.doc_number})" if m.doc_number else ""
            newer = corpus.document(corpus.superseded_by.get(d.doc_id, ""))
            notice = status_notice(d, newer)
            parts.append(f"<p><b>{book_title(html.escape(d.title))}</b>{html.escape(number)}<br>"
                         f"状态:<b>{html.escape(d.status or '状态未注明')}</b>{html.escape(when)};"
                         f"发布:{html.escape(m.issuer or '—')}。{html.escape(notice)}</p>")
            said = d.status if d.status and d.status not in d.short_title else ""  # (征求意见稿) in the name
            short.append(f"{book_title(d.short_title)}{said}")
        line = f"依据文件({len(docs)}):" + ";".join(short)
        return (f"<details class='pa-banner' id='pa-banner'><summary>{html.escape(line)}</summary>"
                f"{''.join(parts)}</details>")

    def document_markdown(self, doc_id: str | None = None) -> str:
        """A document in full (every document when none is chosen)."""
        corpus = self.assistant.corpus
        docs = [d for d in corpus.documents if not doc_id or d.doc_id == doc_id]
        if not docs:
            return "请选择一个文件。"
        out = []
        for d in docs:
            newer = corpus.document(corpus.superseded_by.get(d.doc_id, ""))
            notice = status_notice(d, newer)
            out.append(inert(f"## {book_title(d.title)}\n\n{d.meta.doc_number or ''} 状态:**{d.status or '状态未注明'}**"
                             + (f"\n\n_{notice}_" if notice else "")))
            for a in d.articles:
                head = a.display if a.number else f"公告与前言:{a.title}"
                depts = f"  \n*责任单位:{'、'.join(a.departments)}*" if a.departments else ""
                out.append(f"#### {inert(head)}\n\n{paragraphs(inert(a.text))}{inert(depts)}")
        return strong("\n\n".join(out))
