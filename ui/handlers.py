"""Plain functions behind every widget of the web app. They never raise: bad input and library
errors become friendly replies, so a user never sees a traceback."""

from __future__ import annotations

import html
import logging
import threading
import uuid
from collections import OrderedDict
from typing import Any, Iterator

from assistant.amounts import parse_amount
from assistant.chain import Assistant, Conversation, validate_question
from assistant.compose import calculation_markdown
from assistant.errors import PolicyAssistantError
from assistant.feedback import FeedbackStore
from assistant.models import Answer, Article, Document

log = logging.getLogger("policy-assistant.ui")
MAX_SESSIONS = 2000
CHOICES = ("不确定", "是", "否")
EXAMPLES = [
    "我们首次采购杭州企业的芯片300万元, 能拿多少奖励?",
    "人形机器人首台套销售额3000万元补助多少?",
    "那如果销售额是8亿呢?",
    "人形机器人产业化项目实际投资1000万元,最多资助多少?",
    "手术机器人有政策支持吗?",
    "第十六条的内容是什么?",
]


def _choice(value: str | None) -> bool | None:
    return {"是": True, "否": False}.get(value or "")


def sources_markdown(answer: Answer) -> str:
    """Citations as source blocks: document, 第N条 title, the verbatim quote, departments."""
    blocks = []
    for c in answer.citations:
        head = c.display
        depts = f"\n\n责任单位:{'、'.join(c.departments)}" if c.departments else ""
        blocks.append(f"**来源:《{c.doc_title}》{head}**\n\n> {c.quote}{depts}")
    return "\n\n---\n\n".join(blocks)


def reply_markdown(answer: Answer) -> str:
    """The chat message: the answer, then its sources (inside a fold)."""
    text = answer.answer
    if answer.notice:
        text = f"_{answer.notice}_\n\n{text}"
    if answer.citations:
        text += "\n\n<details><summary>引用来源(" + str(len(answer.citations)) + ")</summary>\n\n" \
                + sources_markdown(answer) + "\n\n</details>"
    return text


def highlight(text: str, words: list[str]) -> str:
    """HTML-escaped text with the question's words marked (longest match first, one pass)."""
    import re

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
    text = f"您好,您咨询的问题在《{doc.title}》{where}中有规定:“{quote}”"
    if depts:
        text += f"该条责任单位为{depts}。"
    if notice:
        text += f"请注意:{notice}"
    return text


class Handlers:
    """Everything the UI does, as plain methods."""

    def __init__(self, assistant: Assistant, store: FeedbackStore) -> None:
        self.assistant = assistant
        self.store = store
        self._sessions: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    # -- conversations -----------------------------------------------------------------------
    def conversation(self, session_id: str) -> Conversation:
        with self._lock:
            conv = self._sessions.pop(session_id, None) or Conversation()
            self._sessions[session_id] = conv
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return conv

    @staticmethod
    def new_session() -> str:
        return uuid.uuid4().hex

    def ask(self, question: str, session_id: str = "", channel: str = "api") -> dict[str, Any]:
        """One question in a session: the answer's JSON (CONTRACT.md) plus `answer_id`, or an
        `error` sentence."""
        session_id = (session_id or "").strip() or self.new_session()
        try:
            validate_question(question)
            answer = self.assistant.ask(question, self.conversation(session_id))
        except PolicyAssistantError as exc:
            return {"question": question, "error": str(exc), "session_id": session_id}
        except Exception:  # noqa: BLE001 - a failing request must not take the app down
            log.exception("answering failed")
            return {"question": question, "session_id": session_id,
                    "error": "抱歉,系统暂时无法回答,请稍后再试。"}
        data = answer.to_dict()
        data["answer_id"] = self._record(answer, session_id, channel)
        data["session_id"] = session_id
        data["markdown"] = reply_markdown(answer)
        return data

    def _record(self, answer: Answer, session_id: str, channel: str) -> int | None:
        """Log an answer; a logging failure never costs the user the answer."""
        try:
            return self.store.log_answer(answer, session_id, channel)
        except PolicyAssistantError:
            log.exception("could not log the answer")
            return None

    # -- chat tab ----------------------------------------------------------------------------
    def chat(self, message: str, history: list[dict[str, Any]] | None, session_id: str,
             answer_ids: list[int | None] | None) -> tuple[list[dict[str, Any]], str, list[int | None]]:
        """(history, cleared input box, answer id per assistant message)."""
        history = list(history or [])
        answer_ids = list(answer_ids or [])
        if not (message or "").strip():
            return history, "", answer_ids
        result = self.ask(message, session_id, channel="chat")
        content = result.get("markdown") or f"⚠️ {result['error']}"
        history += [{"role": "user", "content": message},
                    {"role": "assistant", "content": content}]
        answer_ids.append(result.get("answer_id"))
        return history, "", answer_ids

    def chat_stream(self, message: str, history: list[dict[str, Any]] | None, session_id: str,
                    answer_ids: list[int | None] | None) -> Iterator[tuple[list[dict[str, Any]], str,
                                                                          list[int | None]]]:
        """Like `chat`, but shows a language model's text as it arrives; the checked answer with
        its sources replaces it at the end."""
        history = list(history or [])
        answer_ids = list(answer_ids or [])
        if not (message or "").strip():
            yield list(history), "", list(answer_ids)
            return
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": "…"}]
        yield list(history), "", list(answer_ids)
        answer: Answer | None = None
        try:
            validate_question(message)
            text = ""
            for item in self.assistant.ask_stream(message, self.conversation(session_id)):
                if isinstance(item, Answer):
                    answer = item
                else:
                    text += item
                    history[-1] = {"role": "assistant", "content": text + " ▌"}
                    yield list(history), "", list(answer_ids)
        except PolicyAssistantError as exc:
            history[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
        except Exception:  # noqa: BLE001
            log.exception("answering failed")
            history[-1] = {"role": "assistant", "content": "⚠️ 抱歉,系统暂时无法回答,请稍后再试。"}
        if answer is None:
            answer_ids.append(None)
        else:
            answer_ids.append(self._record(answer, session_id, "chat"))
            history[-1] = {"role": "assistant", "content": reply_markdown(answer)}
        yield list(history), "", list(answer_ids)

    def rate(self, answer_id: int | None, liked: bool, comment: str = "") -> str:
        """Store 👍/👎 (and a comment) for an answer; returns a status line."""
        if not answer_id:
            return "请先提问,再对回答进行评价。"
        try:
            self.store.add_feedback(int(answer_id), 1 if liked else -1, comment)
        except PolicyAssistantError as exc:
            return f"反馈未保存:{exc}"
        return "已收到您的反馈,谢谢!" + (" 👍" if liked else " 👎")

    def rate_message(self, index: int | list[int] | None, liked: bool,
                     answer_ids: list[int | None] | None, comment: str = "") -> str:
        """Feedback from the chat's like/dislike buttons (index of the message in the history)."""
        idx = index[0] if isinstance(index, (list, tuple)) else index
        if idx is None or not answer_ids:
            return self.rate(None, liked, comment)
        turn = int(idx) // 2
        return self.rate(answer_ids[turn] if 0 <= turn < len(answer_ids) else None, liked, comment)

    def rate_last(self, answer_ids: list[int | None] | None, liked: bool, comment: str) -> str:
        return self.rate(answer_ids[-1] if answer_ids else None, liked, comment)

    # -- look-up tab -------------------------------------------------------------------------
    def lookup(self, query: str, k: int = 5) -> tuple[str, str]:
        """(ranked articles as HTML with the query's words marked, 答复口径 for the best one)."""
        try:
            question = validate_question(query)
            res = self.assistant.retriever.retrieve(question, k)
        except PolicyAssistantError as exc:
            return f"<p class='pa-warn'>{html.escape(str(exc))}</p>", ""
        from assistant.compose import best_quote, document_notices, not_covered_text

        corpus = self.assistant.corpus
        if not res.hits:
            text = not_covered_text(corpus)
            return f"<p class='pa-warn'>{html.escape(text)}</p>", text
        tok = self.assistant.index.tokenizer
        words = tok.cut(question)
        cards = []
        for rank, h in enumerate(res.hits, 1):
            a = h.article
            depts = "、".join(a.departments) or "—"
            cards.append(
                f"<div class='pa-card'><div class='pa-head'>{rank}. {html.escape(a.display)} "
                f"<span class='pa-score'>相关度 {h.score:.2f}</span></div>"
                f"<div class='pa-dept'>责任单位:{html.escape(depts)}</div>"
                f"<div class='pa-text'>{highlight(a.text, words)}</div></div>")
        top = res.hits[0].article
        quote = best_quote(top, question, tok)
        doc = corpus.document(top.doc_id)
        assert doc is not None
        return "".join(cards), reply_script(top, doc, quote, document_notices(corpus, [doc.doc_id]))

    def article_text(self, number: float | int | str | None) -> str:
        """第N条 in full (markdown), for the jump box and the policy browser."""
        try:
            n = int(float(str(number).strip().lstrip("第").rstrip("条")))
        except (TypeError, ValueError):
            return "请输入条款编号(0–18 之间的整数,0 为公告与前言)。"
        for doc in self.assistant.corpus.documents:
            a = doc.article(n)
            if a is not None:
                depts = f"\n\n**责任单位:**{'、'.join(a.departments)}" if a.departments else ""
                return f"### 《{doc.title}》{a.display}\n\n{a.text}{depts}"
        last = max(a.number for d in self.assistant.corpus.documents for a in d.articles)
        return f"没有第{n}条:本文件共 0–{last} 条。"

    # -- calculators tab ---------------------------------------------------------------------
    def calculate(self, rule_id: str, amount: str | None = None, excluded: str | None = None,
                  *choices: str | None) -> str:
        """One handler for every calculator form: the rule's amount, excluded part and
        conditions (是/否/不确定, in the rule's order), computed by `Assistant.calculate`."""
        try:
            rule = self.assistant.rules.get(rule_id)
            yuan = parse_amount(amount or "", rule.amount_label) if rule.needs_amount else None
            excl = parse_amount(excluded, rule.excluded_label) \
                if rule.excluded is not None and (excluded or "").strip() else 0
            conditions = {c.name: _choice(v) for c, v in zip(rule.conditions, choices)}
            calc = self.assistant.calculate(rule.id, yuan, excl, conditions)
        except PolicyAssistantError as exc:
            return f"⚠️ {exc}"
        art = self.assistant.corpus.article(calc.doc_id, calc.article)
        text = calculation_markdown(calc)
        if art is not None:
            text += f"\n\n**依据:{art.display}**\n\n> {art.text}"
        return text

    # -- policy text tab ---------------------------------------------------------------------
    def document_header(self) -> str:
        """One line per document: title, 文号, status and dates, from its metadata."""
        from assistant.compose import status_notice

        parts = []
        corpus = self.assistant.corpus
        for d in corpus.documents:
            m = d.meta
            c = m.consultation
            when = f",征求意见时间 {c.start} 至 {c.end}" if c and c.start and c.end else ""
            number = f"({m.doc_number})" if m.doc_number else ""
            status = d.status or "状态未注明"
            newer = corpus.document(corpus.superseded_by.get(d.doc_id, ""))
            notice = status_notice(d, newer)
            parts.append(f"**《{d.title}》**{number}  \n状态:**{status}**{when};发布:{m.issuer or '—'}。"
                         + (f" {notice}" if notice else ""))
        return "\n\n".join(parts)

    def document_markdown(self) -> str:
        out = [self.document_header()]
        for d in self.assistant.corpus.documents:
            for a in d.articles:
                head = a.display if a.number else f"公告与前言:{a.title}"
                depts = f"  \n*责任单位:{'、'.join(a.departments)}*" if a.departments else ""
                out.append(f"#### {head}\n\n{a.text}{depts}")
        return "\n\n".join(out)

    def unanswered(self, limit: int = 100) -> list[list[str]]:
        try:
            return [[r["created_at"], r["question"]] for r in self.store.rows(True, limit)]
        except PolicyAssistantError as exc:
            return [["—", str(exc)]]
