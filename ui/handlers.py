"""Plain functions behind every widget and endpoint of the web app (a thin layer over one
`Assistant`). They never raise: bad input and library errors become friendly replies, and a user
never sees a traceback or an internal message."""

from __future__ import annotations

import html
import logging
import re
import tempfile
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from assistant.lang.amounts import format_yuan, parse_amount
from assistant.answer.chain import Assistant, Conversation, validate_question
from assistant.answer.compose import best_quote, calculation_markdown, document_notices, not_covered_text, status_notice
from assistant.answer.compose import english_departments, english_display
from assistant.errors import PolicyAssistantError
from assistant.lang.language import message
from assistant.ops.feedback import FeedbackStore
from assistant.match.matching import MatchError, summary_markdown
from assistant.models import Answer, Article, Document
from assistant.lang.text import inert

log = logging.getLogger("policy-assistant.ui")
MAX_SESSIONS = 1000
"""Conversations kept in memory (the least recently used one is dropped beyond this)."""
SESSION_IDLE_SECONDS = 1800
"""A conversation unused this long is forgotten."""
YES, NO, UNSURE = "是", "否", "不确定"
"""The labels of a yes/no field of the forms (what the form shows is what it reads back)."""
CHOICES = (UNSURE, YES, NO)
ALL_DOCUMENTS = "全部文件"
WARN = "提示:"
"""Prefix of a message that is not an answer (text: an emoji would show as a box without an emoji font)."""
SORRY = "抱歉,系统暂时无法回答,请稍后再试。"
EXAMPLES = [
    "我们首次采购杭州企业的芯片300万元, 能拿多少奖励?",
    "人形机器人首台套销售额3000万元补助多少?",
    "机器人企业出海有哪些支持?",
    "人形机器人产业化项目实际投资1000万元,最多资助多少?",
    "手术机器人有政策支持吗?",
    "第十六条的内容是什么?",
    "我们是杭州的人形机器人整机企业,能享受哪些政策?",
]
_SESSION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
REPORT_SECONDS = 900
"""A 政策体检 report file is deleted this long after it was written (the page has offered it)."""
MAX_REPORTS = 200
"""Report files kept at most (the oldest go first)."""
STAGES = {"parse": "解析条文", "embed": "计算向量", "lexical": "词法索引", "bridge": "英文词桥",
          "store": "写入索引"}


def _choice(value: str | None) -> bool | None:
    return {YES: True, NO: False}.get(value or "")


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
            head = message("source_block", doc=f"《{inert(c.doc_title)}》", article=inert(english_display(c)))
            blocks.append(f"{head}\n\n> {inert(c.quote)}{depts}")
            continue
        depts = f"\n\n责任单位:{inert('、'.join(c.departments))}" if c.departments else ""
        blocks.append(f"**来源:《{inert(c.doc_title)}》{inert(c.display)}**\n\n> {inert(c.quote)}{depts}")
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
    text = f"您好,您咨询的问题在《{doc.title}》{where}中有规定:“{quote}”"
    if depts:
        text += f"该条责任单位为{depts}。"
    if notice:
        text += f"请注意:{notice}"
    return text


SETTLE_SECONDS = 1.0
"""A changed library is loaded when its files have not changed for this long (an `add` writes
several files)."""


def library_state(corpus_dir: Path) -> tuple[str, float]:
    """(a hash of the library files' names, sizes and modification times, the newest of those
    times): one directory scan."""
    import hashlib

    h = hashlib.sha256()
    try:
        entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                         for e in Path(corpus_dir).iterdir() if e.is_file() and not e.name.startswith("."))
    except OSError:
        entries = []
    for e in entries:
        h.update(repr(e).encode())
    return h.hexdigest(), max((e[2] / 1e9 for e in entries), default=0.0)


def library_signature(corpus_dir: Path) -> str:
    return library_state(corpus_dir)[0]


def settled_by_split(rule: Any) -> dict[str, bool]:
    """Conditions a calculator form settles by asking for the total and its excluded part
    separately (首台套: all sales, 其中 to affiliates — the rest is to non-affiliates)."""
    ex = getattr(rule, "excluded", None)
    return dict(ex.settles) if ex is not None and ex.reduces == "amount" else {}


def form_amount_label(rule: Any) -> str:
    """The amount box of a calculator form: the total when the excluded part reduces it."""
    ex = rule.excluded
    if ex is not None and ex.reduces == "amount":
        return rule.amount.total_label or f"合计金额(含{ex.label})"
    return rule.amount_label


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


RELEVANT_SHARE = 0.6
"""A look-up result scores at least this share of the best one."""


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


NOTHING_FOUND = ("根据填写的信息,暂未找到适用的条款。请补充企业所在地、主营产品,以及销售额、采购额、"
                 "投资额等信息。")


def match_html(result: Any, notice: str = "") -> str:
    """政策体检's result: a table on a wide screen, one card per measure on a phone, totals, and
    each measure's steps and quote folded under it."""
    from assistant.match.matching import STATUS_NAMES

    def money(i: Any) -> str:
        return format_yuan(i.amount_yuan) if i.amount_yuan else ("—" if i.amount_yuan is None else "0元")

    rows, cards = [], []
    for i in result.items:
        status = STATUS_NAMES[i.status] + (f"({i.doc_status})" if i.doc_status and i.doc_status != "正式" else "")
        where = f"《{i.doc_title}》{i.article_label}"
        depts = "、".join(i.departments) or "—"
        cells = (status, where, i.measure[:30], money(i), depts)
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        steps = "".join(f"<li>{html.escape(s)}</li>" for s in i.steps)
        quote = f"<blockquote>{html.escape(i.quote)}</blockquote>" if i.quote else ""
        cards.append(f"<div class='pa-card pa-item pa-{i.status}'><div class='pa-head'>"
                     f"<span class='pa-badge'>{html.escape(status)}</span> {html.escape(i.measure[:40])}"
                     f"<span class='pa-amount'>{html.escape(money(i))}</span></div>"
                     f"<div class='pa-dept'>{html.escape(where)} {html.escape(i.title)} · 责任单位:"
                     f"{html.escape(depts)}</div><details><summary>计算与原文</summary><ul>{steps}</ul>"
                     f"{quote}</details></div>")
    certain = result.total_certain_yuan
    more = result.total_possible_yuan - certain
    missing = list(dict.fromkeys(label for i in result.items for label in i.missing_labels))
    head = "".join(f"<th>{h}</th>" for h in ("状态", "文件与条款", "措施", "金额", "责任单位"))
    return (f"<div id='pa-match-view'><p class='pa-total'><strong>确定可获:{format_yuan(certain) if certain else '0元'}"
            f"</strong>;补充材料后可能再获:{format_yuan(more) if more > 0 else '0元'}。</p>"
            + (f"<p>还需确认:{html.escape(';'.join(missing))}。</p>" if missing else "")
            + f"<table class='pa-wide pa-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<div class='pa-cards'>{''.join(cards)}</div>"
            + (f"<p class='pa-warn'>{html.escape(notice)}</p>" if notice else "") + "</div>")


MEASURE_KEYS = ("pending", "counts", "places")
"""Profile keys about a measure as a whole (rows of their own in the 政策体检 table)."""


class Handlers:
    """Everything the UI and the JSON API do, as plain methods."""

    def __init__(self, assistant: Assistant, store: FeedbackStore) -> None:
        self.assistant = assistant
        self.store = store
        self._sessions: OrderedDict[str, tuple[Conversation, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._reports = Path(tempfile.mkdtemp(prefix="pa-reports-"))
        self.upload_root: Path | None = None
        """When set (the web server sets it to Gradio's upload folder), only files under it are
        added: an API call naming another server path is refused."""
        self._indexing = threading.Lock()
        self._pending = threading.Event()
        self._worker: threading.Thread | None = None
        self._status = ""
        self._watch_lock = threading.Lock()
        self._loaded = library_signature(assistant.settings.corpus_dir)
        """The library on disk as the assistant last loaded it."""
        self._checked = 0.0
        self.staff_user: Any = lambda request: None
        """request → the logged-in staff user or None (set by the server, which owns the login)."""

        from .shared import SharedState

        self.shared = SharedState.of(store, assistant, reload=self._reload_library)
        """Conversations and the library in the database when several instances share it."""

    # -- the library as it is on disk ---------------------------------------------------------
    def library_version(self) -> str:
        """A short fingerprint of the loaded library. A change on disk (an upload, or `add` by
        another process on the same corpus) is loaded once its files are `SETTLE_SECONDS` old,
        checked at most once a second, so every view can follow without a restart."""
        now = time.monotonic()
        if now - self._checked >= 1.0 and self._watch_lock.acquire(blocking=False):
            try:
                self._checked = now
                current, newest = library_state(self.assistant.settings.corpus_dir)
                if current != self._loaded and time.time() - newest >= SETTLE_SECONDS:
                    try:
                        self.assistant.reload()
                        self._loaded = current
                    except Exception:  # noqa: BLE001 - a half-written document: try again later
                        log.exception("reloading the library failed")
            finally:
                self._watch_lock.release()
        return self._loaded[:12]

    def _reload_library(self) -> None:
        """Load the library as it is on disk now (after an upload, or another instance's change)."""
        with self._watch_lock:
            self.assistant.reload()
            self._loaded = library_signature(self.assistant.settings.corpus_dir)

    # -- conversations -----------------------------------------------------------------------
    def conversation(self, session_id: str) -> Conversation:
        """The session's conversation (bounded in number and idle time)."""
        if self.shared is not None:
            return self.shared.conversation(session_id)
        now = time.monotonic()
        with self._lock:
            conv, _ = self._sessions.pop(session_id, (None, 0.0))
            conv = conv or Conversation()
            self._sessions[session_id] = (conv, now)
            while self._sessions:
                oldest, (_, used) = next(iter(self._sessions.items()))
                if len(self._sessions) <= MAX_SESSIONS and now - used < SESSION_IDLE_SECONDS:
                    break
                self._sessions.pop(oldest)
            return conv

    @staticmethod
    def new_session() -> str:
        return uuid.uuid4().hex

    def ask(self, question: Any, session_id: Any = "", channel: str = "api") -> dict[str, Any]:
        """One question (in a session when an id is given): the CONTRACT.md answer plus
        `answer_id` and `answer_token` (needed to rate it), or an `error` sentence."""
        session = str(session_id or "").strip()
        if session and not _SESSION.match(session):
            return {"question": question if isinstance(question, str) else "",
                    "error": "session_id 只能包含字母、数字、- 和 _(最长 64 个字符)。"}
        try:
            validate_question(question)
            answer = self.assistant.ask(question, self.conversation(session) if session else None)
        except PolicyAssistantError as exc:
            return {"question": question if isinstance(question, str) else "", "error": str(exc),
                    "session_id": session}
        except Exception:  # noqa: BLE001 - a failing request must not take the app down
            log.exception("answering failed")
            return {"question": question, "session_id": session, "error": SORRY}
        data = answer.to_dict()
        answer_id, token = self._record(answer, session, channel)
        data.update(answer_id=answer_id, answer_token=token, session_id=session,
                    markdown=reply_markdown(answer))
        return data

    def _record(self, answer: Answer, session_id: str, channel: str) -> tuple[int | None, str]:
        """Log an answer; a logging failure never costs the user the answer."""
        try:
            return self.store.log_answer(answer, session_id, channel)
        except PolicyAssistantError:
            log.exception("could not log the answer")
            return None, ""

    # -- chat tab ----------------------------------------------------------------------------
    def chat_stream(self, message: str, history: list[dict[str, Any]] | None, session_id: str,
                    refs: list[list[Any]] | None) -> Iterator[tuple[list[dict[str, Any]], str, list[list[Any]], Any]]:
        """(history, cleared input box, [answer_id, token] per answer, 是/否 buttons visible).
        A language model's text shows as it arrives; the checked answer replaces it."""
        history = list(history or [])
        refs = [list(r) for r in (refs or [])]
        if not (message or "").strip():
            yield history, "", refs, False
            return
        history += [{"role": "user", "content": user_text(message)}, {"role": "assistant", "content": "…"}]
        yield list(history), "", refs, False
        answer: Answer | None = None
        try:
            validate_question(message)
            text = ""
            for item in self.assistant.ask_stream(message, self.conversation(session_id)):
                if isinstance(item, Answer):
                    answer = item
                else:
                    text += item
                    history[-1] = {"role": "assistant", "content": inert(text) + " ▌"}
                    yield list(history), "", refs, False
        except PolicyAssistantError as exc:
            history[-1] = {"role": "assistant", "content": f"{WARN}{html.escape(str(exc))}"}
        except Exception:  # noqa: BLE001
            log.exception("answering failed")
            history[-1] = {"role": "assistant", "content": f"{WARN}{SORRY}"}
        if answer is None:
            refs.append([None, "", len(history) - 1])
            yield list(history), "", refs, False
            return
        answer_id, token = self._record(answer, session_id, "chat")
        refs.append([answer_id, token, len(history) - 1])
        history[-1] = {"role": "assistant", "content": reply_markdown(answer)}
        yield list(history), "", refs, answer.clarification is not None

    def chat(self, message: str, history: list[dict[str, Any]] | None, session_id: str,
             refs: list[list[Any]] | None) -> tuple[list[dict[str, Any]], str, list[list[Any]], Any]:
        """The last step of `chat_stream` (for callers that do not stream)."""
        last: Any = (list(history or []), "", list(refs or []), False)
        for step in self.chat_stream(message, history, session_id, refs):
            last = step
        return last

    # -- feedback ----------------------------------------------------------------------------
    def rate_answer(self, answer_id: Any, token: Any, liked: Any, comment: Any = "") -> tuple[bool, str]:
        """👍/👎 by whoever got the answer: (stored, message). Rejects a wrong id or token, a
        non-boolean `liked`, a non-text or too long comment."""
        if isinstance(answer_id, bool) or not isinstance(answer_id, int):
            return False, "answer_id 必须是回答时返回的整数编号。"
        if not isinstance(liked, bool):
            return False, "liked 必须是 true(👍)或 false(👎)。"
        if not isinstance(comment, str):
            return False, "comment 必须是文字。"
        if not isinstance(token, str) or not token:
            return False, "需要回答时返回的 answer_token。"
        try:
            self.store.add_feedback(answer_id, token, 1 if liked else -1, comment)
        except PolicyAssistantError as exc:
            return False, f"反馈未保存:{exc}"
        return True, "已收到您的反馈,谢谢!" + ("(赞)" if liked else "(踩)")

    def rate(self, answer_id: Any, token: Any, liked: Any, comment: Any = "") -> str:
        """The `/rate` endpoint: a status line."""
        return self.rate_answer(answer_id, token, liked, comment)[1]

    def rate_message(self, index: int | list[int] | tuple[int, ...] | None, liked: bool,
                     refs: list[list[Any]] | None, comment: str = "") -> str:
        """Feedback from the chat's 赞/踩 under a message: the answer shown at that position of the
        history (each ref is [answer_id, token, message index])."""
        idx = index[0] if isinstance(index, (list, tuple)) else index
        try:
            idx = int(idx)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return "请先提问,再对回答进行评价。"
        for ref in refs or []:
            if len(ref) >= 3 and ref[2] == idx:
                if ref[0] is None:
                    break
                return self.rate(ref[0], ref[1], liked, comment)
        return "这条消息没有可评价的回答。"

    def rate_last(self, refs: list[list[Any]] | None, liked: bool, comment: str) -> str:
        if not refs or refs[-1][0] is None:
            return "请先提问,再对回答进行评价。"
        return self.rate(refs[-1][0], refs[-1][1], liked, comment)

    # -- look-up tab -------------------------------------------------------------------------
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
                f"<span class='pa-score'>《{html.escape(corpus.title_of(a.doc_id))}》 相关度 {h.score:.2f}</span></div>"
                f"<div class='pa-dept'>责任单位:{html.escape(depts)}</div>"
                f"<div class='pa-text'>{'<br>'.join(highlight(line, words) for line in a.text.splitlines())}"
                "</div></div>")
        top = hits[0].article
        doc = corpus.document(top.doc_id)
        assert doc is not None
        quote = best_quote(top, question, tok)
        return "".join(cards), reply_script(top, doc, quote, document_notices(corpus, [doc.doc_id]))

    def article_text(self, number: Any, doc_id: str | None = "") -> str:
        """An article in full (markdown), for the jump box and the library."""
        n = article_number(number)
        if n is None:
            return "请输入条款编号(如 16、十六 或 第十六条;0 为公告与前言)。"
        docs = [d for d in self.assistant.corpus.documents if not doc_id or d.doc_id == doc_id]
        for doc in sorted(docs, key=lambda d: not d.in_force):
            a = doc.article(n)
            if a is not None:
                depts = f"\n\n<strong>责任单位</strong>:{inert('、'.join(a.departments))}" if a.departments else ""
                return f"### 《{inert(doc.title)}》{inert(a.display)}\n\n{paragraphs(inert(a.text))}{depts}"
        last = max((a.number for d in docs for a in d.articles), default=0)
        return f"没有第{n}条:所选文件共 0–{last} 条。"

    # -- calculators tab ---------------------------------------------------------------------
    def calculate(self, rule_id: str, amount: str | None = None, excluded: str | None = None,
                  *choices: str | None) -> str:
        """One handler for every calculator form: the rule's amount, excluded part and
        conditions (是/否/不确定, in the rule's order), computed by `Assistant.calculate`."""
        try:
            rule = self.assistant.rules.get(rule_id)
            yuan = parse_amount(amount or "", rule.amount_label) if rule.needs_amount else None
            excl = 0
            if rule.excluded is not None and (excluded or "").strip():
                excl = parse_amount(excluded or "", rule.excluded_label, allow_zero=True)
            conditions = {c.name: _choice(v) for c, v in zip(rule.conditions, choices)}
            for name, value in settled_by_split(rule).items():
                if conditions.get(name) is None:  # the form's split says it (the rest is to others)
                    conditions[name] = value
            calc = self.assistant.calculate(rule.id, yuan, excl, conditions)
            calc = replace(calc, notes=[n.replace("问题未说明", "表单未选择", 1) for n in calc.notes])
        except PolicyAssistantError as exc:
            return f"{WARN}{html.escape(str(exc))}"
        except Exception:  # noqa: BLE001
            log.exception("calculation failed")
            return f"{WARN}{SORRY}"
        art = self.assistant.corpus.article(calc.doc_id, calc.article)
        text = calculation_markdown(calc)
        if art is not None:
            text += (f"\n\n**依据:《{inert(self.assistant.corpus.title_of(calc.doc_id))}》{inert(art.display)}**"
                     f"\n\n> {inert(art.text)}")
        return strong(text)

    # -- 政策体检 ------------------------------------------------------------------------------
    def profile_fields(self) -> list[Any]:
        return list(self.assistant.matcher.schema.fields.values())

    def _form_profile(self, location: str, text: str, values: tuple[str, ...]) -> dict[str, Any]:
        """A profile from the 体检 form: a description in words fills what the form leaves open."""
        return self._form_read(location, text, values)[0]

    def _form_read(self, location: str, text: str, values: tuple[str, ...]) -> tuple[dict[str, Any], list[Any]]:
        """(the form's profile, what the description was read into with its spans, where the form
        did not override it)."""
        matcher = self.assistant.matcher
        profile: dict[str, Any] = {}
        facts: list[Any] = []
        if (text or "").strip():
            profile, facts = matcher.read_text(text)
        if (location or "").strip():
            profile["location"] = location.strip()[:100]
        for f, value in zip(self.profile_fields(), values):
            value = (value or "").strip()
            if f.kind == "amount":
                if value:
                    profile[f.name] = parse_amount(value, f.label)
            elif value in (YES, NO):
                profile[f.name] = value == YES
        return profile, [x for x in facts if profile.get(x.field) == x.value]

    def match_form(self, location: str, text: str, *values: str) -> tuple[str, Any, Any]:
        """The 体检 form: (result markdown, Markdown report file, PDF report file)."""
        try:
            result = self.assistant.matcher.match(self._form_profile(location, text, values))
        except (PolicyAssistantError, MatchError) as exc:
            return f"{WARN}{html.escape(str(exc))}", None, None
        except Exception:  # noqa: BLE001
            log.exception("match failed")
            return f"{WARN}{SORRY}", None, None
        if not result.items:
            return NOTHING_FOUND, None, None
        md_path, pdf_path = self._reports_for(result)
        notice = document_notices(self.assistant.corpus, [i.doc_id for i in result.items])
        body = inert_markdown(summary_markdown(result)) + (f"\n\n_{inert(notice)}_" if notice else "")
        return strong(body), md_path, pdf_path

    # The 政策体检 tab: what was read, editable, and the result as cards or a table.
    PROFILE_HEAD = ["项目", "值", "原文"]

    def match_view(self, location: str, text: str, *values: str) -> tuple[str, Any, Any, list[list[str]]]:
        """(result HTML, Markdown report, PDF report, the profile as read: 项目 / 值 / 原文)."""
        try:
            profile, facts = self._form_read(location, text, values)
        except (PolicyAssistantError, MatchError) as exc:
            return f"<p class='pa-warn'>{WARN}{html.escape(str(exc))}</p>", None, None, []
        return self._match_outputs(profile, facts)

    def recompute(self, rows: Any) -> tuple[str, Any, Any, list[list[str]]]:
        """重新计算 from the edited profile table (a cleared value counts as unknown)."""
        try:
            profile = self.profile_from_rows(rows)
        except (PolicyAssistantError, MatchError) as exc:
            return f"<p class='pa-warn'>{WARN}{html.escape(str(exc))}</p>", None, None, self._rows_list(rows)
        outputs = self._match_outputs(profile)
        before = {r[0]: r for r in self._rows_list(rows) if len(r) >= 3}
        kept = []
        for row in outputs[3]:  # the source of a value the user did not change stays with it
            old = before.get(row[0])
            source = (old[2] if old[1] == row[1] else "(已修改)") if old is not None else row[2]
            kept.append([row[0], row[1], source])
        return outputs[0], outputs[1], outputs[2], kept

    def _match_outputs(self, profile: dict[str, Any], facts: list[Any] | None = None) \
            -> tuple[str, Any, Any, list[list[str]]]:
        try:
            result = self.assistant.matcher.match(profile)
            if facts:
                result = replace(result, read=list(facts))
        except (PolicyAssistantError, MatchError) as exc:
            return f"<p class='pa-warn'>{WARN}{html.escape(str(exc))}</p>", None, None, []
        except Exception:  # noqa: BLE001
            log.exception("match failed")
            return f"<p class='pa-warn'>{WARN}{SORRY}</p>", None, None, []
        rows = self.profile_rows(result)
        if not result.items:
            return f"<p>{NOTHING_FOUND}</p>", None, None, rows
        md_path, pdf_path = self._reports_for(result)
        notice = document_notices(self.assistant.corpus, [i.doc_id for i in result.items])
        return match_html(result, notice), md_path, pdf_path, rows

    def _field_labels(self) -> dict[str, str]:
        labels = {"location": "企业注册地", "name": "企业名称"}
        labels.update({f.name: f.label for f in self.profile_fields()})
        return labels

    def _measure_labels(self) -> dict[tuple[str, str], str]:
        """Rows for what a description says about a measure as a whole (profile `pending`,
        `counts`, `places`): (key, rule id) → the row's label."""
        out: dict[tuple[str, str], str] = {}
        for rule in self.assistant.rules.rules:
            out[("pending", rule.id)] = f"{rule.name}:尚未确定(申报中或计划数)"
            if rule.per_unit is not None:
                out[("counts", rule.id)] = f"{rule.name}:{rule.per_unit.nouns[0]}个数"
            if rule.profile.project_place:
                out[("places", rule.id)] = f"{rule.name}:项目所在地"
        return out

    def _measure_rows(self, profile: dict[str, Any]) -> list[list[str]]:
        labels = self._measure_labels()
        rows = []
        for rule_id in profile.get("pending") or []:
            if ("pending", rule_id) in labels:
                rows.append([labels[("pending", rule_id)], "是", ""])
        for key in ("counts", "places"):
            for rule_id, value in (profile.get(key) or {}).items():
                if (key, rule_id) in labels:
                    rows.append([labels[(key, rule_id)], str(value), ""])
        return rows

    def profile_rows(self, result: Any) -> list[list[str]]:
        """Each field that was read or that an item still needs: label, value, source text."""
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        profile = data.get("profile") or {}
        read = getattr(result, "read", None) or data.get("read") or []
        sources: dict[str, list[str]] = {}
        for r in read if isinstance(read, list) else []:
            r = r.to_dict() if hasattr(r, "to_dict") else r
            if isinstance(r, dict) and isinstance(r.get("field"), str):
                sources.setdefault(r["field"], []).append(str(r.get("text") or ""))
        kinds = {f.name: f.kind for f in self.profile_fields()}
        needed = [m for i in data.get("items", []) for m in i.get("missing", []) if m in kinds]
        names = [n for n, v in profile.items() if v not in (None, "", [], {})
                 and n not in MEASURE_KEYS] + needed
        rows = []
        for name in dict.fromkeys(names):
            value = profile.get(name)
            if value is None or value == "":
                shown_value = ""
            elif kinds.get(name) == "amount":
                shown_value = format_yuan(int(value))
            elif isinstance(value, bool):
                shown_value = "是" if value else "否"
            else:
                shown_value = str(value)
            rows.append([self._field_labels().get(name, name), shown_value, ";".join(sources.get(name, []))])
        return rows + self._measure_rows(profile)

    @staticmethod
    def _rows_list(rows: Any) -> list[list[str]]:
        if hasattr(rows, "values") and hasattr(rows, "columns"):  # a pandas DataFrame
            rows = rows.values.tolist()
        return [[("" if c is None else str(c)) for c in r] for r in (rows or [])]

    def profile_from_rows(self, rows: Any) -> dict[str, Any]:
        """The profile the edited table states (labels back to fields; 是/否, amounts, text)."""
        by_label = {label: name for name, label in self._field_labels().items()}
        measures = {label: key for key, label in self._measure_labels().items()}
        kinds = {f.name: f for f in self.profile_fields()}
        profile: dict[str, Any] = {}
        for row in self._rows_list(rows):
            if len(row) < 2:
                continue
            label, value = row[0].strip(), row[1].strip()
            if label in measures and value:
                self._measure_value(profile, measures[label], label, value)
                continue
            name = by_label.get(label)
            if name is None:
                raise MatchError(f"表中没有“{label[:30]}”这一项。")
            if not value:
                continue
            f = kinds.get(name)
            if f is None:
                profile[name] = value[:100]
            elif f.kind == "amount":
                profile[name] = parse_amount(value, f.label)
            elif value in (YES, NO):
                profile[name] = value == YES
            else:
                raise MatchError(f"“{f.label}”请填 是 或 否(收到“{value[:20]}”)。")
        return profile

    @staticmethod
    def _measure_value(profile: dict[str, Any], key: tuple[str, str], label: str, value: str) -> None:
        kind, rule_id = key
        if kind == "pending":
            if value not in (YES, NO):
                raise MatchError(f"“{label}”请填 是 或 否(收到“{value[:20]}”)。")
            if value == YES:
                profile.setdefault("pending", []).append(rule_id)
        elif kind == "counts":
            if not value.isdigit() or not 1 <= int(value) <= 100:
                raise MatchError(f"“{label}”请填 1 到 100 的整数(收到“{value[:20]}”)。")
            profile.setdefault("counts", {})[rule_id] = int(value)
        else:
            profile.setdefault("places", {})[rule_id] = value[:100]

    def _reports_for(self, result: Any) -> tuple[str | None, str | None]:
        from assistant.match.report import ReportError, markdown_report, pdf_report

        labels = {f.name: f.label for f in self.profile_fields()}
        self._prune_reports()
        stem = self._reports / f"policy-check-{uuid.uuid4().hex[:8]}"
        md = stem.with_suffix(".md")
        md.write_text(markdown_report(result, labels), encoding="utf-8")
        try:
            pdf = stem.with_suffix(".pdf")
            pdf.write_bytes(pdf_report(result, labels, self.assistant.settings.pdf_font or None))
        except ReportError:
            log.warning("no CJK font for the PDF report")
            return str(md), None
        return str(md), str(pdf)

    def _prune_reports(self, now: float | None = None) -> None:
        """Delete report files older than REPORT_SECONDS, and the oldest beyond MAX_REPORTS."""
        now = time.time() if now is None else now
        try:
            files = sorted(self._reports.iterdir(), key=lambda p: p.stat().st_mtime)
        except OSError:
            return
        for i, path in enumerate(files):
            try:
                if now - path.stat().st_mtime > REPORT_SECONDS or len(files) - i > MAX_REPORTS:
                    path.unlink()
            except OSError:
                pass

    def match_json(self, data: Any) -> dict[str, Any]:
        """The `/api/match` body: {"profile": {...}} or {"text": "…"} → CONTRACT.md's object."""
        if not isinstance(data, dict):
            return {"error": "请求体必须是 JSON 对象:{\"profile\": {...}} 或 {\"text\": \"…\"}。"}
        matcher = self.assistant.matcher
        try:
            if isinstance(data.get("text"), str) and data["text"].strip():
                return matcher.match_text(validate_question(data["text"])).to_dict()
            elif isinstance(data.get("profile"), dict):
                profile = matcher.validate(data["profile"])
            else:
                return {"error": "请提供 profile(对象)或 text(企业情况描述)。"}
            return matcher.match(profile).to_dict()
        except (PolicyAssistantError, MatchError) as exc:
            return {"error": str(exc)}
        except Exception:  # noqa: BLE001
            log.exception("match failed")
            return {"error": SORRY}

    # -- the library -------------------------------------------------------------------------
    def documents_json(self) -> list[dict[str, Any]]:
        corpus = self.assistant.corpus
        return [corpus.describe(d) for d in corpus.documents]

    def library_rows(self) -> list[list[str]]:
        """The 文件库 table: title, 文号, status (and what replaced it), dates, articles."""
        corpus = self.assistant.corpus
        rows = []
        for d in sorted(corpus.documents, key=lambda d: (not d.in_force, d.title)):
            m = d.meta
            newer = corpus.document(corpus.superseded_by.get(d.doc_id, ""))
            status = (d.status or "状态未注明") + (f"(已被《{newer.title}》取代)" if newer else "")
            rows.append([d.title, m.doc_number or "—", status, ";".join(m.dates()) or "—",
                         str(sum(1 for a in d.articles if a.number))])
        return rows

    LIBRARY_HEAD = ("文件", "文号", "状态", "日期", "条数")

    def library_html(self) -> str:
        """文件库 as a table on a wide screen and as one card per document on a phone."""
        rows = self.library_rows()
        head = "".join(f"<th>{h}</th>" for h in self.LIBRARY_HEAD)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        cards = "".join(
            f"<div class='pa-card'><div class='pa-head'>《{html.escape(r[0])}》</div>"
            f"<div>{html.escape(r[1])} · <b>{html.escape(r[2])}</b></div>"
            f"<div class='pa-dept'>{html.escape(r[3])} · {html.escape(r[4])} 条</div></div>" for r in rows)
        return (f"<div id='pa-library-table'><p>文件库共 {len(rows)} 份文件。</p>"
                f"<table class='pa-wide pa-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<div class='pa-narrow'>{cards}</div></div>")

    def document_header(self) -> str:
        """The banner: one line (the documents and their status), the details folded under it."""
        corpus = self.assistant.corpus
        docs = sorted(corpus.documents, key=lambda d: (not d.in_force, d.title))
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
            parts.append(f"<p><b>《{html.escape(d.title)}》</b>{html.escape(number)}<br>"
                         f"状态:<b>{html.escape(d.status or '状态未注明')}</b>{html.escape(when)};"
                         f"发布:{html.escape(m.issuer or '—')}。{html.escape(notice)}</p>")
            short.append(f"《{d.short_title}》{d.status or ''}")
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
            out.append(inert(f"## 《{d.title}》\n\n{d.meta.doc_number or ''} 状态:**{d.status or '状态未注明'}**"
                             + (f"\n\n_{notice}_" if notice else "")))
            for a in d.articles:
                head = a.display if a.number else f"公告与前言:{a.title}"
                depts = f"  \n*责任单位:{'、'.join(a.departments)}*" if a.departments else ""
                out.append(f"#### {inert(head)}\n\n{paragraphs(inert(a.text))}{inert(depts)}")
        return strong("\n\n".join(out))

    def upload(self, file: Any, meta: str = "", replace: bool = False) -> str:
        """Staff only (the app shows it only behind a login): add a document to the library, as
        `policy-assistant add` does, then embed it in the background (questions keep being
        answered; the document is answerable when `upload_status` says so). A file named like a
        document of the library is only replaced when `replace` is set."""
        from assistant.index.policy_index import documents_cache
        from assistant.ingest.library import DocumentExistsError, add_document, parse_meta_options

        path = getattr(file, "name", None) or (file.get("path") if isinstance(file, dict) else file)
        if not path or not isinstance(path, (str, Path)):
            return "请选择文件(.txt、.docx、.pdf 或 .html)。"
        source = Path(str(path))
        if self.upload_root is not None and not _inside(source, self.upload_root):
            return f"{WARN}只能加入通过本页面上传的文件。"
        corpus_dir = self.assistant.settings.corpus_dir
        try:
            pairs = [p.strip() for p in re.split(r"[\n;；]", meta or "") if p.strip()]
            added = add_document(corpus_dir, source, parse_meta_options(pairs),
                                 documents_cache(self.assistant.settings), replace=bool(replace))
        except DocumentExistsError as exc:
            return (f"{WARN}文件库已有《{inert(exc.title)}》({inert(exc.doc_id)})。如要用此文件更新它(编号不变),"
                    "请勾选“替换同名文件”后再提交。")
        except PolicyAssistantError as exc:
            return f"{WARN}{html.escape(_without_paths(str(exc), source, corpus_dir))}"
        except Exception:  # noqa: BLE001
            log.exception("upload failed")
            return f"{WARN}{SORRY}"
        m = added.meta
        self._index_in_background(m.title or added.doc_id)
        warnings = "".join(f"\n\n{WARN}{html.escape(w)}" for w in added.warnings)
        return (f"已{'更新' if added.replaced else '加入'}:《{inert(m.title or added.doc_id)}》"
                f"({inert(added.doc_id)},{inert(m.doc_number or '无文号')},{m.status or '状态未注明'},"
                f"{added.articles} 条)。正在建立索引,完成后即可回答;点“刷新进度”查看。{warnings}")

    def _index_in_background(self, title: str) -> None:
        """Sync the index in one worker thread (a second upload meanwhile is synced after it)."""
        self._status = f"《{inert(title)}》等待建立索引…"
        self._pending.set()
        with self._indexing:
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._index_worker, name="pa-upload-index", daemon=True)
            self._worker.start()

    def _index_worker(self) -> None:
        import os

        try:  # below the threads that answer questions (Linux: a thread has its own nice value)
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass

        def progress(stage: str, done: int, total: int) -> None:
            self._status = f"正在建立索引:{STAGES.get(stage, stage)} {done}/{total}"

        while True:
            with self._indexing:
                if not self._pending.is_set():
                    self._worker = None
                    return
                self._pending.clear()
            try:
                with self._watch_lock:  # the library watcher waits (see library_version)
                    self.assistant.reload(progress)
                    self._loaded = library_signature(self.assistant.settings.corpus_dir)
                if self.shared is not None:  # the other instances reload (the vectors are there)
                    self.shared.library_changed()
                self._status = "✅ 索引已更新,新文件可以回答了。"
            except Exception:  # noqa: BLE001 - reported on the page, the old index keeps serving
                log.exception("indexing an upload failed")
                self._status = f"{WARN}建立索引失败,文件库仍按原索引回答。{SORRY}"

    def upload_status(self) -> str:
        """How far the background indexing of uploads is ('' when nothing was uploaded)."""
        return self._status or "暂无上传任务。"

    def wait_for_index(self, timeout: float = 600.0) -> bool:
        """Block until background indexing is done (tests and scripts); True when it finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            worker = self._worker
            if (worker is None or not worker.is_alive()) and not self._pending.is_set():
                return True
            time.sleep(0.05)
        return False

    def unanswered(self, limit: int = 100) -> list[list[str]]:
        """Questions the library did not cover, newest first: Beijing time, channel, question,
        what the assistant replied."""
        from .dashboard import shown

        try:
            return [[shown(r["created_at"]), r["channel"], r["question"], r["answer"][:200]]
                    for r in self.store.rows(True, limit)]
        except PolicyAssistantError as exc:
            return [["—", "", str(exc), ""]]

    def topic(self, question: str) -> str:
        """The most specific word of a question (how the dashboard groups unanswered ones)."""
        from assistant.lang.lexical import specificity

        try:
            words = [w for w in self.assistant.index.tokenizer.cut(question, search=False)
                     if len(w) >= 2 and not w.isdigit()]
        except Exception:  # noqa: BLE001
            words = []
        if not words:
            return question.strip()[:8]
        spec = specificity()
        return max(words, key=lambda w: (spec.weight(w), len(w)))

    def dashboard(self, start: str | None = "", end: str | None = "") -> Any:
        """The staff dashboard for a date range (Beijing dates; empty = the last 30 days)."""
        from .dashboard import Dashboard, default_range, parse_day

        first, last = default_range()
        begin, finish = parse_day(start, first), parse_day(end, last)
        if begin > finish:
            raise ValueError("开始日期晚于结束日期。")
        return Dashboard.build(self.store.rows(), begin, finish, self.topic)

    def dashboard_csv(self, board: Any) -> str:
        path = self._reports / f"questions-{board.start.isoformat()}-{board.end.isoformat()}-{uuid.uuid4().hex[:6]}.csv"
        return str(board.write_csv(path))

def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def _without_paths(message: str, source: Path, corpus_dir: Path) -> str:
    """An error message for the web page: file names instead of the server's paths."""
    for full, shown_as in ((str(source), source.name), (str(source.parent), ""),
                           (str(corpus_dir), "文件库"), (tempfile.gettempdir(), "")):
        if full:
            message = message.replace(full, shown_as)
    return message
