"""What the pages show, as Markdown and HTML: an answer with its sources, a user's own message, a
look-up card's marked words, the hotline's 答复口径 and the 政策体检 result. Everything built from
document text is inert (a quoted article or a title cannot become a tag, an image or a link)."""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.answer.compose import english_departments, english_display
from assistant.lang.amounts import format_yuan
from assistant.lang.language import message
from assistant.lang.text import book_title, inert
from assistant.models import Answer, Article, Document

WARN = "提示:"
"""Prefix of a message that is not an answer (text: an emoji would show as a box without an emoji font)."""
SORRY = "抱歉,系统暂时无法回答,请稍后再试。"

_FOLDS = {"&lt;details>": "<details>", "&lt;/details>": "</details>", "&lt;summary>": "<summary>",
          "&lt;/summary>": "</summary>"}


def inert_markdown(markdown: str) -> str:
    """Markdown built from document text, as the browser may render it: everything inert (see
    `assistant.lang.text.inert`) except the assistant's own folds (<details>/<summary>, which run
    nothing)."""
    text = inert(markdown)
    for escaped, tag in _FOLDS.items():
        text = text.replace(escaped, tag)
    return text


def sources_markdown(answer: Answer) -> str:
    """Citations as source blocks: document, article, the verbatim quote, departments."""
    blocks = []
    for c in answer.citations:
        if answer.lang == "en":
            depts = ("\n\n" + message("source_block_departments", departments=inert(english_departments(c.departments)))
                     if c.departments else "")
            head = message("source_block", doc=book_title(inert(c.doc_title)), article=inert(english_display(c)))
            blocks.append(f"{head}\n\n> {inert(c.quote)}{depts}")
            continue
        depts = f"\n\n责任单位:{inert('、'.join(c.departments))}" if c.departments else ""
        blocks.append(f"**来源:{book_title(inert(c.doc_title))}{inert(c.display)}**\n\n> {inert(c.quote)}{depts}")
    return strong("\n\n---\n\n".join(blocks))


_BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")


def strong(markdown: str) -> str:
    """Markdown whose `**bold**` spans are HTML: CommonMark does not close `**需要确认:**` when a
    Chinese character follows the full-width colon, so the asterisks would show as text."""
    return _BOLD.sub(r"<strong>\1</strong>", markdown)


def paragraphs(text: str) -> str:
    """An article's lines as Markdown paragraphs (a single newline would run them together)."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def reply_markdown(answer: Answer) -> str:
    """The chat message: the answer, then its sources (inside a fold). Document text is made
    inert: a quoted article or a title cannot become a tag, an image or a link."""
    text = strong(inert_markdown(answer.answer))
    if answer.notice:
        text = f"_{inert(answer.notice)}_\n\n{text}"
    if answer.citations:
        fold = message("sources_fold", n=len(answer.citations)) if answer.lang == "en" \
            else f"引用来源({len(answer.citations)})"
        text += ("\n\n<details><summary>" + fold + "</summary>\n\n"
                 + sources_markdown(answer) + "\n\n</details>")
    return text


def user_text(message: str) -> str:
    """A user's own message as shown back: escaped, so typed HTML is text, not a form or image."""
    return html.escape(message)


def highlight(text: str, words: list[str]) -> str:
    """HTML-escaped text with the question's words marked (longest match first, one pass)."""
    words = sorted({w for w in words if len(w) >= 2}, key=len, reverse=True)
    if not words:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out, pos = [], 0
    for m in pattern.finditer(text):
        out += [html.escape(text[pos:m.start()]), f"<mark>{html.escape(m.group(0))}</mark>"]
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def reply_script(article: Article, doc: Document, quote: str, notice: str = "") -> str:
    """答复口径: a ready-to-read reply for hotline staff (status wording from the metadata)."""
    depts = "、".join(article.departments)
    where = f"{article.ref}“{article.title}”" if article.number else "公告"
    text = f"您好,您咨询的问题在{book_title(doc.title)}{where}中有规定:“{quote}”"
    if depts:
        text += f"该条责任单位为{depts}。"
    if notice:
        text += f"请注意:{notice}"
    return text


CLAUSE_MARKS = ",，;；。、"


def clipped(text: str, limit: int) -> str:
    """`text` within `limit` characters: whole when it fits, else cut after its last clause mark
    in the second half of the limit (else at the limit), with an ellipsis that says so."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    mark = max(cut.rfind(m) for m in CLAUSE_MARKS)
    return (cut[:mark] if mark >= limit // 2 else cut).rstrip() + "…"


def match_html(result: Any, notice: str = "") -> str:
    """政策体检's result: a table on a wide screen, one card per measure on a phone, totals, and
    each measure's steps and quote folded under it."""
    from assistant.match.matching import STATUS_NAMES

    def money(i: Any) -> str:
        if i.amount_yuan:
            return ("最高" if i.at_most else "") + format_yuan(i.amount_yuan)
        return "—" if i.amount_yuan is None else "0元"

    rows, cards = [], []
    for i in result.items:
        status = STATUS_NAMES[i.status] + (f"({i.doc_status})" if i.doc_status and i.doc_status != "正式" else "")
        where = f"{book_title(i.doc_title)}{i.article_label}"
        depts = "、".join(i.departments) or "—"
        cells = (status, where, clipped(i.measure, 30), money(i), depts)
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        steps = "".join(f"<li>{html.escape(s)}</li>" for s in i.steps)
        quote = f"<blockquote>{html.escape(i.quote)}</blockquote>" if i.quote else ""
        cards.append(f"<div class='pa-card pa-item pa-{i.status}'><div class='pa-head'>"
                     f"<span class='pa-badge'>{html.escape(status)}</span> {html.escape(clipped(i.measure, 40))}"
                     f"<span class='pa-amount'>{html.escape(money(i))}</span></div>"
                     f"<div class='pa-dept'>{html.escape(where)} {html.escape(i.title)} · 责任单位:"
                     f"{html.escape(depts)}</div><details><summary>计算与原文</summary><ul>{steps}</ul>"
                     f"{quote}</details></div>")
    certain, rest = result.totals
    missing = list(dict.fromkeys(label for i in result.items for label in i.missing_labels))
    head = "".join(f"<th>{h}</th>" for h in ("状态", "文件与条款", "措施", "金额", "责任单位"))
    return (f"<div id='pa-match-view'><p class='pa-total'><strong>{html.escape(certain)}</strong>;"
            f"{html.escape(rest)}。</p>"
            + (f"<p>还需确认:{html.escape(';'.join(missing))}。</p>" if missing else "")
            + f"<table class='pa-wide pa-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<div class='pa-cards'>{''.join(cards)}</div>"
            + (f"<p class='pa-warn'>{html.escape(notice)}</p>" if notice else "") + "</div>")
